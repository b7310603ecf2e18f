#include "text/BpeTokenizer.h"

#include "text/ByteLevel.h"
#include "text/Nfc.h"
#include "text/Utf8.h"
#include "util/Error.h"

#include <algorithm>
#include <cstdio>
#include <queue>

namespace sena::text {

namespace {

std::string typeOf(const util::Json& spec) {
    if (spec.is_object() && spec.contains("type") && spec.at("type").is_string())
        return spec.at("type").get<std::string>();
    return spec.dump();
}

// HF spells byte-fallback tokens "<0x0A>".
std::string byteTokenText(unsigned char byte) {
    char text[8];
    std::snprintf(text, sizeof text, "<0x%02X>", byte);
    return text;
}

}  // namespace

std::unique_ptr<BpeTokenizer> BpeTokenizer::fromFile(const std::string& path) {
    return fromJson(util::readJsonFile(path), path);
}

std::unique_ptr<BpeTokenizer> BpeTokenizer::fromJson(const util::Json& document, const std::string& source) {
    std::unique_ptr<BpeTokenizer> tokenizer(new BpeTokenizer());
    tokenizer->m_source = source;
    const std::string where = "'" + source + "'";
    const util::JsonObject root(document, where);
    if (!root.has("model"))
        throw ConfigError(where + " has no \"model\"; it is not a Hugging Face tokenizer.json");
    tokenizer->readModel(root.object("model"));
    tokenizer->readNormalizer(root.has("normalizer") ? root.raw().at("normalizer") : util::Json(), where);
    tokenizer->m_preTokenizer =
        PreTokenizer::fromJson(root.has("pre_tokenizer") ? root.raw().at("pre_tokenizer") : util::Json(), where);
    if (!tokenizer->m_preTokenizer.hasByteLevel())
        throw ConfigError(where + " has no ByteLevel pre-tokenizer, so it is not a byte-level BPE tokenizer; for a "
                                  "SentencePiece-style model use its tokenizer.model");
    tokenizer->readDecoder(root.has("decoder") ? root.raw().at("decoder") : util::Json(), where);
    if (root.has("added_tokens"))
        tokenizer->readAddedTokens(root.raw().at("added_tokens"), where);
    tokenizer->readPostProcessor(root.has("post_processor") ? root.raw().at("post_processor") : util::Json(), where);
    return tokenizer;
}

void BpeTokenizer::readModel(const util::JsonObject& model) {
    const std::string type = model.string("type", "BPE");
    if (type != "BPE")
        throw ConfigError(model.where() + ": model type '" + type + "' is not supported; only BPE tokenizer.json "
                                          "files are (WordPiece, Unigram and WordLevel are not)");
    if (auto dropout = model.optNumber("dropout"); dropout && *dropout > 0.0)
        throw ConfigError(model.where() + ": BPE dropout " + std::to_string(*dropout) +
                          " is a training-time option; set it to null for inference");
    if (!model.string("continuing_subword_prefix", "").empty() || !model.string("end_of_word_suffix", "").empty())
        throw ConfigError(model.where() + ": continuing_subword_prefix / end_of_word_suffix are not supported "
                                          "(byte-level BPE tokenizers leave them null)");
    m_ignoreMerges = model.boolean("ignore_merges", false);
    m_byteFallback = model.boolean("byte_fallback", false);
    m_fuseUnknown = model.boolean("fuse_unk", false);

    const util::Json& vocab = model.has("vocab") ? model.raw().at("vocab") : util::Json();
    if (!vocab.is_object() || vocab.empty())
        model.fail("vocab", "a non-empty object of token → id");
    for (const auto& [token, value] : vocab.items()) {
        if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > (1LL << 24))
            throw ConfigError(model.where() + ": vocab entry '" + token + "' has id " + value.dump() +
                              "; ids must be integers in 0..16777216");
        const int id = value.get<int>();
        m_vocab[token] = id;
        if (static_cast<std::size_t>(id) >= m_tokenOf.size())
            m_tokenOf.resize(static_cast<std::size_t>(id) + 1);
        m_tokenOf[static_cast<std::size_t>(id)] = token;
    }
    if (auto unk = model.optString("unk_token")) {
        const auto it = m_vocab.find(*unk);
        if (it == m_vocab.end())
            throw ConfigError(model.where() + ": unk_token '" + *unk + "' is not in the vocabulary");
        m_unknownId = it->second;
        m_special.unk = it->second;
    }
    readMerges(model.has("merges") ? model.raw().at("merges") : util::Json::array(), model.where());
}

