#include "text/SentencePieceModel.h"

#include "text/ProtobufReader.h"
#include "text/Utf8.h"
#include "util/Error.h"
#include "util/MappedFile.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <queue>

namespace sena::text {

namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581 "▁"
constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

// Field numbers of sentencepiece_model.proto.
enum ModelField { kPieces = 1, kTrainerSpec = 2, kNormalizerSpec = 3, kDenormalizerSpec = 5 };
enum PieceField { kPieceText = 1, kPieceScore = 2, kPieceType = 3 };
enum TrainerField {
    kModelType = 3, kTreatWhitespaceAsSuffix = 24, kByteFallback = 35,
    kBosId = 41, kEosId = 42, kPadId = 43, kUnkSurface = 44,
};
enum NormalizerField {
    kName = 1, kCharsmap = 2, kAddDummyPrefix = 3, kRemoveExtraWhitespaces = 4, kEscapeWhitespaces = 5,
};

const char* modelTypeName(int type) {
    switch (type) {
    case 1: return "Unigram";
    case 2: return "BPE";
    case 3: return "word";
    case 4: return "char";
    default: return "unknown";
    }
}

std::string bytePieceText(std::uint8_t byte) {
    char text[8];
    std::snprintf(text, sizeof text, "<0x%02X>", byte);
    return text;
}

// "<0xAB>" → 0xAB; anything else → −1.
int parseBytePiece(std::string_view text) {
    if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>')
        return -1;
    int value = 0;
    for (char c : text.substr(3, 2)) {
        value <<= 4;
        if (c >= '0' && c <= '9')
            value |= c - '0';
        else if (c >= 'A' && c <= 'F')
            value |= c - 'A' + 10;
        else
            return -1;
    }
    return value;
}

}  // namespace

SentencePieceModel SentencePieceModel::fromFile(const std::string& path) {
    util::MappedFile file(path);
    return fromBytes(file.data(), file.size(), path);
}

SentencePieceModel SentencePieceModel::fromBytes(const std::uint8_t* data, std::size_t size, const std::string& source) {
    SentencePieceModel model;
    model.m_source = source;
    model.parse(data, size);
    model.validateAndIndex();
    return model;
}

void SentencePieceModel::parse(const std::uint8_t* data, std::size_t size) {
    ProtobufReader top(data, size, m_source);
    while (top.next()) {
        switch (top.field()) {
        case kPieces: {
            ProtobufReader reader = top.readMessage();
            Piece piece;
            while (reader.next()) {
                if (reader.field() == kPieceText)
                    piece.text = reader.readString();
                else if (reader.field() == kPieceScore)
                    piece.score = reader.readFloat();
                else if (reader.field() == kPieceType) {
                    const auto type = reader.readVarint();
                    if (type < 1 || type > 6)
                        reader.fail("piece type " + std::to_string(type));
                    piece.type = static_cast<PieceType>(type);
                } else
                    reader.skip();
            }
            m_pieces.push_back(std::move(piece));
            break;
        }
        case kTrainerSpec: {
            ProtobufReader reader = top.readMessage();
            while (reader.next()) {
                switch (reader.field()) {
                case kModelType: m_modelType = reader.readInt32(); break;
                case kTreatWhitespaceAsSuffix: m_treatWhitespaceAsSuffix = reader.readBool(); break;
                case kByteFallback: m_byteFallback = reader.readBool(); break;
                case kBosId: m_trainerBos = reader.readInt32(); break;
                case kEosId: m_trainerEos = reader.readInt32(); break;
                case kPadId: m_trainerPad = reader.readInt32(); break;
                case kUnkSurface: m_unkSurface = reader.readString(); break;
                default: reader.skip();
                }
            }
            break;
        }
        case kNormalizerSpec: {
            ProtobufReader reader = top.readMessage();
            while (reader.next()) {
                switch (reader.field()) {
                case kName: m_normalizerName = reader.readString(); break;
                case kCharsmap: m_hasCharsmap = !reader.readBytes().empty(); break;
                case kAddDummyPrefix: m_addDummyPrefix = reader.readBool(); break;
                case kRemoveExtraWhitespaces: m_removeExtraWhitespaces = reader.readBool(); break;
                case kEscapeWhitespaces: m_escapeWhitespaces = reader.readBool(); break;
                default: reader.skip();
                }
            }
            break;
        }
        case kDenormalizerSpec: {
            ProtobufReader reader = top.readMessage();
            while (reader.next()) {
                if (reader.field() == kCharsmap && !reader.readBytes().empty())
                    throw ConfigError("'" + m_source + "' has a denormalizer with a precompiled charsmap, "
                                      "which this SentencePiece reader does not support");
                else
                    reader.skip();
            }
            break;
        }
        default:
            top.skip();
        }
    }
}

