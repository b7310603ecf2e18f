#pragma once
// The built-in demo: a tiny random LLaVA (with a byte-level BPE tokenizer trained here on the
// prompt texts), a folder of generated images, a workspace importing them and one generated
// round. Everything is made locally in seconds on a CPU, so the workbench and the CLI can be tried
// without downloading a model; the model's text is gibberish, but every record and link is real.
#include <functional>
#include <string>
#include <vector>

namespace sena::pipeline {

using DemoProgress = std::function<bool(const std::string& step, double fraction)>;

struct DemoPaths {
    std::string root, model, images, workspace;
};

// Creates (or completes) the demo under `folder`: folder/model, folder/images, folder/workspace.
// Steps already done are kept, so calling it again is cheap.
DemoPaths createDemoWorkspace(const std::string& folder, const DemoProgress& progress = {});

// One synthetic image and what it shows (the demo model is taught to talk about it).
struct DemoImage {
    std::string file;  // absolute path
    std::string shape, color, background;
};

// Synthetic images (a salient shape on a plain background, plus small clutter) as PNG files.
std::vector<DemoImage> writeDemoImages(const std::string& folder, int count, uint64_t seed = 11);

// The demo model (config, weights, preprocessor, tokenizer): a tiny LLaVA taught, in a few seconds
// of training on `images`, to answer SENA's prompt formats about them (questions ending in '?',
// "QUESTION:" lines, captions, short answers, "Improved Answer:" lines). `trainSteps` = 0 leaves
// it random. Tests use it as a model folder whose tokenizer matches its vocabulary.
void writeDemoModel(const std::string& folder, const std::vector<DemoImage>& images, int trainSteps = 300,
                    uint64_t seed = 7);

}  // namespace sena::pipeline