void BpeTokenizer::readMerges(const util::Json& merges, const std::string& where) {
    if (!merges.is_array())
        throw ConfigError(where + ": 'merges' must be an array, found " + util::jsonTypeName(merges));
    m_merges.reserve(merges.size());
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const util::Json& entry = merges[rank];
        std::string left, right;
        // tokenizers < 0.20 writes "a b"; newer versions write ["a", "b"]. Both mean the same.
        if (entry.is_string()) {
            const std::string text = entry.get<std::string>();
            const std::size_t space = text.find(' ');
            if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos)
                throw ConfigError(where + ": merge " + std::to_string(rank) + " is \"" + text +
                                  "\"; a string merge must be two tokens separated by one space");
            left = text.substr(0, space);
            right = text.substr(space + 1);
        } else if (entry.is_array() && entry.size() == 2 && entry[0].is_string() && entry[1].is_string()) {
            left = entry[0].get<std::string>();
            right = entry[1].get<std::string>();
        } else {
            throw ConfigError(where + ": merge " + std::to_string(rank) + " is " + entry.dump() +
                              "; expected \"a b\" or [\"a\", \"b\"]");
        }
        const auto leftIt = m_vocab.find(left);
        const auto rightIt = m_vocab.find(right);
        const auto mergedIt = m_vocab.find(left + right);
        if (leftIt == m_vocab.end() || rightIt == m_vocab.end() || mergedIt == m_vocab.end())
            throw ConfigError(where + ": merge " + std::to_string(rank) + " ('" + left + "', '" + right +
                              "') uses a token missing from the vocabulary; the file is inconsistent");
        // A later duplicate of a pair keeps the earlier (lower) rank, as HF does.
        m_merges.emplace(pairKey(leftIt->second, rightIt->second), Merge{static_cast<int>(rank), mergedIt->second});
    }
}

void BpeTokenizer::readAddedTokens(const util::Json& list, const std::string& where) {
    if (!list.is_array())
        throw ConfigError(where + ": 'added_tokens' must be an array, found " + util::jsonTypeName(list));
    for (std::size_t i = 0; i < list.size(); ++i) {
        const util::JsonObject entry(list[i], where + ": added_tokens[" + std::to_string(i) + "]");
        AddedToken token;
        token.content = entry.string("content", "");
        const auto id = entry.optInteger("id");
        if (!id || *id < 0)
            entry.fail("id", "a non-negative integer");
        token.id = static_cast<int>(*id);
        token.special = entry.boolean("special", false);
        token.lstrip = entry.boolean("lstrip", false);
        token.rstrip = entry.boolean("rstrip", false);
        token.singleWord = entry.boolean("single_word", false);
        if (token.content.empty())
            entry.fail("content", "a non-empty string");
        m_added.add(token);
    }
}

void BpeTokenizer::readNormalizer(const util::Json& spec, const std::string& where) {
    if (spec.is_null())
        return;
    const std::string type = typeOf(spec);
    if (type == "NFC") {
        m_nfc = true;
    } else if (type == "Sequence" && spec.contains("normalizers") && spec.at("normalizers").is_array()) {
        for (const util::Json& item : spec.at("normalizers"))
            readNormalizer(item, where);
    } else {
        throw ConfigError(where + ": normalizer '" + type + "' is not supported; byte-level tokenizers use none or "
                                  "NFC (a Prepend/Replace normaliser means a SentencePiece-style tokenizer: use the "
                                  "model's tokenizer.model)");
    }
}