void SentencePieceModel::validateAndIndex() {
    const std::string where = "'" + m_source + "'";
    if (m_pieces.empty())
        throw FormatError(where + " holds no vocabulary pieces; it is empty, truncated or not a SentencePiece model");
    if (m_modelType != 2)
        throw ConfigError(where + " is a SentencePiece " + modelTypeName(m_modelType) + " model (model_type " +
                          std::to_string(m_modelType) +
                          "); only BPE models (the LLaMA family) are supported. Use the model's tokenizer.json if it "
                          "has a byte-level one");
    if (m_hasCharsmap)
        throw ConfigError(where + " normalises text with '" + m_normalizerName +
                          "' (a precompiled charsmap such as NFKC); only the identity normaliser of LLaMA-style "
                          "models is supported");
    if (m_treatWhitespaceAsSuffix)
        throw ConfigError(where + " sets treat_whitespace_as_suffix, which this SentencePiece reader does not support");

    std::fill(std::begin(m_byteIds), std::end(m_byteIds), -1);
    std::optional<int> unknown;
    for (std::size_t i = 0; i < m_pieces.size(); ++i) {
        const Piece& piece = m_pieces[i];
        const int id = static_cast<int>(i);
        if (piece.text.empty())
            throw FormatError(where + ": piece " + std::to_string(id) + " is empty; the model file is corrupt");
        const bool mergeable = piece.type == PieceType::Normal || piece.type == PieceType::UserDefined ||
                               piece.type == PieceType::Unused;
        auto& table = mergeable ? m_mergeable : m_reserved;
        if (!table.emplace(piece.text, id).second)
            throw FormatError(where + ": piece '" + piece.text + "' (id " + std::to_string(id) +
                              ") is defined twice; the model file is corrupt");
        if (piece.type == PieceType::UserDefined)
            m_userDefined.push_back(piece.text);
        if (piece.type == PieceType::Unknown) {
            if (unknown)
                throw FormatError(where + " defines more than one unknown piece");
            unknown = id;
        }
        if (piece.type == PieceType::Byte) {
            const int byte = parseBytePiece(piece.text);
            if (byte < 0)
                throw FormatError(where + ": byte piece " + std::to_string(id) + " is '" + piece.text +
                                  "', not of the form <0xAB>");
            m_byteIds[byte] = id;
        }
    }
    if (!unknown)
        throw FormatError(where + " defines no unknown piece (<unk>); the model file is corrupt");
    m_unkId = *unknown;
    if (m_byteFallback)
        for (int b = 0; b < 256; ++b)
            if (m_byteIds[b] < 0)
                throw FormatError(where + " enables byte_fallback but lacks the byte piece " +
                                  bytePieceText(static_cast<std::uint8_t>(b)));
    std::sort(m_userDefined.begin(), m_userDefined.end(),
              [](std::string_view a, std::string_view b) { return a.size() > b.size(); });

    const auto specialId = [&](long long id, const char* name) -> std::optional<int> {
        if (id < 0)
            return std::nullopt;
        if (id >= size())
            throw FormatError(where + ": trainer_spec." + name + " is " + std::to_string(id) +
                              " but the vocabulary has only " + std::to_string(size()) + " pieces");
        return static_cast<int>(id);
    };
    m_bosId = specialId(m_trainerBos, "bos_id");
    m_eosId = specialId(m_trainerEos, "eos_id");
    m_padId = specialId(m_trainerPad, "pad_id");
}

int SentencePieceModel::pieceId(std::string_view text) const {
    if (auto it = m_reserved.find(text); it != m_reserved.end())
        return it->second;
    if (auto it = m_mergeable.find(text); it != m_mergeable.end())
        return it->second;
    return -1;
}

int SentencePieceModel::idForOutput(std::string_view piece) const {
    const int id = pieceId(piece);
    return id < 0 ? m_unkId : id;
}

std::size_t SentencePieceModel::userDefinedPrefix(std::string_view text) const {
    for (std::string_view symbol : m_userDefined)  // longest first
        if (text.substr(0, symbol.size()) == symbol)
            return symbol.size();
    return 0;
}

