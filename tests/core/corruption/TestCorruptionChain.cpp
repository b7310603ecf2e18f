// Chain specs (parse, canonical print, JSON, every kind of error), the catalogue, and applying a
// chain through the CLIP-336 preprocessor, with the preview time printed.
#include "CorruptionTestUtil.h"
#include "image/corruption/ApplyCorruption.h"
#include "image/corruption/DiffusionNoise.h"
#include "image/corruption/ImageCorruptions.h"
#include "util/Error.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace sena::image;
using namespace corrupttest;
using sena::util::Json;

namespace {

// Parsing `spec` must throw ConfigError whose message contains every needle.
void expectSpecError(const std::string& spec, std::initializer_list<const char*> needles) {
    try {
        const CorruptionChain chain = CorruptionChain::parse(spec);
        QFAIL(qPrintable(QString("expected a ConfigError for \"%1\", got %2")
                             .arg(QString::fromStdString(spec), QString::fromStdString(chain.toString()))));
    } catch (const sena::ConfigError& e) {
        for (const char* needle : needles)
            QVERIFY2(QString(e.what()).contains(needle), qPrintable(QString("missing '%1' in: %2").arg(needle, e.what())));
    }
}

void expectJsonError(const char* json, const char* needle) {
    try {
        CorruptionChain::fromJson(Json::parse(json), "preset.json");
        QFAIL(qPrintable(QString("expected a ConfigError for %1").arg(json)));
    } catch (const sena::ConfigError& e) {
        QVERIFY2(QString(e.what()).contains(needle) && QString(e.what()).contains("preset.json"), e.what());
    }
}

}  // namespace

class CorruptionChainTests : public QObject {
    Q_OBJECT
private slots:
    void catalogueIsConsistent() {
        std::set<std::string> names;
        for (const CorruptionType& type : corruptionCatalog()) {
            QVERIFY(names.insert(type.name).second);
            QVERIFY(!type.description.empty());
            QVERIFY(!type.parameters.empty());
            for (const CorruptionParameter& p : type.parameters) {
                QVERIFY2(p.minValue <= p.defaultValue && p.defaultValue <= p.maxValue, p.name.c_str());
                QVERIFY(!p.description.empty());
                if (p.integer)
                    QVERIFY(std::trunc(p.defaultValue) == p.defaultValue);
            }
            QCOMPARE(findCorruptionType(type.name), &type);
        }
        for (const char* required : {"diffusion", "blur", "downscale", "jitter", "crop", "mask", "jpeg", "noise"})
            QVERIFY2(names.count(required), required);
        QVERIFY(findCorruptionType("nope") == nullptr);
        QCOMPARE(findCorruptionType("diffusion")->space, CorruptionSpace::Tensor);
        QCOMPARE(findCorruptionType("diffusion")->parameters[0].defaultValue, 600.0);
    }

    void everyCatalogueEntryRunsWithItsDefaults() {
        // Guards the dispatch in applyImageStep/applyTensorStep against a type added to one table only.
        const RgbImage image = photoLike(48, 40);
        for (const CorruptionType& type : corruptionCatalog()) {
            const CorruptionStep step = CorruptionStep::make(type.name);
            if (type.space == CorruptionSpace::Image) {
                const RgbImage out = applyImageStep(step, image, 5);
                QCOMPARE(out.width, image.width);
                QVERIFY2(out != image, type.name.c_str());
            } else {
                PixelValues pv;
                pv.channels = 3, pv.height = 4, pv.width = 4;
                pv.data.assign(48, 0.f);
                applyTensorStep(step, pv, 5);
                QVERIFY2(std::any_of(pv.data.begin(), pv.data.end(), [](float v) { return v != 0.f; }), type.name.c_str());
            }
        }
    }

