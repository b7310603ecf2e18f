#include "pipeline/PairExchange.h"

#include "image/ImageLoader.h"
#include "store/Transaction.h"
#include "store/Workspace.h"
#include "util/Error.h"
#include "util/Json.h"
#include "util/Sha256.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace sena::pipeline {
namespace fs = std::filesystem;
using util::Json;

ExchangeFormat parseExchangeFormat(const std::string& name) {
    if (name == "trl")
        return ExchangeFormat::Trl;
    if (name == "llamafactory" || name == "llama-factory" || name == "sharegpt")
        return ExchangeFormat::LlamaFactory;
    if (name == "sena" || name == "seva")
        return ExchangeFormat::Sena;
    throw ConfigError("format '" + name + "' is unknown (trl, llamafactory, sena)");
}

const char* exchangeFormatName(ExchangeFormat format) {
    switch (format) {
    case ExchangeFormat::Trl: return "trl";
    case ExchangeFormat::LlamaFactory: return "llamafactory";
    case ExchangeFormat::Sena: return "sena";
    }
    return "?";
}

namespace {

Json userTurn(const std::string& text) {
    return Json::array({{{"role", "user"}, {"content", {{{"type", "image"}}, {{"type", "text"}, {"text", text}}}}}});
}
Json assistantTurn(const std::string& text) {
    return Json::array({{{"role", "assistant"}, {"content", {{{"type", "text"}, {"text", text}}}}}});
}

// A chat-message list's text (TRL's conversational form), or the string itself.
std::string plainText(const Json& v, const std::string& where) {
    if (v.is_string())
        return v.get<std::string>();
    std::string out;
    if (v.is_array())
        for (const auto& m : v) {
            if (!m.is_object() || !m.contains("content"))
                throw FormatError(where + ": a message has no content");
            const auto& c = m["content"];
            if (c.is_string())
                out += c.get<std::string>();
            else if (c.is_array())
                for (const auto& part : c)
                    if (part.is_object() && part.value("type", "") == "text")
                        out += part.value("text", "");
        }
    else
        throw FormatError(where + ": expected a string or a list of chat messages");
    return out;
}

std::string stripImageTag(std::string s) {
    for (const std::string tag : {"<image>\n", "<image>"}) {
        const auto p = s.find(tag);
        if (p != std::string::npos)
            s.erase(p, tag.size());
    }
    return s;
}

}  // namespace

ExportSummary exportPairs(store::Workspace& ws, const std::string& outPath, const ExportOptions& o) {
    store::PairFilter filter;
    if (o.roundIndex) {
        auto r = ws.rounds().byIndex(static_cast<int>(*o.roundIndex));
        if (!r)
            throw InputError("the workspace has no round " + std::to_string(*o.roundIndex));
        filter.roundId = r->id;
    }
    filter.curation = o.acceptedOnly ? std::vector<store::Curation>{store::Curation::Accepted, store::Curation::Edited}
                                     : std::vector<store::Curation>{store::Curation::Pending, store::Curation::Accepted,
                                                                    store::Curation::Edited};
    if (!o.includeFiltered)
        filter.passed = true;
    const fs::path out(outPath);
    if (!out.parent_path().empty())
        fs::create_directories(out.parent_path());
    const std::string tmp = outPath + ".tmp";
    std::ofstream file(tmp, std::ios::trunc);
    if (!file)
        throw FormatError("cannot write '" + tmp + "'; check the folder exists and is writable");
    Json list = Json::array();
    std::map<int64_t, std::string> imagePaths;
    std::map<int64_t, int> roundIndex;
    ExportSummary summary;
    summary.path = outPath;
    store::PairQuery q;
    q.filter = filter;
    q.limit = 1000;
    for (q.offset = 0;; q.offset += q.limit) {
        auto page = ws.pairs().find(q);
        for (const auto& p : page) {
            if (!imagePaths.count(p.imageId)) {
                auto img = ws.images().get(p.imageId);
                std::string path = img ? img->absolutePath() : std::string();
                if (!o.relativeTo.empty())
                    path = fs::relative(path, o.relativeTo).string();
                imagePaths[p.imageId] = path;
            }
            const std::string& image = imagePaths[p.imageId];
            Json rec;
            switch (o.format) {
            case ExchangeFormat::Trl:
                if (o.conversational)
                    rec = {{"images", {image}}, {"prompt", userTurn(p.effectivePrompt())},
                           {"chosen", assistantTurn(p.effectiveChosen())}, {"rejected", assistantTurn(p.effectiveRejected())}};
                else
                    rec = {{"images", {image}}, {"prompt", p.effectivePrompt()}, {"chosen", p.effectiveChosen()},
                           {"rejected", p.effectiveRejected()}};
                file << rec.dump() << "\n";
                break;
            case ExchangeFormat::LlamaFactory:
                list.push_back({{"conversations", {{{"from", "human"}, {"value", "<image>" + p.effectivePrompt()}}}},
                                {"chosen", {{"from", "gpt"}, {"value", p.effectiveChosen()}}},
                                {"rejected", {{"from", "gpt"}, {"value", p.effectiveRejected()}}},
                                {"images", {image}}});
                break;
            case ExchangeFormat::Sena: {
                std::string question;
                if (p.questionId)
                    if (auto qr = ws.questions().get(*p.questionId))
                        question = qr->finalQuestion;
                list.push_back({{"id", p.id}, {"image", image}, {"type", store::toString(p.type)},
                                {"question", question}, {"prompt", p.effectivePrompt()}, {"chosen", p.effectiveChosen()},
                                {"rejected", p.effectiveRejected()}, {"round", p.roundIndex},
                                {"curation", store::toString(p.curation)}, {"tags", p.tags}, {"note", p.note}});
                break;
            }
            }
            ++summary.pairs;
        }
        if (static_cast<int64_t>(page.size()) < q.limit)
            break;
    }
    if (o.format != ExchangeFormat::Trl)
        file << list.dump(1) << "\n";
    file.close();
    if (!file)
        throw FormatError("writing '" + tmp + "' failed (disk full?)");
    fs::rename(tmp, outPath);
    return summary;
}

