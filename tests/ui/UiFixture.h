#pragma once
// Builds test workspaces: PNG images written with QImage, imported through the store, one round,
// and pairs inserted directly through PairStore.
#include "store/Workspace.h"

#include <QString>

#include <vector>

namespace sena::ui::test {

struct Fixture {
    std::int64_t roundId = 0;
    std::vector<std::int64_t> imageIds;
    std::vector<std::int64_t> pairIds;
};

// `count` coloured PNGs (img-000.png, …) of slightly different sizes in `folder`.
void writeImages(const QString& folder, int count);

// `images` coloured PNGs in folder/images, a workspace in folder/ws with them imported, one round
// and `pairsPerImage` pairs per image (texts vary so search and sorting have something to find).
Fixture buildWorkspace(const QString& folder, int images, int pairsPerImage);

// Adds `count` pairs to the round in one transaction (for the 100k test and the writer thread).
void insertPairs(store::Workspace& ws, std::int64_t roundId, std::int64_t imageId, int count, int firstNumber);

}  // namespace sena::ui::test