std::string SentencePieceModel::normalize(std::string_view input, bool addDummyPrefix) const {
    // Mirrors SentencePiece's Normalizer with an empty charsmap: only U+0020 counts as a space,
    // user-defined symbols pass through whole, ill-formed bytes become U+FFFD one byte at a time.
    std::string out;
    const std::string_view space = m_escapeWhitespaces ? kSpaceSymbol : std::string_view(" ");
    if (m_removeExtraWhitespaces)
        while (!input.empty() && input.front() == ' ')
            input.remove_prefix(1);
    if (input.empty())
        return out;
    out.reserve(input.size() * 2);
    if (addDummyPrefix)
        out.append(space);
    bool previousWasSpace = m_removeExtraWhitespaces;
    while (!input.empty()) {
        std::string_view unit;
        std::size_t consumed = userDefinedPrefix(input);
        if (consumed > 0) {
            unit = input.substr(0, consumed);
        } else {
            const utf8::DecodeStep step = utf8::decodeAt(input, 0);
            consumed = step.valid ? step.length : 1;
            unit = step.valid ? input.substr(0, consumed) : kReplacementUtf8;
        }
        if (previousWasSpace)
            while (!unit.empty() && unit.front() == ' ')
                unit.remove_prefix(1);
        if (!unit.empty()) {
            for (char c : unit) {
                if (c == ' ')
                    out.append(space);
                else
                    out += c;
            }
            previousWasSpace = unit.back() == ' ';
        }
        input.remove_prefix(consumed);
        if (!m_removeExtraWhitespaces)
            previousWasSpace = false;
    }
    if (m_removeExtraWhitespaces)
        while (out.size() >= space.size() && std::string_view(out).substr(out.size() - space.size()) == space)
            out.resize(out.size() - space.size());
    return out;
}

struct SentencePieceModel::Symbol {
    int prev = -1;
    int next = -1;
    bool frozen = false;  // a user-defined symbol: never merged
    std::string_view text;
};

std::vector<std::pair<std::string_view, int>> SentencePieceModel::bpeEncode(std::string_view normalized) const {
    struct Pair {
        int left, right;
        float score;
        std::size_t length;
    };
    // Highest score first; on equal scores the leftmost pair (SentencePiece's comparator).
    const auto lowerPriority = [](const Pair& a, const Pair& b) {
        return a.score < b.score || (a.score == b.score && a.left > b.left);
    };
    std::priority_queue<Pair, std::vector<Pair>, decltype(lowerPriority)> agenda(lowerPriority);
    std::unordered_map<std::string_view, std::pair<std::string_view, std::string_view>> unusedSplits;

    std::vector<Symbol> symbols;
    for (std::size_t pos = 0; pos < normalized.size();) {
        Symbol symbol;
        std::size_t length = userDefinedPrefix(normalized.substr(pos));
        symbol.frozen = length > 0;
        if (length == 0) {
            const utf8::DecodeStep step = utf8::decodeAt(normalized, pos);
            length = step.valid ? step.length : 1;
        }
        symbol.text = normalized.substr(pos, length);
        symbol.prev = static_cast<int>(symbols.size()) - 1;
        pos += length;
        symbol.next = pos < normalized.size() ? static_cast<int>(symbols.size()) + 1 : -1;
        symbols.push_back(symbol);
    }

    const auto considerPair = [&](int left, int right) {
        if (left < 0 || right < 0 || symbols[left].frozen || symbols[right].frozen)
            return;
        const std::string_view joined(symbols[left].text.data(), symbols[left].text.size() + symbols[right].text.size());
        const auto it = m_mergeable.find(joined);
        if (it == m_mergeable.end())
            return;
        agenda.push(Pair{left, right, m_pieces[it->second].score, joined.size()});
        if (m_pieces[it->second].type == PieceType::Unused)
            unusedSplits[joined] = {symbols[left].text, symbols[right].text};
    };
    for (std::size_t i = 1; i < symbols.size(); ++i)
        considerPair(static_cast<int>(i) - 1, static_cast<int>(i));

    while (!agenda.empty()) {
        const Pair top = agenda.top();
        agenda.pop();
        Symbol& left = symbols[top.left];
        Symbol& right = symbols[top.right];
        // Stale entry: one side was merged away or has grown since the pair was queued.
        if (left.text.empty() || right.text.empty() || left.text.size() + right.text.size() != top.length)
            continue;
        left.text = std::string_view(left.text.data(), top.length);
        left.next = right.next;
        if (right.next >= 0)
            symbols[right.next].prev = top.left;
        right.text = std::string_view();
        considerPair(left.prev, top.left);
        considerPair(top.left, left.next);
    }

    // An unused piece is never emitted: it is split back into the pieces it was merged from.
    std::vector<std::pair<std::string_view, int>> result;
    std::function<void(std::string_view)> resegment = [&](std::string_view text) {
        const int id = pieceId(text);
        if (id >= 0 && m_pieces[id].type == PieceType::Unused) {
            if (auto it = unusedSplits.find(text); it != unusedSplits.end()) {
                resegment(it->second.first);
                resegment(it->second.second);
                return;
            }
        }
        result.emplace_back(text, id < 0 ? m_unkId : id);
    };
    for (int index = symbols.empty() ? -1 : 0; index != -1; index = symbols[index].next)
        resegment(symbols[index].text);
    return result;
}