void BpeTokenizer::readDecoder(const util::Json& spec, const std::string& where) {
    const std::string type = typeOf(spec);
    if (type == "ByteLevel")
        return;
    if (type == "Sequence" && spec.contains("decoders") && spec.at("decoders").is_array() &&
        spec.at("decoders").size() == 1) {
        readDecoder(spec.at("decoders")[0], where);
        return;
    }
    throw ConfigError(where + ": decoder '" + type + "' is not supported; byte-level BPE needs the ByteLevel decoder");
}

void BpeTokenizer::readPostProcessor(const util::Json& spec, const std::string& where) {
    // Only a BOS put before the sequence is modelled; ByteLevel post-processing changes offsets only.
    if (spec.is_null())
        return;
    const std::string type = typeOf(spec);
    if (type == "ByteLevel")
        return;
    if (type == "Sequence" && spec.contains("processors") && spec.at("processors").is_array()) {
        for (const util::Json& item : spec.at("processors"))
            readPostProcessor(item, where);
        return;
    }
    if (type != "TemplateProcessing")
        throw ConfigError(where + ": post_processor '" + type + "' is not supported (byte-level decoder models use "
                                  "none, ByteLevel or TemplateProcessing)");
    const util::Json& single = spec.contains("single") ? spec.at("single") : util::Json();
    if (!single.is_array())
        throw ConfigError(where + ": TemplateProcessing has no 'single' template");
    bool seenSequence = false;
    for (const util::Json& item : single) {
        if (item.contains("Sequence")) {
            seenSequence = true;
            continue;
        }
        const std::string name = item.contains("SpecialToken") ? item.at("SpecialToken").value("id", "") : "";
        if (seenSequence)
            throw ConfigError(where + ": TemplateProcessing appends '" + name +
                              "' after the text; only a BOS before the text is supported");
        if (m_special.bos)
            throw ConfigError(where + ": TemplateProcessing puts more than one token before the text");
        const int id = tokenId(name);
        if (id < 0)
            throw ConfigError(where + ": TemplateProcessing names '" + name + "', which is not in the vocabulary");
        m_special.bos = id;
        m_special.addBos = true;
    }
}

std::vector<int> BpeTokenizer::encode(const std::string& text, bool addBos) const {
    if (const std::size_t bad = utf8::firstInvalidByte(text); bad != std::string::npos)
        throw InputError("text to tokenize is not valid UTF-8 (ill-formed byte at offset " + std::to_string(bad) + ")");
    std::vector<int> ids;
    if (addBos && m_special.addBos && m_special.bos)
        ids.push_back(*m_special.bos);
    for (const AddedVocabulary::Segment& segment : m_added.split(text)) {
        if (segment.tokenId >= 0) {
            ids.push_back(segment.tokenId);
            continue;
        }
        const std::string normalized = m_nfc ? normalizeNfc(segment.text) : std::string(segment.text);
        for (const std::string& word : m_preTokenizer.split(normalized))
            encodeWord(word, ids);
    }
    return ids;
}