PairImportSummary importPairs(store::Workspace& ws, const std::string& path, ExchangeFormat format, const std::string& rootIn) {
    std::ifstream in(path);
    if (!in)
        throw FormatError("cannot open '" + path + "'");
    const fs::path root = fs::weakly_canonical(fs::absolute(rootIn.empty() ? fs::path(path).parent_path() : fs::path(rootIn)));
    struct Item {
        std::string image, prompt, chosen, rejected, type = "gen", note;
        std::vector<std::string> tags;
    };
    std::vector<Item> items;
    PairImportSummary summary;
    auto parseRecord = [&](const Json& r, const std::string& where) {
        if (!r.is_object())
            throw FormatError(where + ": not a JSON object");
        Item it;
        auto images = r.contains("images") ? r["images"] : (r.contains("image") ? Json::array({r["image"]}) : Json());
        if (!images.is_array() || images.size() != 1 || !images[0].is_string())
            throw FormatError(where + ": needs exactly one image path ('images': [path] or 'image': path)");
        it.image = images[0].get<std::string>();
        if (format == ExchangeFormat::LlamaFactory) {
            if (!r.contains("conversations") || !r["conversations"].is_array() || r["conversations"].empty())
                throw FormatError(where + ": no 'conversations'");
            it.prompt = stripImageTag(r["conversations"].back().value("value", ""));
            it.chosen = r.contains("chosen") && r["chosen"].is_object() ? r["chosen"].value("value", "") : "";
            it.rejected = r.contains("rejected") && r["rejected"].is_object() ? r["rejected"].value("value", "") : "";
        } else {
            if (!r.contains("prompt") || !r.contains("chosen") || !(r.contains("rejected") || r.contains("reject")))
                throw FormatError(where + ": needs prompt, chosen and rejected");
            it.prompt = stripImageTag(plainText(r["prompt"], where + ".prompt"));
            it.chosen = plainText(r["chosen"], where + ".chosen");
            it.rejected = plainText(r.contains("rejected") ? r["rejected"] : r["reject"], where + ".rejected");
            if (r.contains("type") && r["type"].is_string())
                it.type = r["type"].get<std::string>();
            if (r.contains("note") && r["note"].is_string())
                it.note = r["note"].get<std::string>();
            if (r.contains("tags") && r["tags"].is_array())
                for (const auto& t : r["tags"])
                    if (t.is_string())
                        it.tags.push_back(t.get<std::string>());
        }
        if (it.chosen.empty() || it.rejected.empty())
            throw FormatError(where + ": chosen or rejected is empty");
        if (it.type != "des" && it.type != "gen")
            throw FormatError(where + ": type '" + it.type + "' is not des or gen");
        items.push_back(std::move(it));
    };
    auto tryRecord = [&](const Json& r, const std::string& where) {
        try {
            parseRecord(r, where);
        } catch (const FormatError& e) {
            summary.problems.push_back(e.what());
            ++summary.skipped;
        }
    };
    if (format == ExchangeFormat::Trl) {
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            Json r;
            try {
                r = Json::parse(line);
            } catch (const Json::exception& e) {
                summary.problems.push_back(path + ":" + std::to_string(n) + ": not JSON");
                ++summary.skipped;
                continue;
            }
            tryRecord(r, path + ":" + std::to_string(n));
        }
    } else {
        std::stringstream buf;
        buf << in.rdbuf();
        Json all;
        try {
            all = Json::parse(buf.str());
        } catch (const Json::exception& e) {
            throw FormatError("'" + path + "' is not valid JSON: " + e.what());
        }
        if (!all.is_array())
            throw FormatError("'" + path + "' must hold a JSON list of records");
        for (size_t i = 0; i < all.size(); ++i)
            tryRecord(all[i], path + "[" + std::to_string(i) + "]");
    }

    // Images: resolve inside the root, dedupe by content, validate by decoding.
    std::map<std::string, int64_t> imageIds;
    std::vector<std::pair<const Item*, int64_t>> ready;
    const int64_t rootId = ws.images().rootIdFor(root.string());
    for (const auto& it : items) {
        auto found = imageIds.find(it.image);
        if (found == imageIds.end()) {
            const fs::path p = fs::weakly_canonical(fs::path(it.image).is_absolute() ? fs::path(it.image) : root / it.image);
            const auto rel = p.lexically_relative(root);
            if (rel.empty() || rel.begin()->string() == "..") {
                summary.problems.push_back("image '" + it.image + "' lies outside the image root '" + root.string() + "'");
                ++summary.skipped;
                continue;
            }
            try {
                std::ifstream f(p, std::ios::binary);
                if (!f)
                    throw FormatError("cannot open '" + p.string() + "'");
                std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
                const std::string sha = util::Sha256::hexOf(bytes);
                int64_t id = 0;
                if (auto known = ws.images().findBySha256(sha)) {
                    id = known->id;
                } else {
                    auto decoded = image::decodeImage(bytes, p.string());
                    store::ImageRecord rec;
                    rec.rootId = rootId;
                    rec.relativePath = rel.generic_string();
                    rec.sha256 = sha;
                    rec.width = decoded.width;
                    rec.height = decoded.height;
                    rec.bytes = static_cast<int64_t>(bytes.size());
                    rec.mtimeNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      fs::last_write_time(p).time_since_epoch())
                                      .count();
                    id = ws.images().insert(rec);
                    ++summary.images;
                }
                found = imageIds.emplace(it.image, id).first;
            } catch (const Error& e) {
                summary.problems.push_back(std::string("image '") + it.image + "': " + e.what());
                ++summary.skipped;
                continue;
            }
        }
        ready.emplace_back(&it, found->second);
    }
    if (ready.empty())
        throw InputError("'" + path + "' yielded no importable pairs" +
                         (summary.problems.empty() ? std::string() : ": " + summary.problems.front()));
    store::Transaction tx(ws.database());
    store::RoundRecord round;
    round.configJson = Json{{"imported_from", fs::absolute(path).string()}, {"format", exchangeFormatName(format)}}.dump();
    round.generatorModelPath = "imported";
    const int64_t roundId = ws.rounds().create(round);
    std::vector<int64_t> roundImages;
    for (const auto& [it, imageId] : ready) {
        store::PairRecord p;
        p.roundId = roundId;
        p.imageId = imageId;
        p.type = it->type == "des" ? store::PairType::Description : store::PairType::General;
        p.prompt = it->prompt;
        p.chosen = it->chosen;
        p.rejected = it->rejected;
        p.note = it->note;
        p.tags = it->tags;
        ws.pairs().insert(p);
        roundImages.push_back(imageId);
        ++summary.pairs;
    }
    std::sort(roundImages.begin(), roundImages.end());
    roundImages.erase(std::unique(roundImages.begin(), roundImages.end()), roundImages.end());
    ws.rounds().assignImages(roundId, roundImages);
    ws.rounds().setStatus(roundId, store::RoundStatus::Generated);
    tx.commit();
    summary.roundIndex = ws.rounds().get(roundId)->index;
    return summary;
}

}  // namespace sena::pipeline
