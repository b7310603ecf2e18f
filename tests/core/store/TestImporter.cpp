// Folder import: formats, nested folders, duplicates, broken files, re-scans, changed files,
// cancellation, and the workspace's own folder being skipped.
#include "StoreTestUtil.h"
#include "store/ImageImporter.h"

#include <chrono>
#include <filesystem>

#ifdef SENA_WITH_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#endif

using namespace storetest;
namespace fs = std::filesystem;

class ImporterTests : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_counter = 0;

    std::string newFolder(const std::string& prefix) {
        std::string folder = tempPath(m_dir, prefix + std::to_string(++m_counter));
        fs::create_directories(folder);
        return folder;
    }

    // Writes a w x h noise image; the format follows the extension.
    static void writeImage(const std::string& path, int w, int h, int seed) {
#ifdef SENA_WITH_OPENCV
        fs::create_directories(fs::path(path).parent_path());
        cv::Mat img(h, w, CV_8UC3);
        cv::RNG rng(static_cast<std::uint64_t>(seed) + 1);
        rng.fill(img, cv::RNG::UNIFORM, 0, 256);
        if (!cv::imwrite(path, img))
            qFatal("cannot write %s", path.c_str());
#else
        (void)path, (void)w, (void)h, (void)seed;
#endif
    }

    // Moves the file's mtime so a re-scan cannot mistake it for unchanged.
    static void bumpMtime(const std::string& path) {
        fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(5));
    }

    // root/a.png, root/B.JPG, root/nested/deeper/c.jpeg, root/nested/copy-of-a.png (duplicate),
    // root/broken.jpg (undecodable), plus files that must be ignored.
    std::string imageFolder() {
        std::string root = newFolder("images");
        writeImage(root + "/a.png", 40, 30, 1);
        writeImage(root + "/B.JPG", 64, 48, 2);
        writeImage(root + "/nested/deeper/c.jpeg", 20, 50, 3);
        fs::copy_file(root + "/a.png", root + "/nested/copy-of-a.png");
        auto jpeg = readBytes(root + "/B.JPG");
        writeBytes(root + "/broken.jpg", std::vector<std::uint8_t>(jpeg.begin(), jpeg.begin() + 200));
        writeBytes(root + "/notes.txt", {'h', 'i'});
        writeImage(root + "/.hidden/secret.png", 8, 8, 4);
        return root;
    }

