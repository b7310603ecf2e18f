// Round trips of every record type, round lifecycle, resumable progress, summaries, image lists
// with badges, and corruption presets.
#include "StoreTestUtil.h"

using namespace storetest;
using sena::StoreError;

class RecordTests : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_counter = 0;

    Workspace newWorkspace() { return Workspace::create(tempPath(m_dir, "ws" + std::to_string(++m_counter))); }

private slots:
    void imagesRoundTrip() {
        Workspace ws = newWorkspace();
        ImageStore images = ws.images();
        ImageRecord in;
        in.rootId = images.rootIdFor("/data/coco");
        QCOMPARE(images.rootIdFor("/data/coco"), in.rootId);  // found, not duplicated
        in.relativePath = "train/0001.jpg";
        in.sha256 = std::string(64, 'a');
        in.width = 640;
        in.height = 427;
        in.format = "JPEG";
        in.bytes = 51234;
        in.mtimeNs = 1700000000123456789;
        std::int64_t id = images.insert(in);
        auto out = images.get(id);
        QVERIFY(out.has_value());
        QCOMPARE(out->root, std::string("/data/coco"));
        QCOMPARE(out->relativePath, in.relativePath);
        QCOMPARE(out->absolutePath(), std::string("/data/coco/train/0001.jpg"));
        QCOMPARE(out->sha256, in.sha256);
        QCOMPARE(out->width, 640);
        QCOMPARE(out->height, 427);
        QCOMPARE(out->format, std::string("JPEG"));
        QCOMPARE(out->bytes, in.bytes);
        QCOMPARE(out->mtimeNs, in.mtimeNs);
        QVERIFY(out->ok());
        QVERIFY(!out->importedAt.empty());
        QCOMPARE(images.findBySha256(in.sha256)->id, id);
        QVERIFY(!images.findBySha256(std::string(64, 'b')).has_value());

        // The content hash is unique: the same bytes twice is a constraint error.
        auto dup = catchStoreError([&] { images.insert(in); });
        QVERIFY2(dup.says("UNIQUE constraint failed: images.sha256"), dup.message.c_str());

        ImageRecord broken = in;
        broken.relativePath = "train/broken.jpg";
        broken.sha256 = std::string(64, 'c');
        broken.importError = "'broken.jpg': not a JPEG";
        auto failed = images.get(images.insert(broken));
        QVERIFY(!failed->ok());
        QCOMPARE(*failed->importError, *broken.importError);
        QCOMPARE(failed->width, 0);  // no size for an image that did not decode

        images.moveRoot(in.rootId, "/mnt/coco");
        QCOMPARE(images.get(id)->absolutePath(), std::string("/mnt/coco/train/0001.jpg"));
    }

    void roundLifecycle() {
        Workspace ws = newWorkspace();
        RoundStore rounds = ws.rounds();
        QVERIFY(!rounds.latest().has_value());
        std::int64_t first = addRound(ws);
        RoundRecord second;
        second.parentRoundId = first;
        second.generatorModelPath = "/ckpt/round1";
        second.configJson = R"({"beta":0.1})";
        std::int64_t secondId = rounds.create(second);
        auto r1 = rounds.get(first);
        auto r2 = rounds.get(secondId);
        QCOMPARE(r1->index, 1);
        QCOMPARE(r2->index, 2);
        QCOMPARE(r2->parentRoundId.value_or(0), first);
        QCOMPARE(r1->generatorModelHash, std::string("abc123"));
        QCOMPARE(r1->configJson, std::string(R"({"corruption":"diffusion:t=600","seed":7})"));
        QVERIFY(r1->status == RoundStatus::Created);
        QVERIFY(!r1->startedAt && !r1->finishedAt && !r1->error);
        QCOMPARE(rounds.byIndex(2)->id, secondId);
        QCOMPARE(rounds.latest()->id, secondId);
        QCOMPARE(rounds.list().size(), std::size_t(2));

        RoundRecord clash = second;
        clash.index = 2;
        QVERIFY(catchStoreError([&] { rounds.create(clash); }).says("UNIQUE constraint failed: rounds.idx"));
        RoundRecord badJson = second;
        badJson.configJson = "{not json";
        QVERIFY_THROWS_EXCEPTION(sena::InputError, rounds.create(badJson));
        badJson.configJson = "[1, 2]";
        QVERIFY_THROWS_EXCEPTION(sena::InputError, rounds.create(badJson));

        rounds.setStatus(first, RoundStatus::Generating);
        auto running = rounds.get(first);
        QVERIFY(running->status == RoundStatus::Generating);
        QVERIFY(running->startedAt.has_value());
        QVERIFY(!running->finishedAt.has_value());
        rounds.setStatus(first, RoundStatus::Failed, std::string("CUDA out of memory"));
        auto failed = rounds.get(first);
        QVERIFY(failed->finishedAt.has_value());
        QCOMPARE(failed->startedAt, running->startedAt);  // started once, not restamped
        QCOMPARE(failed->error.value_or(""), std::string("CUDA out of memory"));
        rounds.setStatus(first, RoundStatus::Training);  // resumed: no longer finished, error cleared
        QVERIFY(!rounds.get(first)->finishedAt && !rounds.get(first)->error);
        rounds.setStatus(first, RoundStatus::Trained);
        QVERIFY(rounds.get(first)->finishedAt.has_value());
        rounds.setGeneratorModelHash(first, "def456");
        QCOMPARE(rounds.get(first)->generatorModelHash, std::string("def456"));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, rounds.setStatus(999, RoundStatus::Trained));
    }

    void questionsAndGenerationsRoundTrip() {
        Workspace ws = newWorkspace();
        std::int64_t round = addRound(ws);
        std::int64_t image = addImage(ws, "cat.jpg");
        QuestionRecord q;
        q.roundId = round;
        q.imageId = image;
        q.ordinal = 0;
        q.firstQuestion = "What is the name of the cat?";
        q.selfCheckReply = "QUESTION: What colour is the cat?";
        q.finalQuestion = "What colour is the cat?";
        q.attempts = 2;
        q.mode = QuestionMode::Code;
        q.kept = false;
        q.filterHits = {{"contains_name", "first question asks for a name"}, {"no_question_mark", "x"}};
        std::int64_t qid = ws.questions().insert(q);
        auto back = ws.questions().get(qid);
        QCOMPARE(back->firstQuestion, q.firstQuestion);
        QCOMPARE(back->selfCheckReply, q.selfCheckReply);
        QCOMPARE(back->finalQuestion, q.finalQuestion);
        QCOMPARE(back->attempts, 2);
        QVERIFY(back->mode == QuestionMode::Code);
        QVERIFY(!back->kept);
        QCOMPARE(back->filterHits, q.filterHits);
        QVERIFY(!back->createdAt.empty());
        // The same (round, image, ordinal) twice would duplicate work on resume: refused.
        QVERIFY(catchStoreError([&] { ws.questions().insert(q); }).says("UNIQUE constraint failed"));
        QCOMPARE(ws.questions().count(round), std::int64_t(1));  // the failed insert left nothing behind
        q.ordinal = 1;
        q.filterHits.clear();
        ws.questions().insert(q);
        QCOMPARE(ws.questions().forImage(round, image).size(), std::size_t(2));
        QCOMPARE(ws.questions().forRound(round, 1, 10).size(), std::size_t(1));

        GenerationRecord g;
        g.roundId = round;
        g.imageId = image;
        g.questionId = qid;
        g.kind = GenerationKind::CorruptedAnswer;
        g.prompt = "What colour is the cat? Answer with one word.";
        g.text = "Grey";
        g.corruptionSpec = "diffusion:t=600";
        g.corruptionSeed = 1234567890123;
        g.promptTokens = 600;
        g.newTokens = 2;
        g.finishReason = "eos";
        std::int64_t gid = ws.generations().insert(g);
        auto gb = ws.generations().get(gid);
        QVERIFY(gb->kind == GenerationKind::CorruptedAnswer);
        QCOMPARE(gb->questionId.value_or(0), qid);
        QCOMPARE(gb->prompt, g.prompt);
        QCOMPARE(gb->text, g.text);
        QCOMPARE(gb->corruptionSpec.value_or(""), std::string("diffusion:t=600"));
        QCOMPARE(gb->corruptionSeed.value_or(0), std::int64_t(1234567890123));
        QCOMPARE(gb->promptTokens.value_or(0), 600);
        QCOMPARE(gb->newTokens.value_or(0), 2);
        QCOMPARE(gb->finishReason.value_or(""), std::string("eos"));
        GenerationRecord caption;
        caption.roundId = round;
        caption.imageId = image;
        caption.kind = GenerationKind::Caption;
        caption.prompt = "Describe the image briefly.";
        caption.text = "A grey cat on a sofa.";
        auto cb = ws.generations().get(ws.generations().insert(caption));
        QVERIFY(!cb->questionId && !cb->corruptionSpec && !cb->corruptionSeed && !cb->promptTokens &&
                !cb->finishReason);
        QCOMPARE(ws.generations().forQuestion(qid).size(), std::size_t(1));
        QCOMPARE(ws.generations().forImage(round, image).size(), std::size_t(2));
    }

    void pairsRoundTrip() {
        Workspace ws = newWorkspace();
        std::int64_t round = addRound(ws);
        std::int64_t image = addImage(ws, "dog.jpg");
        GenerationRecord g;
        g.roundId = round;
        g.imageId = image;
        g.prompt = "p";
        g.text = "t";
        std::int64_t g1 = ws.generations().insert(g);
        std::int64_t g2 = ws.generations().insert(g);
        PairRecord in = makePair(round, image, "What breed is the dog?", "A golden retriever.", "A cat.");
        in.chosenGenerationId = g1;
        in.rejectedGenerationId = g2;
        in.passed = false;
        in.filterHits = {{"rejected_in_chosen", "'a cat' is not in the chosen answer"}, {"yes_no", "bare yes"}};
        in.curation = Curation::Edited;
        in.editedChosen = "A golden retriever puppy.";
        in.tags = {"dogs", "check later", "dogs"};
        in.note = "looks fine";
        in.reference = ReferenceLogps{-12.5, -1.25, -20.0, -4.0, "sha-of-model"};
        std::int64_t id = ws.pairs().insert(in);
        auto out = ws.pairs().get(id);
        QVERIFY(out.has_value());
        QCOMPARE(out->roundId, round);
        QCOMPARE(out->roundIndex, 1);
        QCOMPARE(out->imageId, image);
        QVERIFY(!out->questionId);
        QVERIFY(out->type == PairType::General);
        QCOMPARE(out->prompt, in.prompt);
        QCOMPARE(out->chosen, in.chosen);
        QCOMPARE(out->rejected, in.rejected);
        QCOMPARE(out->chosenGenerationId.value_or(0), g1);
        QCOMPARE(out->rejectedGenerationId.value_or(0), g2);
        QVERIFY(!out->passed);
        std::vector<FilterHit> sortedHits = {in.filterHits[0], in.filterHits[1]};
        QCOMPARE(out->filterHits, sortedHits);
        QVERIFY(out->curation == Curation::Edited);
        QCOMPARE(out->effectiveChosen(), std::string("A golden retriever puppy."));
        QCOMPARE(out->effectiveRejected(), std::string("A cat."));
        QCOMPARE(out->tags, (std::vector<std::string>{"check later", "dogs"}));  // sorted, unique
        QCOMPARE(out->note, in.note);
        QVERIFY(out->reference.has_value());
        QCOMPARE(out->reference->chosenSum, -12.5);
        QCOMPARE(out->reference->chosenMean, -1.25);
        QCOMPARE(out->reference->rejectedSum, -20.0);
        QCOMPARE(out->reference->rejectedMean, -4.0);
        QCOMPARE(out->reference->modelHash, std::string("sha-of-model"));
        QCOMPARE(out->margin().value_or(0), 7.5);
        QVERIFY(!out->createdAt.empty() && !out->updatedAt.empty());
        QVERIFY(!ws.pairs().get(id + 100).has_value());
        // A pair must point at a real round and image.
        PairRecord orphan = makePair(round + 50, image, "q", "a", "b");
        QVERIFY(catchStoreError([&] { ws.pairs().insert(orphan); }).says("FOREIGN KEY constraint failed"));
        QCOMPARE(ws.pairs().count(), std::int64_t(1));
    }

    void progressMakesRunsResumable() {
        Workspace ws = newWorkspace();
        std::int64_t round = addRound(ws);
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 5; ++i)
            ids.push_back(addImage(ws, "img" + std::to_string(i) + ".jpg"));
        ws.rounds().assignImages(round, {ids[3], ids[1], ids[4]});
        ws.rounds().assignImages(round, {ids[1], ids[0]});  // ids[1] keeps its place
        QCOMPARE(ws.rounds().images(round), (std::vector<std::int64_t>{ids[3], ids[1], ids[4], ids[0]}));
        ProgressStore progress = ws.progress();
        QCOMPARE(progress.pendingImages(round, "questions"), ws.rounds().images(round));
        {
            // A stage's outputs and its mark commit together ...
            Transaction tx(ws.database());
            QuestionRecord q;
            q.roundId = round;
            q.imageId = ids[3];
            q.firstQuestion = q.finalQuestion = "What is this?";
            ws.questions().insert(q);
            progress.markDone(round, ids[3], "questions");
            tx.commit();
        }
        {
            // ... or not at all (a run killed mid-image).
            Transaction tx(ws.database());
            QuestionRecord q;
            q.roundId = round;
            q.imageId = ids[1];
            q.firstQuestion = q.finalQuestion = "Where is this?";
            ws.questions().insert(q);
            progress.markDone(round, ids[1], "questions");
        }
        progress.markDone(round, ids[3], "questions");  // twice is harmless
        QVERIFY(progress.isDone(round, ids[3], "questions"));
        QVERIFY(!progress.isDone(round, ids[1], "questions"));
        QCOMPARE(ws.questions().count(round), std::int64_t(1));
        QCOMPARE(progress.pendingImages(round, "questions"), (std::vector<std::int64_t>{ids[1], ids[4], ids[0]}));
        QCOMPARE(progress.pendingImages(round, "questions", 1), std::vector<std::int64_t>{ids[1]});
        progress.markDone(round, ids[4], "captions");
        auto counts = progress.doneCounts(round);
        QCOMPARE(counts["questions"], std::int64_t(1));
        QCOMPARE(counts["captions"], std::int64_t(1));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, progress.markDone(round, ids[2], "questions"));  // not in round
        QCOMPARE(progress.clearStage(round, "questions"), std::int64_t(1));
        QCOMPARE(progress.pendingImages(round, "questions").size(), std::size_t(4));
    }

    void roundSummaryCountsEverything() {
        Workspace ws = newWorkspace();
        std::int64_t round = addRound(ws);
        std::int64_t other = addRound(ws);
        std::int64_t a = addImage(ws, "a.jpg"), b = addImage(ws, "b.jpg");
        ws.rounds().assignImages(round, {a, b});
        ws.progress().markDone(round, a, "questions");
        QuestionRecord q;
        q.roundId = round;
        q.imageId = a;
        q.firstQuestion = q.finalQuestion = "What is the name of it?";
        q.kept = false;
        q.filterHits = {{"contains_name", ""}};
        ws.questions().insert(q);
        q.ordinal = 1;
        q.kept = true;
        q.filterHits.clear();
        std::int64_t kept = ws.questions().insert(q);
        GenerationRecord g;
        g.roundId = round;
        g.imageId = a;
        g.questionId = kept;
        g.kind = GenerationKind::Caption;
        g.prompt = g.text = "x";
        ws.generations().insert(g);
        g.kind = GenerationKind::CleanAnswer;
        ws.generations().insert(g);
        ws.generations().insert(g);
        auto p1 = makePair(round, a, "q1", "c1", "r1");
        p1.curation = Curation::Accepted;
        p1.reference = ReferenceLogps{-1, -1, -2, -2, "m"};
        ws.pairs().insert(p1);
        auto p2 = makePair(round, a, "q2", "Yes", "No", PairType::Description);
        p2.passed = false;
        p2.filterHits = {{"yes_no", ""}, {"too_short", ""}};
        ws.pairs().insert(p2);
        auto p3 = makePair(round, b, "q3", "c3", "r3");
        p3.filterHits = {{"yes_no", ""}};
        p3.passed = false;
        ws.pairs().insert(p3);
        ws.pairs().insert(makePair(other, b, "elsewhere", "c", "r"));  // another round: not counted

        RoundSummary s = ws.rounds().summary(round);
        QCOMPARE(s.roundIndex, 1);
        QCOMPARE(s.images, std::int64_t(2));
        QCOMPARE(s.stagesDone["questions"], std::int64_t(1));
        QCOMPARE(s.questions, std::int64_t(2));
        QCOMPARE(s.questionsKept, std::int64_t(1));
        QCOMPARE(s.questionFilterHits["contains_name"], std::int64_t(1));
        QCOMPARE(s.generations["caption"], std::int64_t(1));
        QCOMPARE(s.generations["clean_answer"], std::int64_t(2));
        QCOMPARE(s.pairs, std::int64_t(3));
        QCOMPARE(s.pairsPassed, std::int64_t(1));
        QCOMPARE(s.pairsScored, std::int64_t(1));
        QCOMPARE(s.pairsByType["gen"], std::int64_t(2));
        QCOMPARE(s.pairsByType["des"], std::int64_t(1));
        QCOMPARE(s.pairsByCuration["accepted"], std::int64_t(1));
        QCOMPARE(s.pairsByCuration["pending"], std::int64_t(2));
        QCOMPARE(s.pairsByCuration["rejected"], std::int64_t(0));
        QCOMPARE(s.pairFilterHits["yes_no"], std::int64_t(2));
        QCOMPARE(s.pairFilterHits["too_short"], std::int64_t(1));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, ws.rounds().summary(12345));
    }

    void removingARoundRemovesWhatItMade() {
        Workspace ws = newWorkspace();
        std::int64_t round = addRound(ws);
        RoundRecord child;
        child.parentRoundId = round;
        child.generatorModelPath = "/ckpt";
        std::int64_t childId = ws.rounds().create(child);
        std::int64_t image = addImage(ws, "a.jpg");
        ws.rounds().assignImages(round, {image});
        ws.progress().markDone(round, image, "questions");
        QuestionRecord q;
        q.roundId = round;
        q.imageId = image;
        q.firstQuestion = q.finalQuestion = "Which zebra?";
        q.filterHits = {{"f", ""}};
        q.id = ws.questions().insert(q);
        auto pair = makePair(round, image, "Which zebra?", "The left zebra.", "A horse.");
        pair.questionId = q.id;
        pair.tags = {"t"};
        pair.filterHits = {{"f", ""}};
        ws.pairs().insert(pair);
        ws.rounds().remove(round);
        QVERIFY(!ws.rounds().get(round));
        QVERIFY(!ws.rounds().get(childId)->parentRoundId);
        QCOMPARE(ws.pairs().count(), std::int64_t(0));
        PairFilter search;
        search.search = "zebra";
        QCOMPARE(ws.pairs().count(search), std::int64_t(0));  // the full-text index forgot it too
        for (const char* table : {"questions", "question_filter_hits", "generations", "pair_tags", "pair_filter_hits",
                                  "round_images", "stage_done"})
            QCOMPARE(ws.database().queryInt64(std::string("SELECT count(*) FROM ") + table), std::int64_t(0));
        QVERIFY(ws.images().get(image).has_value());
        QVERIFY(ws.checkIntegrity().empty());
        QVERIFY_THROWS_EXCEPTION(sena::InputError, ws.rounds().remove(round));
    }

    void imageListWithBadges() {
        Workspace ws = newWorkspace();
        std::int64_t round = addRound(ws);
        std::int64_t other = addRound(ws);
        std::int64_t a = addImage(ws, "set/b_100%.jpg");
        std::int64_t b = addImage(ws, "set/a.jpg");
        ImageRecord broken;
        broken.rootId = ws.images().rootIdFor("/data/images");
        broken.relativePath = "set/c.jpg";
        broken.importError = "not a JPEG";
        std::int64_t c = ws.images().insert(broken);
        ws.rounds().assignImages(round, {a, c});
        QuestionRecord q;
        q.roundId = round;
        q.imageId = a;
        q.firstQuestion = q.finalQuestion = "?";
        ws.questions().insert(q);
        for (Curation state : {Curation::Accepted, Curation::Accepted, Curation::Rejected, Curation::Pending}) {
            auto p = makePair(round, a, "q", "c", "r");
            p.curation = state;
            ws.pairs().insert(p);
        }
        auto p = makePair(other, a, "q", "c", "r");
        p.curation = Curation::Rejected;
        ws.pairs().insert(p);

        ImageQuery all;
        auto rows = ws.images().find(all);
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(rows[0].image.id, a);
        QCOMPARE(rows[0].questions, std::int64_t(1));
        QCOMPARE(rows[0].pairs, std::int64_t(5));
        QCOMPARE(rows[0].accepted, std::int64_t(2));
        QCOMPARE(rows[0].rejected, std::int64_t(2));
        QCOMPARE(rows[1].pairs, std::int64_t(0));
        QVERIFY(!rows[2].image.ok());

        ImageQuery inRound;
        inRound.filter.roundId = round;
        rows = ws.images().find(inRound);
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].pairs, std::int64_t(4));  // the other round's pair is not counted
        QCOMPARE(rows[0].rejected, std::int64_t(1));
        QCOMPARE(ws.images().count(inRound.filter), std::int64_t(2));

        ImageQuery failed;
        failed.filter.status = ImageFilter::Status::Failed;
        rows = ws.images().find(failed);
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows[0].image.id, c);
        failed.filter.status = ImageFilter::Status::Ok;
        QCOMPARE(ws.images().count(failed.filter), std::int64_t(2));

        ImageQuery byPath;
        byPath.sort = ImageSort::Path;
        byPath.descending = true;
        rows = ws.images().find(byPath);
        QCOMPARE(rows[0].image.id, c);
        QCOMPARE(rows[2].image.id, b);
        byPath.limit = 1;
        byPath.offset = 1;
        rows = ws.images().find(byPath);
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows[0].image.id, a);

        ImageQuery search;
        search.filter.pathContains = "100%";  // '%' is literal, not a wildcard
        QCOMPARE(ws.images().count(search.filter), std::int64_t(1));
        search.filter.pathContains = "_100";
        QCOMPARE(ws.images().count(search.filter), std::int64_t(1));
        search.filter.pathContains = "SET/A";  // case-insensitive
        QCOMPARE(ws.images().count(search.filter), std::int64_t(1));
        search.filter.pathContains = "1%0";
        QCOMPARE(ws.images().count(search.filter), std::int64_t(0));
    }

    void corruptionPresets() {
        Workspace ws = newWorkspace();
        CorruptionPresetStore presets = ws.presets();
        std::size_t seeded = presets.list().size();
        QVERIFY(seeded >= 3);
        QCOMPARE(presets.find("SeVa diffusion t=800")->spec, std::string("diffusion:t=800"));
        std::int64_t id = presets.save("  blurry noise ", "blur:sigma=2+diffusion:t=600");
        QCOMPARE(presets.find("blurry noise")->spec, std::string("blur:sigma=2+diffusion:t=600"));
        QCOMPARE(presets.save("blurry noise", "blur:sigma=3"), id);  // same name: spec replaced
        QCOMPARE(presets.find("blurry noise")->spec, std::string("blur:sigma=3"));
        QCOMPARE(presets.list().size(), seeded + 1);
        QVERIFY_THROWS_EXCEPTION(sena::InputError, presets.save("x", "  "));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, presets.save(" ", "blur:sigma=1"));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, presets.rename("blurry noise", "SENA diffusion t=600"));
        QVERIFY_THROWS_EXCEPTION(sena::InputError, presets.rename("absent", "new"));
        presets.rename("blurry noise", "soft");
        QVERIFY(!presets.find("blurry noise"));
        QCOMPARE(presets.find("soft")->id, id);
        QVERIFY(presets.remove("soft"));
        QVERIFY(!presets.remove("soft"));
        QCOMPARE(presets.list().size(), seeded);
    }
};

int runRecordTests(int argc, char** argv) {
    RecordTests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestRecords.moc"
