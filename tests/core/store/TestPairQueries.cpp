// Pair queries (every filter and sort, paging, full-text search), curation updates, and paging
// speed over 100,000 pairs.
#include "StoreTestUtil.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>
#include <random>
#include <set>
#include <thread>
#include <variant>

using namespace storetest;

namespace {

using Ids = std::vector<std::int64_t>;
using SortKey = std::variant<double, std::string>;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string joined(const std::vector<std::string>& tags) {
    std::string out;
    for (const auto& t : tags)
        out += (out.empty() ? "" : ", ") + t;
    return out;
}

// What each sort orders by, computed from the records themselves.
SortKey sortKey(PairSort sort, const PairRecord& p) {
    switch (sort) {
        case PairSort::Id:
            return double(p.id);
        case PairSort::Round:
            return double(p.roundId);
        case PairSort::Type:
            return std::string(toString(p.type));
        case PairSort::Question:
            return lower(p.effectivePrompt());
        case PairSort::Chosen:
            return lower(p.effectiveChosen());
        case PairSort::Rejected:
            return lower(p.effectiveRejected());
        case PairSort::ChosenLength:
            return double(p.effectiveChosen().size());
        case PairSort::RejectedLength:
            return double(p.effectiveRejected().size());
        case PairSort::Margin:
            return p.margin().value_or(-INFINITY);  // SQL NULL sorts first
        case PairSort::Curation:
            return std::string(toString(p.curation));
        case PairSort::Passed:
            return double(p.passed);
        case PairSort::Tags:
            return joined(p.tags);
        case PairSort::UpdatedAt:
            return p.updatedAt;
    }
    return 0.0;
}

Ids idsOf(const std::vector<PairRecord>& rows) {
    Ids ids;
    for (const auto& p : rows)
        ids.push_back(p.id);
    return ids;
}

}  // namespace

class PairQueryTests : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    std::int64_t m_round1 = 0, m_round2 = 0;
    std::int64_t m_p[8] = {};  // fixture pair ids, 1-based like the comments

    Ids query(const PairFilter& filter, PairSort sort = PairSort::Id, bool descending = false) {
        PairQuery q;
        q.filter = filter;
        q.sort = sort;
        q.descending = descending;
        q.limit = 1000;
        Ids ids = idsOf(m_ws->pairs().find(q));
        // count() and find() must agree on every filter; a -1 makes the caller's comparison fail.
        if (static_cast<std::int64_t>(ids.size()) != m_ws->pairs().count(filter))
            ids.push_back(-1);
        return ids;
    }
    Ids fixture(std::initializer_list<int> which) {
        Ids ids;
        for (int i : which)
            ids.push_back(m_p[i]);
        return ids;
    }