private slots:
    void init() {
#ifndef SENA_WITH_OPENCV
        QSKIP("the importer tests write their images with OpenCV");
#endif
    }

    void importsAFolder() {
        std::string root = imageFolder();
        Workspace ws = Workspace::create(newFolder("ws"));
        std::vector<std::string> seen;
        ImportSummary summary = ws.importImages(root, [&](const ImportProgress& p) {
            if (p.processed > 0)
                seen.push_back(p.path);
            return p.total == 5;
        });
        QCOMPARE(summary.found, std::size_t(5));
        QCOMPARE(summary.imported, std::size_t(3));
        QCOMPARE(summary.duplicates, std::size_t(1));
        QCOMPARE(summary.failed, std::size_t(1));
        QCOMPARE(summary.unchanged, std::size_t(0));
        QVERIFY(!summary.cancelled);
        QCOMPARE(seen.size(), std::size_t(5));
        QCOMPARE(summary.failures.size(), std::size_t(1));
        QVERIFY2(summary.failures[0].path.find("broken.jpg") != std::string::npos, summary.failures[0].path.c_str());
        QVERIFY(!summary.failures[0].message.empty());

        ImageQuery byPath;
        byPath.sort = ImageSort::Path;
        auto rows = ws.images().find(byPath);
        QCOMPARE(rows.size(), std::size_t(4));  // three images and the broken file, not the duplicate
        std::map<std::string, ImageRecord> byName;
        for (const auto& row : rows)
            byName[row.image.relativePath] = row.image;
        QVERIFY(byName.count("a.png") && byName.count("B.JPG") && byName.count("nested/deeper/c.jpeg") &&
                byName.count("broken.jpg"));
        const ImageRecord& a = byName["a.png"];
        QCOMPARE(a.width, 40);
        QCOMPARE(a.height, 30);
        QCOMPARE(a.format, std::string("PNG"));
        QCOMPARE(a.sha256, fileHash(root + "/a.png"));
        QCOMPARE(a.bytes, static_cast<std::int64_t>(fs::file_size(root + "/a.png")));
        QCOMPARE(a.root, fs::canonical(root).string());
        QCOMPARE(a.absolutePath(), fs::canonical(root + "/a.png").string());
        QVERIFY(a.mtimeNs > 1600000000LL * 1000000000LL);  // Unix time in ns
        QCOMPARE(byName["nested/deeper/c.jpeg"].width, 20);
        QCOMPARE(byName["nested/deeper/c.jpeg"].height, 50);
        QCOMPARE(byName["B.JPG"].format, std::string("JPEG"));
        const ImageRecord& broken = byName["broken.jpg"];
        QVERIFY(!broken.ok());
        QCOMPARE(*broken.importError, summary.failures[0].message);
        QCOMPARE(broken.sha256, fileHash(root + "/broken.jpg"));
        QCOMPARE(broken.width, 0);
        // The duplicate resolves to the first file with that content.
        QCOMPARE(ws.images().filesOf(a.id).size(), std::size_t(2));
    }

    void rescanImportsOnlyWhatIsNew() {
        std::string root = imageFolder();
        Workspace ws = Workspace::create(newFolder("ws"));
        ws.importImages(root);
        ImportSummary again = ws.importImages(root);
        QCOMPARE(again.found, std::size_t(5));
        QCOMPARE(again.unchanged, std::size_t(5));
        QCOMPARE(again.imported + again.duplicates + again.failed + again.changed, std::size_t(0));

        writeImage(root + "/new1.png", 10, 10, 10);
        writeImage(root + "/nested/new2.webp", 12, 12, 11);
        fs::copy_file(root + "/B.JPG", root + "/nested/B-again.jpg");
        ImportSummary more = ws.importImages(root);
        QCOMPARE(more.found, std::size_t(8));
        QCOMPARE(more.imported, std::size_t(2));
        QCOMPARE(more.duplicates, std::size_t(1));
        QCOMPARE(more.unchanged, std::size_t(5));
        QCOMPARE(ws.images().count(), std::int64_t(6));
        QCOMPARE(ws.images().get(ws.images().findBySha256(fileHash(root + "/nested/new2.webp"))->id)->format,
                 std::string("WebP"));
    }

    void changedFilesAreRehashed() {
        std::string root = imageFolder();
        Workspace ws = Workspace::create(newFolder("ws"));
        ws.importImages(root);
        std::string oldHash = fileHash(root + "/nested/deeper/c.jpeg");
        std::int64_t oldId = ws.images().findBySha256(oldHash)->id;

        // Touched, same bytes: unchanged, and the new mtime is remembered.
        bumpMtime(root + "/a.png");
        ImportSummary touched = ws.importImages(root);
        QCOMPARE(touched.unchanged, std::size_t(5));
        QCOMPARE(touched.changed, std::size_t(0));
        QCOMPARE(ws.importImages(root).unchanged, std::size_t(5));

        // New content: imported; the replaced image, used by nothing, is gone.
        writeImage(root + "/nested/deeper/c.jpeg", 30, 30, 99);
        bumpMtime(root + "/nested/deeper/c.jpeg");
        ImportSummary changed = ws.importImages(root);
        QCOMPARE(changed.changed, std::size_t(1));
        QCOMPARE(changed.imported, std::size_t(1));
        QVERIFY(!ws.images().get(oldId));
        auto replacement = ws.images().findBySha256(fileHash(root + "/nested/deeper/c.jpeg"));
        QVERIFY(replacement.has_value());
        QCOMPARE(replacement->width, 30);

        // A repaired file is imported and its failure record goes away.
        std::int64_t brokenId = ws.images().findBySha256(fileHash(root + "/broken.jpg"))->id;
        writeImage(root + "/broken.jpg", 16, 16, 5);
        bumpMtime(root + "/broken.jpg");
        ImportSummary repaired = ws.importImages(root);
        QCOMPARE(repaired.imported, std::size_t(1));
        QCOMPARE(repaired.failed, std::size_t(0));
        QVERIFY(!ws.images().get(brokenId));
        ImageFilter failedOnly;
        failedOnly.status = ImageFilter::Status::Failed;
        QCOMPARE(ws.images().count(failedOnly), std::int64_t(0));

        // An image a round uses is kept when its file changes: the round's history stays readable.
        std::int64_t usedId = replacement->id;
        std::int64_t round = addRound(ws);
        ws.rounds().assignImages(round, {usedId});
        writeImage(root + "/nested/deeper/c.jpeg", 31, 31, 100);
        bumpMtime(root + "/nested/deeper/c.jpeg");
        QCOMPARE(ws.importImages(root).imported, std::size_t(1));
        QVERIFY(ws.images().get(usedId).has_value());

        // The first copy of a duplicated content changes: the image moves to the other copy.
        std::int64_t aId = ws.images().findBySha256(fileHash(root + "/a.png"))->id;
        writeImage(root + "/a.png", 33, 33, 101);
        bumpMtime(root + "/a.png");
        ws.importImages(root);
        QCOMPARE(ws.images().get(aId)->relativePath, std::string("nested/copy-of-a.png"));
    }

    void cancelKeepsTheWorkDoneAndResumes() {
        std::string root = imageFolder();
        Workspace ws = Workspace::create(newFolder("ws"));
        ImportSummary first = ws.importImages(root, [](const ImportProgress& p) { return p.processed < 2; });
        QVERIFY(first.cancelled);
        QCOMPARE(first.imported + first.duplicates + first.failed, std::size_t(2));
        QCOMPARE(ws.images().count(), std::int64_t(2));  // committed although the batch was not full
        ImportSummary rest = ws.importImages(root);
        QVERIFY(!rest.cancelled);
        QCOMPARE(rest.unchanged, std::size_t(2));
        QCOMPARE(rest.imported + rest.duplicates + rest.failed, std::size_t(3));
        QCOMPARE(ws.images().count(), std::int64_t(4));
        // Cancelling before the first file touches nothing.
        Workspace other = Workspace::create(newFolder("ws"));
        QVERIFY(other.importImages(root, [](const ImportProgress&) { return false; }).cancelled);
        QCOMPARE(other.images().count(), std::int64_t(0));
    }

    void smallBatchesAndOptions() {
        std::string root = imageFolder();
        Workspace ws = Workspace::create(newFolder("ws"));
        ImportOptions options;
        options.batchSize = 1;
        options.extensions = {"PNG"};  // case and the dot do not matter
        ImportSummary summary = ws.importImages(root, {}, options);
        QCOMPARE(summary.found, std::size_t(2));  // a.png and its copy; .hidden is skipped
        QCOMPARE(summary.imported, std::size_t(1));
        QCOMPARE(summary.duplicates, std::size_t(1));
        ImageImporter importer(ws.database());
        auto files = importer.scan(root);
        QCOMPARE(files.size(), std::size_t(5));
        QVERIFY(std::is_sorted(files.begin(), files.end()));
    }

    void skipsTheWorkspacesOwnImages() {
        std::string root = newFolder("images");
        writeImage(root + "/photo.png", 10, 10, 1);
        Workspace ws = Workspace::create(root + "/my-workspace");
        writeImage(ws.thumbnailsFolder() + "/thumb.png", 4, 4, 2);
        writeImage(ws.exportsFolder() + "/grid.jpg", 4, 4, 3);
        writeImage(ws.folder() + "/my-images/kept-here.png", 6, 6, 4);  // the user's own: imported
        ImportSummary summary = ws.importImages(root);
        QCOMPARE(summary.found, std::size_t(2));
        QCOMPARE(summary.imported, std::size_t(2));
    }

    void reportsFilesThatDisappeared() {
        std::string root = imageFolder();
        Workspace ws = Workspace::create(newFolder("ws"));
        ws.importImages(root);
        fs::remove(root + "/nested/deeper/c.jpeg");
        fs::remove(root + "/nested/copy-of-a.png");
        ImportSummary summary = ws.importImages(root);
        QCOMPARE(summary.missing, std::size_t(2));
        QCOMPARE(summary.unchanged, std::size_t(3));
        QCOMPARE(ws.images().count(), std::int64_t(4));  // records stay: rounds may have used them
    }

    void refusesWhatIsNotAFolder() {
        Workspace ws = Workspace::create(newFolder("ws"));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, ws.importImages(tempPath(m_dir, "no-such-folder")));
        std::string file = tempPath(m_dir, "file.png");
        writeBytes(file, {1, 2, 3});
        QVERIFY_THROWS_EXCEPTION(sena::InputError, ws.importImages(file));
    }
};

int runImporterTests(int argc, char** argv) {
    ImporterTests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestImporter.moc"
