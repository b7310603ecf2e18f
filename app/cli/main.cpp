// `sena`: the headless SENA Workbench. Every verb lives in its own file (see Commands.h).
#include "Commands.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>
#include <c10/util/Exception.h>

#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"SENA Workbench: align LLaVA-family models by self-evolution from unannotated images"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("sena 0.1.0"));
    sena::cli::registerInfoCommand(app);
    sena::cli::registerParityCommand(app);
    sena::cli::registerGenerateCommand(app);
    sena::cli::registerTokenizeCommand(app);
#ifdef SENA_HAVE_CORRUPT
    sena::cli::registerCorruptCommand(app);
#endif
#ifdef SENA_HAVE_WORKSPACE
    sena::cli::registerWorkspaceCommands(app);
    sena::cli::registerPairCommands(app);
    sena::cli::registerTrainCommands(app);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const sena::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    } catch (const c10::Error& e) {
        // LibTorch errors carry a long backtrace; the first line says what went wrong.
        std::string msg = e.what_without_backtrace();
        std::cerr << "error (LibTorch): " << msg.substr(0, msg.find('\n')) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
