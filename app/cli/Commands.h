#pragma once
// Each verb of the `sena` CLI lives in its own file and registers itself here. A verb's callback
// throws sena::Error on bad input; main() prints the message and exits with status 1.
namespace CLI {
class App;
}

namespace sena::cli {

void registerInfoCommand(CLI::App& app);
void registerParityCommand(CLI::App& app);
void registerGenerateCommand(CLI::App& app);
void registerTokenizeCommand(CLI::App& app);
void registerCorruptCommand(CLI::App& app);
void registerWorkspaceCommands(CLI::App& app);  // workspace, round, demo
void registerPairCommands(CLI::App& app);       // pairs, export, import
void registerTrainCommands(CLI::App& app);      // round score/train/next, run (after registerWorkspaceCommands)

}  // namespace sena::cli
