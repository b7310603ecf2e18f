// sena tokenize --tokenizer FILE_OR_DIR [--no-bos] [--json] TEXT...: the ids and pieces of each
// text and its decode round trip, to check a model's tokenizer by eye or from a script.
#include "Commands.h"
#include "text/Tokenizer.h"
#include "util/Json.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace sena::cli {

namespace {

struct TokenizeOptions {
    std::string tokenizer;
    bool noBos = false;
    bool json = false;
    std::vector<std::string> texts;
};

// A text in double quotes with control characters escaped, so newlines and tabs stay visible.
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        default:
            if (c < 0x20 || c == 0x7F) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
                out += escaped;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

util::Json optionalId(const std::optional<int>& id) {
    return id ? util::Json(*id) : util::Json(nullptr);
}

void run(const TokenizeOptions& options) {
    const std::unique_ptr<text::Tokenizer> tokenizer = text::loadTokenizer(options.tokenizer);
    const bool addBos = !options.noBos;
    util::Json results = util::Json::array();
    for (const std::string& input : options.texts) {
        const std::vector<int> ids = tokenizer->encode(input, addBos);
        std::vector<std::string> pieces;
        pieces.reserve(ids.size());
        for (int id : ids)
            pieces.push_back(tokenizer->tokenText(id));
        const std::string decoded = tokenizer->decode(ids, true);
        // The round trip keeps special tokens typed in the text but not the BOS encode added.
        std::vector<int> withoutBos = ids;
        if (addBos && tokenizer->specialIds().addBos && tokenizer->bosId() && !withoutBos.empty() &&
            withoutBos.front() == *tokenizer->bosId())
            withoutBos.erase(withoutBos.begin());
        const std::string roundTrip = tokenizer->decode(withoutBos, false);
        if (options.json) {
            results.push_back({{"text", input},
                               {"ids", ids},
                               {"pieces", pieces},
                               {"decoded", decoded},
                               {"round_trip", roundTrip},
                               {"round_trip_exact", roundTrip == input}});
            continue;
        }
        std::cout << "text     " << quoted(input) << "\n";
        std::cout << "ids      [";
        for (std::size_t i = 0; i < ids.size(); ++i)
            std::cout << (i ? ", " : "") << ids[i];
        std::cout << "]  (" << ids.size() << " tokens)\n";
        std::cout << "pieces   ";
        for (std::size_t i = 0; i < pieces.size(); ++i)
            std::cout << (i ? " | " : "") << quoted(pieces[i]);
        std::cout << "\n";
        std::cout << "decoded  " << quoted(decoded) << "  (special tokens skipped)\n";
        std::cout << "round    " << (roundTrip == input ? "exact" : "differs: " + quoted(roundTrip)) << "\n\n";
    }
    if (options.json) {
        const util::Json out = {{"tokenizer", options.tokenizer},
                                {"vocab_size", tokenizer->vocabSize()},
                                {"bos_id", optionalId(tokenizer->bosId())},
                                {"eos_id", optionalId(tokenizer->eosId())},
                                {"pad_id", optionalId(tokenizer->padId())},
                                {"add_bos", addBos},
                                {"results", results}};
        // Texts may hold ill-formed UTF-8 (SentencePiece accepts it); print U+FFFD rather than fail.
        std::cout << out.dump(2, ' ', false, util::Json::error_handler_t::replace) << "\n";
    }
}

}  // namespace

void registerTokenizeCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("tokenize", "Token ids and pieces of texts, with the decode round trip");
    auto options = std::make_shared<TokenizeOptions>();
    cmd->add_option("--tokenizer", options->tokenizer, "Model folder, tokenizer.model or tokenizer.json")->required();
    cmd->add_flag("--no-bos", options->noBos, "Do not put BOS first (by default it is, where the tokenizer has one)");
    cmd->add_flag("--json", options->json, "Print JSON");
    cmd->add_option("text", options->texts, "Texts to tokenize")->required();
    cmd->callback([options] { run(*options); });
}

}  // namespace sena::cli