    void parsesAndPrintsCanonically() {
        struct Case {
            const char* spec;
            const char* canonical;
        };
        const Case cases[] = {
            {"blur:sigma=2+diffusion:t=600", "blur:sigma=2+diffusion:t=600"},
            {"diffusion", "diffusion:t=600"},
            {"diffusion:", "diffusion:t=600"},
            {"jpeg:quality=15+noise:sigma=10", "jpeg:quality=15+noise:sigma=10"},
            {"jitter", "jitter:brightness=0.5,contrast=0,saturation=0,hue=0.3"},
            {"jitter:hue=0.1,brightness=0.25", "jitter:brightness=0.25,contrast=0,saturation=0,hue=0.1"},
            {"  Blur : SIGMA = 2.0 +  DIFFUSION ", "blur:sigma=2+diffusion:t=600"},
            {"noise:sigma=1e-3", "noise:sigma=0.001"},
            {"noise:sigma=1.5e+1", "noise:sigma=15"},
            {"noise:sigma=.5", "noise:sigma=0.5"},
            {"mask", "mask:ratio=0.3,fill=-1"},
            {"mask:fill=0,ratio=0.25", "mask:ratio=0.25,fill=0"},
            {"crop:scale=0.5+downscale:size=20", "crop:scale=0.5+downscale:size=20"},
            {"diffusion:t=500+diffusion:t=100", "diffusion:t=500+diffusion:t=100"},
            {"none", "none"},
            {"", "none"},
            {"  NONE ", "none"},
        };
        for (const Case& c : cases) {
            const CorruptionChain chain = CorruptionChain::parse(c.spec);
            QCOMPARE(QString::fromStdString(chain.toString()), QString(c.canonical));
            // The canonical form reads back to the same chain and prints identically.
            const CorruptionChain again = CorruptionChain::parse(chain.toString());
            QVERIFY(again == chain);
            QCOMPARE(again.toString(), chain.toString());
        }
        QVERIFY(CorruptionChain::parse("none").empty());
        QVERIFY(CorruptionChain::parse("blur:sigma=2") != CorruptionChain::parse("blur:sigma=2.5"));
        QVERIFY(CorruptionChain::parse("blur:sigma=2") == CorruptionChain::parse("blur"));  // 2 is the default
        const CorruptionChain chain = CorruptionChain::parse("jitter:hue=0.1+diffusion:t=800");
        QCOMPARE(chain.steps()[0].value("hue"), 0.1);
        QCOMPARE(chain.steps()[1].intValue("t"), 800);
        QVERIFY(chain.hasTensorSteps());
        QVERIFY_THROWS_EXCEPTION(sena::ConfigError, chain.steps()[0].value("t"));
        // Editing one parameter (a GUI control) keeps the others and validates the new value.
        const CorruptionStep edited = chain.steps()[0].with("brightness", 0.8);
        QCOMPARE(edited.toString(), std::string("jitter:brightness=0.8,contrast=0,saturation=0,hue=0.1"));
        QVERIFY_THROWS_EXCEPTION(sena::ConfigError, edited.with("hue", 0.6));
        QVERIFY_THROWS_EXCEPTION(sena::ConfigError, edited.with("t", 1));
    }

    void jsonRoundTrips() {
        const CorruptionChain chain = CorruptionChain::parse("jitter:hue=0.1+mask:fill=0+diffusion:t=800");
        const Json json = chain.toJson();
        QVERIFY(json.is_array());
        QCOMPARE(json.size(), std::size_t{3});
        QCOMPARE(json[2]["name"].get<std::string>(), std::string("diffusion"));
        QVERIFY(json[2]["params"]["t"].is_number_integer());
        QCOMPARE(json[0]["params"]["hue"].get<double>(), 0.1);
        QVERIFY(CorruptionChain::fromJson(json) == chain);
        QVERIFY(CorruptionChain::fromJson(Json::parse(json.dump())) == chain);
        QVERIFY(CorruptionChain::fromJson(Json("blur+diffusion")) == CorruptionChain::parse("blur+diffusion"));
        QVERIFY(CorruptionChain::fromJson(Json::parse(R"([{"name": "diffusion"}])")) == CorruptionChain::parse("diffusion"));
        QVERIFY(CorruptionChain::fromJson(Json()).empty());
        QVERIFY(CorruptionChain().toJson().empty());
    }

    void badSpecsGiveClearErrors() {
        expectSpecError("blr:sigma=2", {"step 1", "unknown corruption 'blr'", "blur", "diffusion"});
        expectSpecError("blur:sgma=2", {"step 1 (blur)", "no parameter 'sgma'", "sigma (0 .. 50)"});
        expectSpecError("blur:sigma=80", {"step 1 (blur)", "sigma = 80 is out of range", "allowed 0 .. 50"});
        expectSpecError("noise:sigma=-1", {"sigma = -1 is out of range", "0 .. 255"});
        expectSpecError("jpeg:quality=abc", {"step 1 (jpeg)", "quality = 'abc' is not a number", "an integer 1 .. 100"});
        expectSpecError("blur:sigma=2x", {"'2x' is not a number"});
        expectSpecError("blur:sigma=nan", {"'nan' is not a number"});
        expectSpecError("blur:sigma=", {"'' is not a number"});
        expectSpecError("diffusion:t=600.5", {"t = 600.5 must be an integer", "0 .. 999"});
        expectSpecError("diffusion:t=1000", {"t = 1000 is out of range", "an integer 0 .. 999"});
        expectSpecError("diffusion+blur", {"step 2 (blur)", "after the tensor-space step 1 (diffusion)", "image-space"});
        expectSpecError("noise+diffusion:t=500+jpeg", {"step 3 (jpeg)", "step 2 (diffusion)"});
        expectSpecError("blur++noise", {"step 2 is empty"});
        expectSpecError("blur+", {"step 2 is empty"});
        expectSpecError("blur:sigma=1,sigma=2", {"'sigma' is given twice"});
        expectSpecError("blur:sigma", {"'sigma' needs a value"});
        expectSpecError("blur:sigma=1,,", {"empty parameter"});
        expectSpecError("none+blur", {"step 1", "'none'"});
        // Errors name the whole spec so a user can find it in a long config.
        expectSpecError("jpeg:quality=0", {"corruption spec \"jpeg:quality=0\""});
        // The same rules for steps built in code (a GUI editor) and for JSON presets.
        QVERIFY_THROWS_EXCEPTION(sena::ConfigError, CorruptionStep::make("blur", {{"sigma", 51}}));
        QVERIFY_THROWS_EXCEPTION(sena::ConfigError,
                                 CorruptionChain({CorruptionStep::make("diffusion"), CorruptionStep::make("blur")}));
        expectJsonError(R"({"name": "blur"})", "expected a list");
        expectJsonError(R"([{"name": "blur", "sigma": 2}])", "unexpected member 'sigma'");
        expectJsonError(R"([{"name": "blur", "params": {"sigma": "2"}}])", "expected a number");
        expectJsonError(R"([{"name": "blur", "params": {"sigma": 99}}])", "out of range");
        expectJsonError(R"([{"params": {}}])", "\"name\"");
        expectJsonError(R"([{"name": "diffusion"}, {"name": "blur"}])", "tensor-space");
        expectJsonError(R"("blur:sigma=99")", "out of range");
    }

