#include "pairs/PairInspector.h"

#include "corruption/PreviewPreprocessor.h"
#include "models/PairTableModel.h"
#include "image/ImageLoader.h"
#include "image/corruption/ApplyCorruption.h"
#include "pairs/WordDiff.h"
#include "util/Json.h"
#include "workspace/WorkspaceDocument.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sena::ui {

namespace {

constexpr int kPreviewSize = 220;

QString html(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

QImage toQImage(const image::RgbImage& rgb) {
    QImage view(rgb.pixels.data(), rgb.width, rgb.height, static_cast<qsizetype>(rgb.rowBytes()), QImage::Format_RGB888);
    return view.copy();  // own the pixels; `rgb` dies with the job
}

QString section(const QString& title) { return QStringLiteral("<h3 style=\"margin-bottom:2px\">%1</h3>").arg(title); }

}  // namespace

PairInspector::PairInspector(QWidget* parent) : QWidget(parent) {
    m_pool.setMaxThreadCount(1);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_original = new QLabel(this);
    m_corruptedLabel = new QLabel(this);
    for (QLabel* l : {m_original, m_corruptedLabel}) {
        l->setFixedSize(kPreviewSize, kPreviewSize);
        l->setAlignment(Qt::AlignCenter);
        l->setFrameShape(QFrame::StyledPanel);
    }
    m_corruptedCaption = new QLabel(this);
    m_corruptedCaption->setWordWrap(true);
    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("pairDetails"));
    auto* images = new QGridLayout;
    images->addWidget(new QLabel(tr("Original"), this), 0, 0);
    images->addWidget(new QLabel(tr("As the model saw it (rejected side)"), this), 0, 1);
    images->addWidget(m_original, 1, 0);
    images->addWidget(m_corruptedLabel, 1, 1);
    images->addWidget(m_corruptedCaption, 2, 0, 1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(images);
    layout->addWidget(m_details, 1);
    showPair(0);
}

PairInspector::~PairInspector() {
    m_pool.clear();
    m_pool.waitForDone();
}

void PairInspector::setDocument(WorkspaceDocument* document) {
    m_document = document;
    showPair(0);
}

void PairInspector::showPair(qint64 pairId) {
    m_pairId = pairId;
    const int generation = ++m_generation;
    m_imagesReady = false;
    m_corrupted = {};
    m_original->clear();
    m_corruptedLabel->clear();
    m_corruptedCaption->clear();
    std::optional<store::PairRecord> pair;
    if (m_document && pairId > 0) {
        try {
            pair = m_document->workspace().pairs().get(pairId);
        } catch (const std::exception& e) {
            m_details->setPlainText(QString::fromStdString(e.what()));
        }
    }
    if (!pair) {
        m_title->setText(tr("<i>Select a pair to inspect it.</i>"));
        m_details->clear();
        return;
    }
    auto& ws = m_document->workspace();
    // Small indexed look-ups: fine on the GUI thread. The image work below is not.
    const auto image = ws.images().get(pair->imageId);
    const auto round = ws.rounds().get(pair->roundId);
    std::optional<store::QuestionRecord> question;
    std::vector<store::GenerationRecord> generations;
    if (pair->questionId) {
        question = ws.questions().get(*pair->questionId);
        generations = ws.generations().forQuestion(*pair->questionId);
    }
    std::optional<store::GenerationRecord> rejectedGeneration;
    if (pair->rejectedGenerationId)
        rejectedGeneration = ws.generations().get(*pair->rejectedGenerationId);

    m_title->setText(tr("<b>Pair %1</b> · round %2 · %3 · %4")
                         .arg(pair->id)
                         .arg(pair->roundIndex)
                         .arg(QString::fromLatin1(store::toString(pair->type)), PairTableModel::curationText(pair->curation)));

    QString body;
    if (question) {
        body += section(tr("Self-questioning"));
        body += tr("<p><b>First question:</b> %1</p>").arg(html(question->firstQuestion));
        body += tr("<p><b>Self-check reply:</b> %1</p>").arg(html(question->selfCheckReply));
        body += tr("<p><b>Final question:</b> %1</p>").arg(html(question->finalQuestion));
        body += tr("<p>Attempts: %1 · mode: %2 · %3</p>")
                    .arg(question->attempts)
                    .arg(question->mode == store::QuestionMode::Paper ? tr("paper (check sees the image)")
                                                                       : tr("code (text-only check)"))
                    .arg(question->kept ? tr("kept") : tr("dropped"));
        for (const auto& hit : question->filterHits)
            body += tr("<p style=\"color:#c62828\">Question filter <b>%1</b>: %2</p>").arg(html(hit.filter), html(hit.detail));
    }
    for (const auto& g : generations) {
        if (g.kind == store::GenerationKind::Caption)
            body += section(tr("Caption")) + QStringLiteral("<p>%1</p>").arg(html(g.text));
    }
    for (const auto& g : generations) {
        if (g.kind == store::GenerationKind::CleanAnswer)
            body += section(tr("Answer on the clean image")) + QStringLiteral("<p>%1</p>").arg(html(g.text));
    }
    body += section(tr("Prompt")) + QStringLiteral("<p>%1</p>").arg(html(pair->effectivePrompt()));
    const WordDiffHtml diff = wordDiff(QString::fromStdString(pair->effectiveRejected()),
                                       QString::fromStdString(pair->effectiveChosen()));
    body += section(tr("Chosen")) + QStringLiteral("<p>%1</p>").arg(QString(diff.after).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    body += section(tr("Rejected")) + QStringLiteral("<p>%1</p>").arg(QString(diff.before).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    body += tr("<p><small>%1 word(s) only in chosen, %2 only in rejected.</small></p>").arg(diff.inserted).arg(diff.deleted);
    if (pair->editedPrompt || pair->editedChosen || pair->editedRejected)
        body += tr("<p><i>Edited by the curator; the generated texts are kept.</i></p>");

    body += section(tr("Filters"));
    if (pair->filterHits.empty())
        body += tr("<p>Passed every filter.</p>");
    for (const auto& hit : pair->filterHits)
        body += tr("<p style=\"color:#c62828\"><b>%1</b>: %2</p>").arg(html(hit.filter), html(hit.detail));

    body += section(tr("Reference log-probs"));
    if (pair->reference) {
        const auto& r = *pair->reference;
        body += tr("<p>chosen: sum %1, mean %2<br>rejected: sum %3, mean %4<br><b>margin %5</b></p>")
                    .arg(r.chosenSum, 0, 'f', 3).arg(r.chosenMean, 0, 'f', 4)
                    .arg(r.rejectedSum, 0, 'f', 3).arg(r.rejectedMean, 0, 'f', 4)
                    .arg(*pair->margin(), 0, 'f', 3);
    } else {
        body += tr("<p>Not scored yet.</p>");
    }
    if (!pair->tags.empty() || !pair->note.empty()) {
        QStringList tags;
        for (const auto& t : pair->tags)
            tags << QString::fromStdString(t);
        body += section(tr("Curation")) + tr("<p>Tags: %1</p><p>Note: %2</p>").arg(tags.join(QStringLiteral(", ")).toHtmlEscaped(), html(pair->note));
    }
    QString modelDir;
    if (round) {
        body += section(tr("Lineage"));
        body += tr("<p>Round %1 (%2)").arg(round->index).arg(QString::fromLatin1(store::toString(round->status)));
        if (round->parentRoundId) {
            if (const auto parent = ws.rounds().get(*round->parentRoundId))
                body += tr(", continues round %1").arg(parent->index);
        }
        body += tr("<br>Generator: %1<br>Model hash: %2<br>Created %3</p>")
                    .arg(html(round->generatorModelPath), html(round->generatorModelHash.substr(0, 16)),
                         html(pair->createdAt));
        try {
            modelDir = QString::fromStdString(util::Json::parse(round->configJson).value("model", std::string()));
        } catch (const std::exception&) {
        }
    }
    m_details->setHtml(body);

    if (!image || !image->ok())
        return;
    const QString path = QString::fromStdString(image->absolutePath());
    const std::string spec = rejectedGeneration && rejectedGeneration->corruptionSpec ? *rejectedGeneration->corruptionSpec : "none";
    const std::uint64_t seed = rejectedGeneration && rejectedGeneration->corruptionSeed
                                   ? static_cast<std::uint64_t>(*rejectedGeneration->corruptionSeed) : 0;
    m_corruptedCaption->setText(tr("Corruption %1, seed %2").arg(QString::fromStdString(spec)).arg(seed));
    m_pool.clear();  // only the newest pair matters
    m_pool.start([this, generation, path, spec, seed, modelDir] {
        QImage original, corrupted;
        QString caption;
        try {
            const image::RgbImage rgb = image::loadImage(path.toStdString());
            original = toQImage(rgb);
            QString preprocessorName;
            const auto preprocessor = previewPreprocessor(modelDir, &preprocessorName);
            const auto result = image::applyCorruption(image::CorruptionChain::parse(spec), rgb, preprocessor, seed);
            corrupted = toQImage(result.preview);
            caption = preprocessorName;
        } catch (const std::exception& e) {
            caption = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, generation, original, corrupted, caption] {
            setImages(generation, original, corrupted, caption);
        }, Qt::QueuedConnection);
    });
}

void PairInspector::setImages(int generation, const QImage& original, const QImage& corrupted, const QString& caption) {
    if (generation != m_generation)
        return;
    const auto fit = [](const QImage& img) {
        return QPixmap::fromImage(img.scaled(kPreviewSize, kPreviewSize, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    };
    if (!original.isNull())
        m_original->setPixmap(fit(original));
    if (!corrupted.isNull())
        m_corruptedLabel->setPixmap(fit(corrupted));
    m_corrupted = corrupted;
    m_corruptedCaption->setText(m_corruptedCaption->text() + QStringLiteral(" · ") + caption);
    m_imagesReady = true;
}

}  // namespace sena::ui