private slots:
    void initTestCase() {
        m_ws = std::make_unique<Workspace>(Workspace::create(tempPath(m_dir, "ws")));
        Workspace& ws = *m_ws;
        m_round1 = addRound(ws);
        m_round2 = addRound(ws);
        std::int64_t i1 = addImage(ws, "bus.jpg"), i2 = addImage(ws, "zoo.jpg");
        PairStore pairs = ws.pairs();
        auto add = [&](int n, PairRecord p) { m_p[n] = pairs.insert(p); };

        auto p1 = makePair(m_round1, i1, "What colour is the bus?", "The bus is bright red.", "Blue.");
        p1.curation = Curation::Accepted;
        p1.reference = ReferenceLogps{-10, -1, -15, -3, "m0"};
        p1.tags = {"vehicles"};
        add(1, p1);
        auto p2 = makePair(m_round1, i1, "Describe the image briefly.", "A red double-decker bus on a busy street.",
                           "A street.", PairType::Description);
        p2.reference = ReferenceLogps{-30, -1, -20, -2, "m0"};
        add(2, p2);
        auto p3 = makePair(m_round1, i2, "Is there a dog?", "Yes", "No");
        p3.curation = Curation::Rejected;
        p3.passed = false;
        p3.filterHits = {{"yes_no", "chosen is a bare yes"}};
        add(3, p3);
        auto p4 = makePair(m_round1, i2, "How many people are visible?", "Three people are walking.",
                           "three people are walking");
        p4.passed = false;
        p4.filterHits = {{"rejected_in_chosen", "rejected is part of chosen"}};
        p4.reference = ReferenceLogps{-5, -1, -6, -1, "m0"};
        p4.curation = Curation::Edited;
        p4.editedPrompt = "How many people can you see?";
        add(4, p4);
        auto p5 = makePair(m_round2, i1, "What is on the table?", "A laptop and a coffee mug.", "A book.");
        p5.curation = Curation::Accepted;
        p5.tags = {"indoor", "check"};
        p5.reference = ReferenceLogps{-8, -1, -4, -1, "m1"};
        add(5, p5);
        auto p6 = makePair(m_round2, i2, "Describe the picture.", "Two zebras grazing in tall grass.", "Animals.",
                           PairType::Description);
        p6.reference = ReferenceLogps{0, 0, -50, -5, "m1"};
        add(6, p6);
        auto p7 = makePair(m_round2, i2, "What time of day is it?", "Evening, the sky is orange.", " no. ");
        p7.passed = false;
        p7.filterHits = {{"yes_no", "rejected is a bare no"}, {"too_short", "rejected under 3 characters"}};
        add(7, p7);
    }
    void cleanupTestCase() { m_ws.reset(); }

    void eachFilter() {
        PairFilter f;
        QCOMPARE(query(f), fixture({1, 2, 3, 4, 5, 6, 7}));
        f.roundId = m_round2;
        QCOMPARE(query(f), fixture({5, 6, 7}));
        f = {};
        f.imageId = m_ws->pairs().get(m_p[3])->imageId;
        QCOMPARE(query(f), fixture({3, 4, 6, 7}));
        f = {};
        f.curation = {Curation::Accepted};
        QCOMPARE(query(f), fixture({1, 5}));
        f.curation = {Curation::Rejected, Curation::Edited};
        QCOMPARE(query(f), fixture({3, 4}));
        f = {};
        f.type = PairType::Description;
        QCOMPARE(query(f), fixture({2, 6}));
        f = {};
        f.passed = false;
        QCOMPARE(query(f), fixture({3, 4, 7}));
        f.passed = true;
        QCOMPARE(query(f), fixture({1, 2, 5, 6}));
        f = {};
        f.filterHit = "yes_no";
        QCOMPARE(query(f), fixture({3, 7}));
        f.filterHit = "too_short";
        QCOMPARE(query(f), fixture({7}));
        f = {};
        f.anyFilterHit = true;
        QCOMPARE(query(f), fixture({3, 4, 7}));
        f.anyFilterHit = false;
        QCOMPARE(query(f), fixture({1, 2, 5, 6}));
        f = {};
        f.yesNoAnswer = true;  // "Yes"/"No" and " no. " (case, blanks and the full stop ignored)
        QCOMPARE(query(f), fixture({3, 7}));
        f.yesNoAnswer = false;
        QCOMPARE(query(f), fixture({1, 2, 4, 5, 6}));
        f = {};
        f.minChosenLength = 26;  // p5 "A laptop and a coffee mug." (26), p7 (27), p6 (33); p4 has 25
        f.maxChosenLength = 33;
        QCOMPARE(query(f), fixture({5, 6, 7}));
        f = {};
        f.maxRejectedLength = 5;
        QCOMPARE(query(f), fixture({1, 3, 7}));
        f.minRejectedLength = 3;
        QCOMPARE(query(f), fixture({1, 7}));
        f = {};
        f.minMargin = 1;  // margins: p1 5, p2 -10, p4 1, p5 -4, p6 50; p3, p7 unscored
        QCOMPARE(query(f), fixture({1, 4, 6}));
        f.maxMargin = 5;
        QCOMPARE(query(f), fixture({1, 4}));
        f = {};
        f.maxMargin = 0;
        QCOMPARE(query(f), fixture({2, 5}));
        f = {};
        f.scored = false;
        QCOMPARE(query(f), fixture({3, 7}));
        f = {};
        f.tag = "check";
        QCOMPARE(query(f), fixture({5}));
        f = {};
        f.roundId = m_round1;
        f.passed = false;
        f.filterHit = "yes_no";
        QCOMPARE(query(f), fixture({3}));
    }

    void eachSortBothWays() {
        const PairSort sorts[] = {PairSort::Id,           PairSort::Round,          PairSort::Type,
                                  PairSort::Question,     PairSort::Chosen,         PairSort::Rejected,
                                  PairSort::ChosenLength, PairSort::RejectedLength, PairSort::Margin,
                                  PairSort::Curation,     PairSort::Passed,         PairSort::Tags,
                                  PairSort::UpdatedAt};
        for (PairSort sort : sorts) {
            PairQuery q;
            q.sort = sort;
            auto rows = m_ws->pairs().find(q);
            QCOMPARE(rows.size(), std::size_t(7));
            for (std::size_t i = 1; i < rows.size(); ++i) {
                SortKey a = sortKey(sort, rows[i - 1]), b = sortKey(sort, rows[i]);
                bool ordered = a < b || (a == b && rows[i - 1].id < rows[i].id);
                QVERIFY2(ordered, qPrintable(QString("sort %1, rows %2 and %3 out of order")
                                                 .arg(int(sort))
                                                 .arg(rows[i - 1].id)
                                                 .arg(rows[i].id)));
            }
            q.descending = true;
            Ids down = idsOf(m_ws->pairs().find(q));
            Ids up = idsOf(rows);
            std::reverse(up.begin(), up.end());
            QCOMPARE(down, up);
        }
        // Spot checks that the keys are the intended ones.
        PairQuery q;
        q.sort = PairSort::Margin;
        q.descending = true;
        QCOMPARE(m_ws->pairs().find(q).front().id, m_p[6]);
        q.sort = PairSort::Question;  // p4 sorts by its edited prompt, "How many people can you see?"
        q.descending = false;
        QCOMPARE(idsOf(m_ws->pairs().find(q)), fixture({2, 6, 4, 3, 1, 5, 7}));
    }

    void everySortWalksAnIndex() {
        // If a sort key stopped matching its index expression, every page would sort the whole
        // table: the plan shows it as a temporary b-tree.
        const PairSort sorts[] = {PairSort::Round,          PairSort::Type,     PairSort::Question,
                                  PairSort::Chosen,         PairSort::Rejected, PairSort::ChosenLength,
                                  PairSort::RejectedLength, PairSort::Margin,   PairSort::Curation,
                                  PairSort::Passed,         PairSort::Tags,     PairSort::UpdatedAt};
        for (PairSort sort : sorts) {
            for (bool descending : {false, true}) {
                Statement plan = m_ws->database().prepare("EXPLAIN QUERY PLAN SELECT p.id FROM pairs p" +
                                                          pairOrderSql(sort, descending) + " LIMIT 50");
                std::string detail;
                while (plan.step())
                    detail += plan.getText(3) + "; ";
                QVERIFY2(detail.find("INDEX pairs_sort_") != std::string::npos &&
                             detail.find("TEMP B-TREE") == std::string::npos,
                         detail.c_str());
            }
        }
    }

    void pagesTileTheResult() {
        PairQuery q;
        q.sort = PairSort::ChosenLength;
        q.limit = 1000;
        Ids all = idsOf(m_ws->pairs().find(q));
        Ids paged;
        q.limit = 3;
        for (q.offset = 0; q.offset < 9; q.offset += 3) {
            auto page = m_ws->pairs().find(q);
            QVERIFY(page.size() <= 3);
            for (const auto& p : page)
                paged.push_back(p.id);
        }
        QCOMPARE(paged, all);
        // Rows of a page come complete: round index, tags and filter hits.
        q.filter.tag = "vehicles";
        q.offset = 0;
        auto row = m_ws->pairs().find(q).front();
        QCOMPARE(row.roundIndex, 1);
        QCOMPARE(row.tags, std::vector<std::string>{"vehicles"});
        q.filter = {};
        q.filter.filterHit = "too_short";
        QCOMPARE(m_ws->pairs().find(q).front().filterHits.size(), std::size_t(2));
    }

    void fullTextSearch() {
        PairFilter f;
        f.search = "zebras";
        QCOMPARE(query(f), fixture({6}));
        f.search = "zeb";  // word prefixes match
        QCOMPARE(query(f), fixture({6}));
        f.search = "BUS red";  // all words, any case, anywhere in question, chosen or rejected
        QCOMPARE(query(f), fixture({1, 2}));
        f.search = "book";  // a rejected answer
        QCOMPARE(query(f), fixture({5}));
        f.search = "people see";  // p4's edited prompt is what is indexed
        QCOMPARE(query(f), fixture({4}));
        f.search = "visible";  // its original prompt is not
        QCOMPARE(query(f), Ids{});
        f.search = "red";
        f.roundId = m_round2;
        QCOMPARE(query(f), Ids{});
        f = {};
        f.search = "   ";  // no words: no restriction
        QCOMPARE(query(f).size(), std::size_t(7));
        // What users type must never become an FTS syntax error.
        for (const char* text : {"\"AND (", "bus\"", "NEAR(", "col:umn", "*", "-", "a OR", "\"\""}) {
            f.search = text;
            auto caught = catchStoreError([&] { m_ws->pairs().count(f); });
            QVERIFY2(!caught.thrown, caught.message.c_str());
        }
    }

    void curationUpdates() {
        Workspace ws = Workspace::create(tempPath(m_dir, "curation"));
        std::int64_t round = addRound(ws);
        std::int64_t image = addImage(ws, "x.jpg");
        GenerationRecord g;
        g.roundId = round;
        g.imageId = image;
        g.prompt = g.text = "x";
        std::int64_t gChosen = ws.generations().insert(g), gRejected = ws.generations().insert(g);
        auto in = makePair(round, image, "What is on the table?", "A laptop and a coffee mug.", "A book.");
        in.reference = ReferenceLogps{-8, -2, -4, -1, "m"};
        in.chosenGenerationId = gChosen;
        in.rejectedGenerationId = gRejected;
        PairStore pairs = ws.pairs();
        std::int64_t id = pairs.insert(in);
        std::int64_t other = pairs.insert(makePair(round, image, "q", "c", "r"));
        auto stamp = [&] { return pairs.get(id)->updatedAt; };
        auto later = [&] { std::this_thread::sleep_for(std::chrono::milliseconds(3)); };

        std::string t0 = stamp();
        later();
        pairs.setCuration(id, Curation::Accepted);
        QVERIFY(pairs.get(id)->curation == Curation::Accepted);
        std::string t1 = stamp();
        QVERIFY(t1 > t0);
        QCOMPARE(pairs.setCuration({id, other, 424242}, Curation::Rejected), std::int64_t(2));
        QVERIFY(pairs.get(other)->curation == Curation::Rejected);
        QVERIFY_THROWS_EXCEPTION(sena::InputError, pairs.setCuration(424242, Curation::Accepted));

        later();
        pairs.setNote(id, "rejected answer is fine");
        QCOMPARE(pairs.get(id)->note, std::string("rejected answer is fine"));
        QVERIFY(stamp() > t1);

        // Scoring is not curation: it leaves updated_at alone.
        std::string t2 = stamp();
        later();
        pairs.setReference(id, ReferenceLogps{-9, -3, -4, -1, "m2"});
        QCOMPARE(stamp(), t2);
        QCOMPARE(pairs.get(id)->margin().value_or(0), -5.0);

        // Swap exchanges everything that belongs to each side.
        later();
        pairs.swap(id);
        auto swapped = pairs.get(id);
        QCOMPARE(swapped->chosen, std::string("A book."));
        QCOMPARE(swapped->rejected, std::string("A laptop and a coffee mug."));
        QCOMPARE(swapped->chosenGenerationId.value_or(0), gRejected);
        QCOMPARE(swapped->rejectedGenerationId.value_or(0), gChosen);
        QCOMPARE(swapped->reference->chosenSum, -4.0);
        QCOMPARE(swapped->reference->rejectedMean, -3.0);
        QCOMPARE(swapped->margin().value_or(0), 5.0);
        QVERIFY(swapped->curation == Curation::Edited);
        QVERIFY(swapped->updatedAt > t2);
        pairs.swap(id);  // and back
        QCOMPARE(pairs.get(id)->chosen, in.chosen);

        // An edit replaces the effective text, marks the pair Edited and drops the stale scores.
        pairs.edit(id, PairEdit{std::nullopt, std::string("A silver laptop and a mug."), std::nullopt});
        auto edited = pairs.get(id);
        QVERIFY(edited->curation == Curation::Edited);
        QCOMPARE(edited->effectiveChosen(), std::string("A silver laptop and a mug."));
        QCOMPARE(edited->chosen, in.chosen);  // the generated text is kept
        QVERIFY(!edited->reference.has_value());
        PairFilter search;
        search.search = "silver";
        QCOMPARE(pairs.count(search), std::int64_t(1));
        search.search = "coffee";
        QCOMPARE(pairs.count(search), std::int64_t(0));
        // Editing back to the generated text removes the edit.
        pairs.edit(id, PairEdit{std::nullopt, in.chosen, std::nullopt});
        QVERIFY(!pairs.get(id)->editedChosen);
        QVERIFY(pairs.get(id)->curation == Curation::Pending);
        QCOMPARE(pairs.count(search), std::int64_t(1));
        pairs.edit(id, PairEdit{std::string("What is on the desk?"), std::nullopt, std::string("A pen.")});
        QCOMPARE(pairs.get(id)->effectivePrompt(), std::string("What is on the desk?"));
        pairs.revertEdits(id);
        auto reverted = pairs.get(id);
        QVERIFY(!reverted->editedPrompt && !reverted->editedChosen && !reverted->editedRejected);
        QVERIFY(reverted->curation == Curation::Pending);
        QVERIFY_THROWS_EXCEPTION(sena::InputError, pairs.edit(424242, PairEdit{}));

        // Tags: trimmed, sorted, unique; filterable and counted.
        pairs.addTag(id, " kitchen ");
        pairs.addTag(id, "desk");
        pairs.addTag(id, "kitchen");
        QCOMPARE(pairs.get(id)->tags, (std::vector<std::string>{"desk", "kitchen"}));
        pairs.addTag(other, "desk");
        PairFilter byTag;
        byTag.tag = "desk";
        QCOMPARE(pairs.count(byTag), std::int64_t(2));
        pairs.removeTag(id, "desk");
        QCOMPARE(pairs.get(id)->tags, std::vector<std::string>{"kitchen"});
        QCOMPARE(pairs.count(byTag), std::int64_t(1));
        pairs.setTags(id, {"b", "a"});
        QCOMPARE(pairs.get(id)->tags, (std::vector<std::string>{"a", "b"}));
        auto counts = pairs.tagCounts();
        QCOMPARE(counts.size(), std::size_t(3));
        QCOMPARE(counts[2], (std::pair<std::string, std::int64_t>("desk", 1)));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, pairs.addTag(id, "a,b"));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, pairs.addTag(id, "  "));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, pairs.setTags(424242, {"x"}));
        QCOMPARE(pairs.get(id)->tags, (std::vector<std::string>{"a", "b"}));  // failed calls changed nothing
    }

    void filterHitCountsPerRound() {
        auto all = m_ws->pairs().filterHitCounts();
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(all[2], (std::pair<std::string, std::int64_t>("yes_no", 2)));
        auto round1 = m_ws->pairs().filterHitCounts(m_round1);
        QCOMPARE(round1.size(), std::size_t(2));
        QCOMPARE(round1[1], (std::pair<std::string, std::int64_t>("yes_no", 1)));
    }

    void pagingOverOneHundredThousandPairs() {
        constexpr int kPairs = 100000, kRounds = 3, kImages = 2000;
        std::string folder = tempPath(m_dir, "big");
        {
            Workspace ws = Workspace::create(folder);
            const char* words[] = {"red",   "blue",   "green",  "bus",    "car",    "dog",   "cat",
                                   "tree",  "street", "table",  "laptop", "person", "sky",   "water",
                                   "boat",  "sign",   "window", "grass",  "zebra",  "clock", "two",
                                   "three", "small",  "large",  "left",   "right",  "near",  "under"};
            std::mt19937 rng(12345);
            auto pick = [&](std::uint32_t n) { return rng() % n; };
            auto sentence = [&](int minWords, int maxWords) {
                int n = minWords + static_cast<int>(pick(static_cast<std::uint32_t>(maxWords - minWords + 1)));
                std::string s = "The";
                for (int i = 0; i < n; ++i)
                    s += std::string(" ") + words[pick(std::size(words))];
                return s + ".";
            };
            auto start = std::chrono::steady_clock::now();
            std::clock_t cpuStart = std::clock();
            std::vector<std::int64_t> rounds, images;
            for (int r = 0; r < kRounds; ++r)
                rounds.push_back(addRound(ws));
            Transaction tx(ws.database());
            for (int i = 0; i < kImages; ++i)
                images.push_back(addImage(ws, "big/" + std::to_string(i) + ".jpg"));
            const Curation states[] = {Curation::Pending, Curation::Pending, Curation::Accepted, Curation::Rejected,
                                       Curation::Edited};
            PairStore pairs = ws.pairs();
            for (int i = 0; i < kPairs; ++i) {
                PairRecord p = makePair(rounds[i % kRounds], images[pick(kImages)], "What is " + sentence(2, 8) + "?",
                                        sentence(1, 40), pick(10) == 0 ? "No" : sentence(1, 20),
                                        pick(3) == 0 ? PairType::Description : PairType::General);
                p.curation = states[pick(5)];
                p.passed = pick(5) != 0;
                if (!p.passed)
                    p.filterHits = {{pick(2) ? "yes_no" : "repetition", ""}};
                if (pick(10) < 7)
                    p.reference = ReferenceLogps{-double(pick(2000)) / 10, -1, -double(pick(2000)) / 10, -1, "m"};
                if (pick(10) == 0)
                    p.tags = {pick(2) ? "check" : "good"};
                pairs.insert(p);
            }
            tx.commit();
            double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            double cpu = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
            qInfo("inserted %d pairs (with full-text index, tags and filter hits) in %.2f s (%.2f s CPU)", kPairs,
                  seconds, cpu);
        }
        // Reopened, as the GUI would find it (closing ran PRAGMA optimize).
        Workspace ws = Workspace::open(folder);
        std::int64_t round2 = ws.rounds().byIndex(2)->id;
        struct Case {
            const char* name;
            PairQuery query;
        };
        std::vector<Case> cases;
        auto add = [&](const char* name, std::function<void(PairQuery&)> set) {
            PairQuery q;
            q.limit = 50;
            set(q);
            cases.push_back({name, q});
        };
        add("all, by id", [](PairQuery&) {});
        add("all, by id, last page", [](PairQuery& q) { q.offset = kPairs - 50; });
        add("round 2, by margin desc", [&](PairQuery& q) {
            q.filter.roundId = round2;
            q.sort = PairSort::Margin;
            q.descending = true;
        });
        add("round 2 accepted, by chosen length", [&](PairQuery& q) {
            q.filter.roundId = round2;
            q.filter.curation = {Curation::Accepted};
            q.sort = PairSort::ChosenLength;
        });
        add("all, by question text", [](PairQuery& q) { q.sort = PairSort::Question; });
        add("all, by chosen text desc, page 100", [](PairQuery& q) {
            q.sort = PairSort::Chosen;
            q.descending = true;
            q.offset = 5000;
        });
        add("all, by margin, deep page", [](PairQuery& q) {
            q.sort = PairSort::Margin;
            q.offset = 60000;
        });
        add("failed yes_no, by updated", [](PairQuery& q) {
            q.filter.filterHit = "yes_no";
            q.sort = PairSort::UpdatedAt;
        });
        add("yes/no answers, by rejected", [](PairQuery& q) {
            q.filter.yesNoAnswer = true;
            q.sort = PairSort::Rejected;
        });
        add("search 'zebra clock', by id", [](PairQuery& q) { q.filter.search = "zebra clock"; });
        add("search 'zebra' in round 2, by margin", [&](PairQuery& q) {
            q.filter.search = "zebra";
            q.filter.roundId = round2;
            q.sort = PairSort::Margin;
        });
        add("tag 'check', by tags", [](PairQuery& q) {
            q.filter.tag = "check";
            q.sort = PairSort::Tags;
        });
        add("des, passed, length 50..100, margin >= 0", [](PairQuery& q) {
            q.filter.type = PairType::Description;
            q.filter.passed = true;
            q.filter.minChosenLength = 50;
            q.filter.maxChosenLength = 100;
            q.filter.minMargin = 0;
            q.sort = PairSort::Curation;
        });
        PairStore pairs = ws.pairs();
        QCOMPARE(pairs.count(), std::int64_t(kPairs));
        // Best of five: the machine may be busy with other work, and the best run is what the
        // query itself costs. The median is printed alongside.
        auto ms = [](auto from, auto to) { return std::chrono::duration<double, std::milli>(to - from).count(); };
        for (const Case& c : cases) {
            std::vector<double> pageMs, countMs;
            std::size_t rows = 0;
            std::int64_t total = 0;
            for (int rep = 0; rep < 5; ++rep) {
                auto t0 = std::chrono::steady_clock::now();
                rows = pairs.find(c.query).size();
                auto t1 = std::chrono::steady_clock::now();
                total = pairs.count(c.query.filter);
                auto t2 = std::chrono::steady_clock::now();
                pageMs.push_back(ms(t0, t1));
                countMs.push_back(ms(t1, t2));
            }
            std::sort(pageMs.begin(), pageMs.end());
            std::sort(countMs.begin(), countMs.end());
            qInfo("%-42s %2zu rows of %6lld: page %6.2f ms (median %6.2f), count %6.2f ms (median %6.2f)", c.name, rows,
                  static_cast<long long>(total), pageMs[0], pageMs[2], countMs[0], countMs[2]);
            // Timings are printed, not asserted: speed targets belong to benchmarks, and CI machines vary.
            QVERIFY(rows > 0);
        }
    }
};

int runPairQueryTests(int argc, char** argv) {
    PairQueryTests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestPairQueries.moc"