std::vector<int> SentencePieceModel::encode(std::string_view text) const {
    return encode(text, m_addDummyPrefix);
}

std::vector<int> SentencePieceModel::encode(std::string_view text, bool addDummyPrefix) const {
    const std::string normalized = normalize(text, addDummyPrefix);
    std::vector<int> ids;
    ids.reserve(normalized.size() / 2 + 1);
    bool previousWasUnknown = false;
    for (const auto& [piece, id] : bpeEncode(normalized)) {
        const bool unknown = id == m_unkId;
        if (unknown && m_byteFallback) {
            for (unsigned char byte : piece)
                ids.push_back(m_byteIds[byte]);
        } else if (!(unknown && previousWasUnknown)) {
            // SentencePieceProcessor fuses a run of unknown pieces into one unk.
            ids.push_back(id);
        }
        previousWasUnknown = unknown;
    }
    return ids;
}

std::optional<std::uint8_t> SentencePieceModel::pieceByte(int id) const {
    if (id < 0 || id >= size() || m_pieces[id].type != PieceType::Byte)
        return std::nullopt;
    return static_cast<std::uint8_t>(parseBytePiece(m_pieces[id].text));
}

std::string SentencePieceModel::pieceSurface(int id) const {
    const Piece& piece = this->piece(id);
    switch (piece.type) {
    case PieceType::Control:
    case PieceType::Unknown:
        return piece.text;
    case PieceType::Byte:
        return std::string(1, static_cast<char>(*pieceByte(id)));
    default: {
        std::string out;
        std::string_view rest = piece.text;
        for (std::size_t at; (at = rest.find(kSpaceSymbol)) != std::string_view::npos;) {
            out.append(rest.substr(0, at));
            out += ' ';
            rest.remove_prefix(at + kSpaceSymbol.size());
        }
        out.append(rest);
        return out;
    }
    }
}

std::string SentencePieceModel::decode(const std::vector<int>& ids) const {
    std::string text;
    std::string pendingBytes;
    const auto flushBytes = [&] {
        text += utf8::replaceInvalidBytes(pendingBytes);
        pendingBytes.clear();
    };
    // SentencePiece drops the space of the first piece that starts with "▁" (the dummy prefix),
    // as long as nothing visible came before it.
    bool expectPrefixSpace = true;
    bool prefixSpaceSeen = false;
    for (int id : ids) {
        if (id < 0 || id >= size())
            throw InputError("token id " + std::to_string(id) + " is outside the vocabulary of '" + m_source +
                             "' (" + std::to_string(size()) + " pieces)");
        const Piece& piece = m_pieces[id];
        if (piece.type == PieceType::Byte) {
            pendingBytes += static_cast<char>(*pieceByte(id));
            continue;
        }
        flushBytes();
        if (prefixSpaceSeen || !text.empty())
            expectPrefixSpace = false;
        if (piece.type == PieceType::Control)
            continue;
        if (piece.type == PieceType::Unknown) {
            text += m_unkSurface;
            continue;
        }
        std::string surface = pieceSurface(id);
        if (expectPrefixSpace && (m_addDummyPrefix || m_removeExtraWhitespaces) &&
            piece.text.compare(0, kSpaceSymbol.size(), kSpaceSymbol) == 0) {
            surface.erase(0, 1);
            // With remove_extra_whitespaces every leading space goes, not just the first.
            prefixSpaceSeen = !m_removeExtraWhitespaces;
        }
        text += surface;
    }
    flushBytes();
    return text;
}

}  // namespace sena::text