    void stepSeedsIgnoreStepsOfOtherKinds() {
        const CorruptionChain a = CorruptionChain::parse("diffusion");
        const CorruptionChain b = CorruptionChain::parse("blur+jpeg+diffusion");
        QCOMPARE(a.stepSeed(11, 0), b.stepSeed(11, 2));
        QVERIFY(a.stepSeed(11, 0) != a.stepSeed(12, 0));
        const CorruptionChain twice = CorruptionChain::parse("noise+noise");
        QVERIFY(twice.stepSeed(11, 0) != twice.stepSeed(11, 1));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, a.stepSeed(11, 1));
        // End to end: an identity blur in front leaves the diffusion noise bit-identical.
        const ImagePreprocessor pre = clip336();
        const RgbImage image = photoLike(400, 300);
        const CorruptedImage plain = applyCorruption(a, image, pre, 2024);
        const CorruptedImage withBlur = applyCorruption(CorruptionChain::parse("blur:sigma=0+diffusion"), image, pre, 2024);
        QVERIFY(plain.pixelValues.data == withBlur.pixelValues.data);
    }

    void emptyChainGivesCleanPixelValues() {
        const ImagePreprocessor pre = clip336();
        const RgbImage image = photoLike(500, 375);
        const CorruptedImage clean = applyCorruption(CorruptionChain(), image, pre, 1);
        const PixelValues expected = pre.preprocess(image);
        QCOMPARE(clean.pixelValues.width, 336);
        QCOMPARE(clean.pixelValues.height, 336);
        QVERIFY(clean.pixelValues.data == expected.data);
        QVERIFY(clean.preview == pre.prepareImage(image));  // the preview inverts normalize exactly
    }

    void applyCorruptionComposesTheSpaces() {
        const ImagePreprocessor pre = clip336();
        const RgbImage image = photoLike(640, 480);
        const CorruptionChain chain = CorruptionChain::parse("jpeg:quality=20+diffusion:t=600");
        const CorruptedImage out = applyCorruption(chain, image, pre, 77);
        QCOMPARE(out.preview.width, 336);
        QCOMPARE(out.preview.height, 336);
        QVERIFY(out.preview == pre.toPreviewImage(out.pixelValues));
        // Image steps run on the prepared image; diffusion then acts on its normalized tensor.
        const RgbImage jpeg = jpegRecompress(pre.prepareImage(image), 20);
        const PixelValues x0 = pre.toPixelValues(jpeg);
        const DiffusionCoefficients k = diffusionCoefficients(600);
        double sum = 0, sq = 0;
        for (std::size_t i = 0; i < x0.data.size(); ++i) {
            const double eps = (out.pixelValues.data[i] - k.sqrtAlphaBar * x0.data[i]) / k.sqrtOneMinusAlphaBar;
            sum += eps, sq += eps * eps;
        }
        const double n = static_cast<double>(x0.data.size());
        QVERIFY(std::fabs(sum / n) < 0.01);
        QVERIFY(std::fabs(std::sqrt(sq / n) - 1.0) < 0.01);
        // Bit-identical for the same (chain, image, seed); different for another seed.
        QVERIFY(applyCorruption(chain, image, pre, 77).pixelValues.data == out.pixelValues.data);
        QVERIFY(applyCorruption(chain, image, pre, 78).pixelValues.data != out.pixelValues.data);
        // An image-only chain's tensor is exactly the normalized corrupted image.
        const CorruptedImage imageOnly = applyCorruption(CorruptionChain::parse("jpeg:quality=20"), image, pre, 77);
        QVERIFY(imageOnly.pixelValues.data == x0.data);
        QVERIFY(imageOnly.preview == jpeg);
    }
};

int runCorruptionChainTests(int argc, char** argv) {
    CorruptionChainTests tests;
    return QTest::qExec(&tests, argc, argv);
}

#include "TestCorruptionChain.moc"
