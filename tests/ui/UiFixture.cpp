#include "UiFixture.h"

#include "store/Transaction.h"

#include <QColor>
#include <QDir>
#include <QImage>
#include <QPainter>

namespace sena::ui::test {

void insertPairs(store::Workspace& ws, std::int64_t roundId, std::int64_t imageId, int count, int firstNumber) {
    static const char* colours[] = {"red", "green", "blue", "yellow", "purple", "orange", "black"};
    store::Transaction tx(ws.database());
    auto pairs = ws.pairs();
    for (int i = 0; i < count; ++i) {
        const int n = firstNumber + i;
        store::PairRecord p;
        p.roundId = roundId;
        p.imageId = imageId;
        p.type = n % 3 == 0 ? store::PairType::Description : store::PairType::General;
        p.prompt = "What colour is shape number " + std::to_string(n) + "?";
        p.chosen = std::string("The shape is ") + colours[n % 7] + " with " + std::to_string(n % 97) + " dots.";
        p.rejected = std::string("It looks ") + colours[(n + 3) % 7] + ".";
        p.passed = n % 5 != 0;
        if (!p.passed)
            p.filterHits = {{"identical", "chosen equals rejected"}};
        if (n % 2 == 0) {
            store::ReferenceLogps ref;
            ref.chosenSum = -10.0 - (n % 13);
            ref.rejectedSum = -12.0 - (n % 17);
            ref.chosenMean = ref.chosenSum / 10;
            ref.rejectedMean = ref.rejectedSum / 10;
            ref.modelHash = "test";
            p.reference = ref;
        }
        pairs.insert(p);
    }
    tx.commit();
}

void writeImages(const QString& folder, int count) {
    QDir().mkpath(folder);
    for (int i = 0; i < count; ++i) {
        QImage img(96 + i * 8, 80, QImage::Format_RGB32);
        img.fill(QColor::fromHsv((i * 47) % 360, 200, 220));
        QPainter painter(&img);
        painter.setBrush(Qt::black);
        painter.drawEllipse(QPoint(40, 40), 10 + i, 10 + i);
        painter.end();
        img.save(QStringLiteral("%1/img-%2.png").arg(folder).arg(i, 3, 10, QLatin1Char('0')));
    }
}

Fixture buildWorkspace(const QString& folder, int images, int pairsPerImage) {
    const QString imageDir = folder + QStringLiteral("/images");
    writeImages(imageDir, images);
    auto ws = store::Workspace::create((folder + QStringLiteral("/ws")).toStdString());
    ws.importImages(imageDir.toStdString());
    Fixture f;
    store::ImageQuery all;
    all.limit = 100000;
    for (const auto& row : ws.images().find(all))
        f.imageIds.push_back(row.image.id);
    store::RoundRecord round;
    round.generatorModelPath = "/nonexistent/model";
    f.roundId = ws.rounds().create(round);
    ws.rounds().assignImages(f.roundId, f.imageIds);
    int n = 0;
    for (std::int64_t imageId : f.imageIds) {
        insertPairs(ws, f.roundId, imageId, pairsPerImage, n);
        n += pairsPerImage;
    }
    store::PairQuery q;
    q.limit = 1000000;
    for (const auto& p : ws.pairs().find(q))
        f.pairIds.push_back(p.id);
    return f;
}

}  // namespace sena::ui::test
