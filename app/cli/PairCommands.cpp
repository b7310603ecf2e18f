// sena pairs list, sena export, sena import.
#include "Commands.h"
#include "pipeline/PairExchange.h"
#include "store/Workspace.h"
#include "util/Error.h"
#include "util/Json.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

namespace sena::cli {

namespace {
std::string clip(const std::string& s, size_t n) {
    std::string one = s;
    for (auto& c : one)
        if (c == '\n' || c == '\t')
            c = ' ';
    return one.size() > n ? one.substr(0, n - 3) + "..." : one;
}

store::PairSort parseSort(const std::string& s) {
    static const std::map<std::string, store::PairSort> sorts = {
        {"id", store::PairSort::Id},           {"round", store::PairSort::Round},
        {"type", store::PairSort::Type},       {"question", store::PairSort::Question},
        {"chosen", store::PairSort::Chosen},   {"rejected", store::PairSort::Rejected},
        {"chosen-length", store::PairSort::ChosenLength}, {"rejected-length", store::PairSort::RejectedLength},
        {"margin", store::PairSort::Margin},   {"status", store::PairSort::Curation},
        {"passed", store::PairSort::Passed},   {"tags", store::PairSort::Tags},
        {"updated", store::PairSort::UpdatedAt}};
    auto it = sorts.find(s);
    if (it == sorts.end())
        throw ConfigError("unknown sort column '" + s + "'");
    return it->second;
}
}  // namespace

void registerPairCommands(CLI::App& app) {
    auto* pairs = app.add_subcommand("pairs", "Inspect preference pairs");
    pairs->require_subcommand(1);
    {
        auto* list = pairs->add_subcommand("list", "List pairs with filters, sorted, a page at a time");
        struct Args {
            std::string ws, curation, type, search, sort = "id", filter;
            int64_t round = 0, limit = 50, offset = 0;
            bool json = false, desc = false, passed = false, filtered = false;
        };
        auto a = std::make_shared<Args>();
        list->add_option("workspace", a->ws, "Workspace folder")->required();
        list->add_option("--round", a->round, "Round index");
        list->add_option("--curation", a->curation, "pending, accepted, rejected or edited");
        list->add_option("--type", a->type, "des or gen");
        list->add_flag("--passed", a->passed, "Only pairs every filter let through");
        list->add_flag("--filtered", a->filtered, "Only pairs a filter removed");
        list->add_option("--filter", a->filter, "Only pairs this filter fired on");
        list->add_option("--search", a->search, "Full-text search in question, chosen and rejected");
        list->add_option("--sort", a->sort, "id, round, type, question, chosen, rejected, chosen-length, "
                                             "rejected-length, margin, status, passed, tags, updated");
        list->add_flag("--desc", a->desc, "Sort descending");
        list->add_option("--limit", a->limit, "Rows per page")->capture_default_str();
        list->add_option("--offset", a->offset, "Rows to skip");
        list->add_flag("--json", a->json, "Print JSON");
        list->callback([a] {
            auto w = store::Workspace::open(a->ws, {true});
            store::PairQuery q;
            if (a->round > 0) {
                auto r = w.rounds().byIndex(static_cast<int>(a->round));
                if (!r)
                    throw InputError("the workspace has no round " + std::to_string(a->round));
                q.filter.roundId = r->id;
            }
            if (!a->curation.empty())
                q.filter.curation = {store::parseCuration(a->curation)};
            if (!a->type.empty())
                q.filter.type = store::parsePairType(a->type);
            if (a->passed)
                q.filter.passed = true;
            if (a->filtered)
                q.filter.passed = false;
            if (!a->filter.empty())
                q.filter.filterHit = a->filter;
            q.filter.search = a->search;
            q.sort = parseSort(a->sort);
            q.descending = a->desc;
            q.limit = a->limit;
            q.offset = a->offset;
            const auto rows = w.pairs().find(q);
            const auto total = w.pairs().count(q.filter);
            if (a->json) {
                util::Json out = util::Json::array();
                for (const auto& p : rows) {
                    util::Json hits = util::Json::array();
                    for (const auto& h : p.filterHits)
                        hits.push_back({{"filter", h.filter}, {"detail", h.detail}});
                    util::Json j = {{"id", p.id}, {"round", p.roundIndex}, {"image_id", p.imageId},
                                    {"type", store::toString(p.type)}, {"prompt", p.effectivePrompt()},
                                    {"chosen", p.effectiveChosen()}, {"rejected", p.effectiveRejected()},
                                    {"passed", p.passed}, {"filters", hits}, {"curation", store::toString(p.curation)},
                                    {"tags", p.tags}, {"note", p.note}};
                    if (p.reference)
                        j["reference"] = {{"chosen_sum", p.reference->chosenSum}, {"rejected_sum", p.reference->rejectedSum},
                                          {"margin", *p.margin()}};
                    out.push_back(j);
                }
                std::cout << util::Json{{"total", total}, {"offset", a->offset}, {"pairs", out}}.dump(1) << "\n";
                return;
            }
            std::printf("%6s %5s %4s %-9s %-6s %-38s %-30s %-30s\n", "id", "round", "type", "curation", "pass", "prompt",
                        "chosen", "rejected");
            for (const auto& p : rows)
                std::printf("%6lld %5d %4s %-9s %-6s %-38s %-30s %-30s\n", static_cast<long long>(p.id), p.roundIndex,
                            store::toString(p.type), store::toString(p.curation), p.passed ? "yes" : "no",
                            clip(p.effectivePrompt(), 38).c_str(), clip(p.effectiveChosen(), 30).c_str(),
                            clip(p.effectiveRejected(), 30).c_str());
            std::printf("%zu of %lld pairs (offset %lld)\n", rows.size(), static_cast<long long>(total),
                        static_cast<long long>(a->offset));
        });
    }
    {
        auto* exp = app.add_subcommand("export", "Write preference pairs for other trainers");
        struct Args {
            std::string ws, format = "trl", out, relativeTo;
            int64_t round = 0;
            bool accepted = false, filtered = false, conversational = false;
        };
        auto a = std::make_shared<Args>();
        exp->add_option("workspace", a->ws, "Workspace folder")->required();
        exp->add_option("--format", a->format, "trl, llamafactory or sena")->capture_default_str();
        exp->add_option("--out", a->out, "Output file")->required();
        exp->add_option("--round", a->round, "Only this round");
        exp->add_flag("--accepted-only", a->accepted, "Only pairs a curator accepted or edited");
        exp->add_flag("--include-filtered", a->filtered, "Also pairs a filter removed");
        exp->add_flag("--conversational", a->conversational, "trl: chat-message form");
        exp->add_option("--relative-to", a->relativeTo, "Write image paths relative to this folder");
        exp->callback([a] {
            auto w = store::Workspace::open(a->ws, {true});
            pipeline::ExportOptions o;
            o.format = pipeline::parseExchangeFormat(a->format);
            if (a->round > 0)
                o.roundIndex = a->round;
            o.acceptedOnly = a->accepted;
            o.includeFiltered = a->filtered;
            o.conversational = a->conversational;
            o.relativeTo = a->relativeTo;
            auto s = pipeline::exportPairs(w, a->out, o);
            std::printf("wrote %lld pairs to %s\n", static_cast<long long>(s.pairs), s.path.c_str());
        });
    }
    {
        auto* imp = app.add_subcommand("import", "Read preference pairs (trl, llamafactory, sena) into a new round");
        struct Args {
            std::string ws, file, format = "trl", root;
        };
        auto a = std::make_shared<Args>();
        imp->add_option("workspace", a->ws, "Workspace folder")->required();
        imp->add_option("file", a->file, "File to read")->required();
        imp->add_option("--format", a->format, "trl, llamafactory or sena")->capture_default_str();
        imp->add_option("--root", a->root, "Folder image paths resolve against (default: the file's folder)");
        imp->callback([a] {
            auto w = store::Workspace::open(a->ws);
            auto s = pipeline::importPairs(w, a->file, pipeline::parseExchangeFormat(a->format), a->root);
            std::printf("imported %lld pairs (%lld new images) as round %lld; skipped %lld\n",
                        static_cast<long long>(s.pairs), static_cast<long long>(s.images),
                        static_cast<long long>(s.roundIndex), static_cast<long long>(s.skipped));
            for (size_t i = 0; i < s.problems.size() && i < 20; ++i)
                std::printf("  skipped: %s\n", s.problems[i].c_str());
        });
    }
}

}  // namespace sena::cli