void BpeTokenizer::encodeWord(const std::string& word, std::vector<int>& ids) const {
    if (m_ignoreMerges) {
        if (const auto it = m_vocab.find(word); it != m_vocab.end()) {
            ids.push_back(it->second);
            return;
        }
    }
    struct Symbol {
        int id;
        int prev;
        int next;
        bool removed;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    const auto push = [&symbols](int id) {
        const int index = static_cast<int>(symbols.size());
        symbols.push_back(Symbol{id, index - 1, -1, false});
        if (index > 0)
            symbols[static_cast<std::size_t>(index) - 1].next = index;
    };
    bool previousWasUnknown = false;
    for (std::size_t pos = 0; pos < word.size();) {
        const utf8::DecodeStep step = utf8::decodeAt(word, pos);
        const std::size_t length = step.valid ? step.length : 1;
        const std::string character = word.substr(pos, length);
        pos += length;
        if (const auto it = m_vocab.find(character); it != m_vocab.end()) {
            push(it->second);
            previousWasUnknown = false;
            continue;
        }
        if (m_byteFallback) {
            std::vector<int> byteIds;
            for (unsigned char byte : character)
                if (const auto it = m_vocab.find(byteTokenText(byte)); it != m_vocab.end())
                    byteIds.push_back(it->second);
            if (byteIds.size() == character.size()) {
                for (int id : byteIds)
                    push(id);
                previousWasUnknown = false;
                continue;
            }
        }
        // Like HF: an unknown character becomes unk when the model has one, and is dropped when
        // it has none (a byte-level vocabulary covers every byte, so this needs a broken file).
        if (m_unknownId) {
            if (!(m_fuseUnknown && previousWasUnknown))
                push(*m_unknownId);
            previousWasUnknown = true;
        }
    }

    struct Candidate {
        int rank;
        int position;
        int mergedId;
    };
    // Lowest rank first; equal ranks leftmost first.
    const auto later = [](const Candidate& a, const Candidate& b) {
        return a.rank > b.rank || (a.rank == b.rank && a.position > b.position);
    };
    std::priority_queue<Candidate, std::vector<Candidate>, decltype(later)> queue(later);
    const auto consider = [&](int left) {
        if (left < 0 || symbols[static_cast<std::size_t>(left)].next < 0)
            return;
        const Symbol& a = symbols[static_cast<std::size_t>(left)];
        const Symbol& b = symbols[static_cast<std::size_t>(a.next)];
        if (const auto it = m_merges.find(pairKey(a.id, b.id)); it != m_merges.end())
            queue.push(Candidate{it->second.rank, left, it->second.mergedId});
    };
    for (int i = 0; i + 1 < static_cast<int>(symbols.size()); ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& left = symbols[static_cast<std::size_t>(top.position)];
        if (left.removed || left.next < 0)
            continue;
        Symbol& right = symbols[static_cast<std::size_t>(left.next)];
        // Stale entry: the pair at this position has changed since it was queued.
        const auto it = m_merges.find(pairKey(left.id, right.id));
        if (it == m_merges.end() || it->second.mergedId != top.mergedId)
            continue;
        left.id = top.mergedId;
        right.removed = true;
        left.next = right.next;
        if (right.next >= 0)
            symbols[static_cast<std::size_t>(right.next)].prev = top.position;
        consider(left.prev);
        consider(top.position);
    }
    for (const Symbol& symbol : symbols)
        if (!symbol.removed)
            ids.push_back(symbol.id);
}

std::string BpeTokenizer::decode(const std::vector<int>& ids, bool skipSpecial) const {
    const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::instance();
    std::string bytes;
    for (int id : ids) {
        const std::string* token = nullptr;
        if (const AddedToken* added = m_added.byId(id)) {
            if (skipSpecial && added->special)
                continue;
            token = &added->content;
        } else if (id >= 0 && static_cast<std::size_t>(id) < m_tokenOf.size() && !m_tokenOf[static_cast<std::size_t>(id)].empty()) {
            token = &m_tokenOf[static_cast<std::size_t>(id)];
        } else {
            continue;
        }
        // A token outside the byte-level alphabet (e.g. an added "你好") stands for its own UTF-8.
        if (!alphabet.decode(*token, bytes))
            bytes += *token;
    }
    return utf8::replaceInvalidMaximalSubparts(bytes);
}

int BpeTokenizer::tokenId(const std::string& text) const {
    const int added = m_added.idOf(text);
    if (added >= 0)
        return added;
    const auto it = m_vocab.find(text);
    return it == m_vocab.end() ? -1 : it->second;
}

std::string BpeTokenizer::tokenText(int id) const {
    if (const AddedToken* added = m_added.byId(id))
        return added->content;
    if (id < 0 || static_cast<std::size_t>(id) >= m_tokenOf.size() || m_tokenOf[static_cast<std::size_t>(id)].empty())
        throw InputError("token id " + std::to_string(id) + " is not in the vocabulary of '" + m_source + "' (" +
                         std::to_string(vocabSize()) + " ids)");
    return m_tokenOf[static_cast<std::size_t>(id)];
}

int BpeTokenizer::vocabSize() const {
    return std::max(static_cast<int>(m_tokenOf.size()), m_added.idLimit());
}

bool BpeTokenizer::isSpecial(int id) const {
    const AddedToken* added = m_added.byId(id);
    return added && added->special;
}

void BpeTokenizer::addToken(const AddedToken& token) {
    m_added.add(token);
}

}  // namespace sena::text
