#include "sim/simtokenize.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace ts::sim {

namespace {

using json = nlohmann::json;

// Ids by kind, in disjoint ranges so a piece is known from its id alone.
constexpr int kSpaceBefore = 0x20000000;   // a whitespace run came before the token
constexpr int kAlnumPiece = 0x10000000;    // up to 4 ASCII letters or digits, 7 bits each
constexpr int kCharacter = 0x01000000;     // one non-ASCII code point
// Printable ASCII symbols are their own code (33..126).

bool isAlnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The code point starting at utf8[i] and its length; the text is valid UTF-8 (parsed JSON).
std::pair<int, int> codePointAt(std::string_view utf8, std::size_t i)
{
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    int cp = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length && i + std::size_t(k) < utf8.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + std::size_t(k)]) & 0x3F);
    return { cp, length };
}

void appendUtf8(QByteArray &out, int cp)
{
    const char32_t c = char32_t(cp);
    out.append(QString::fromUcs4(&c, 1).toUtf8());
}

} // namespace

std::vector<int> promptTokenIds(std::string_view utf8)
{
    std::vector<int> ids;
    bool space = false;
    std::size_t i = 0;
    while (i < utf8.size()) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        const int flag = space ? kSpaceBefore : 0;
        if (isAlnum(c)) {
            std::size_t end = i;
            while (end < utf8.size() && isAlnum(static_cast<unsigned char>(utf8[end])))
                ++end;
            for (std::size_t start = i; start < end; start += 4) {
                int packed = 0;
                for (std::size_t k = start; k < std::min(start + 4, end); ++k)
                    packed = (packed << 7) | static_cast<unsigned char>(utf8[k]);
                ids.push_back(kAlnumPiece | packed | (start == i ? flag : 0));
            }
            i = end;
            space = false;
        } else if (c >= 0x80) {
            const auto [cp, length] = codePointAt(utf8, i);
            ids.push_back((kCharacter + cp) | flag);
            i += std::size_t(length);
            space = false;
        } else if (c > 0x20 && c < 0x7F) {
            ids.push_back(int(c) | flag);
            ++i;
            space = false;
        } else {
            space = space || c == ' ' || c == '\t' || c == '\n' || c == '\r';
            ++i;
        }
    }
    return ids;
}

QByteArray decodeTokenIds(const std::vector<int> &ids, bool *ok)
{
    QByteArray text;
    bool valid = true;
    for (const int id : ids) {
        if (id < 0 || id >= 2 * kSpaceBefore) {
            valid = false;
            continue;
        }
        if (id & kSpaceBefore)
            text.append(' ');
        const int bare = id & ~kSpaceBefore;
        if (bare & kAlnumPiece) {
            QByteArray piece;
            for (int packed = bare & ~kAlnumPiece; packed; packed >>= 7)
                piece.prepend(char(packed & 0x7F));
            text.append(piece);
        } else if (bare >= kCharacter && bare <= kCharacter + 0x10FFFF) {
            appendUtf8(text, bare - kCharacter);
        } else if (bare > 0x20 && bare < 0x7F) {
            text.append(char(bare));
        } else {
            valid = false;
        }
    }
    if (ok)
        *ok = valid;
    return text;
}

std::optional<RequestError> answerTokenize(const QByteArray &body, int maxModelLen, QByteArray *reply)
{
    if (jsonNestsDeeperThan(body, kMaxJsonDepth))
        return badRequest("The request body nests too deeply.");
    const json request = json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (!request.is_object())
        return badRequest("The request body must be a JSON object.");
    // TGI's shape: {"inputs"} -> [{"id", "text", "start", "stop"}].
    if (const auto inputs = request.find("inputs"); inputs != request.end()) {
        if (!inputs->is_string())
            return badRequest("inputs must be a string.", "inputs");
        json answer = json::array();
        int offset = 0;
        for (const int id : promptTokenIds(inputs->get_ref<const std::string &>())) {
            const QByteArray piece = decodeTokenIds({ id });
            const int length = int(QString::fromUtf8(piece).size());
            answer.push_back({ { "id", id }, { "text", piece.toStdString() }, { "start", offset }, { "stop", offset + length } });
            offset += length;
        }
        *reply = QByteArray::fromStdString(answer.dump());
        return std::nullopt;
    }
    std::vector<int> ids;
    auto appendText = [&ids](const json &value) {
        if (!value.is_string())
            return;
        const std::string &text = value.get_ref<const std::string &>();
        const std::vector<int> more = promptTokenIds(text);
        ids.insert(ids.end(), more.begin(), more.end());
    };
    if (const auto prompt = request.find("prompt"); prompt != request.end()) {
        if (!prompt->is_string())
            return badRequest("prompt must be a string.", "prompt");
        appendText(*prompt);
    } else if (const auto content = request.find("content"); content != request.end()) {
        // llama.cpp's shape, {"content"} -> {"tokens"}: the reply below carries "tokens" too.
        if (!content->is_string())
            return badRequest("content must be a string.", "content");
        appendText(*content);
    } else if (const auto messages = request.find("messages"); messages != request.end()) {
        if (!messages->is_array() || messages->empty())
            return badRequest("messages must be a non-empty list of message objects.", "messages");
        // As a chat request counts them: the contents, with no template around them.
        for (const json &m : *messages) {
            if (!m.is_object())
                return badRequest("messages must be a non-empty list of message objects.", "messages");
            const auto content = m.find("content");
            if (content == m.end())
                continue;
            if (content->is_array()) {
                for (const json &part : *content) {
                    if (part.is_object() && part.contains("text"))
                        appendText(part["text"]);
                }
            } else {
                appendText(*content);
            }
        }
    } else {
        return badRequest("Field required: prompt, content or messages.", "prompt");
    }
    json answer = { { "count", ids.size() }, { "max_model_len", maxModelLen }, { "tokens", ids }, { "token_strs", nullptr } };
    *reply = QByteArray::fromStdString(answer.dump());
    return std::nullopt;
}

std::optional<RequestError> answerDetokenize(const QByteArray &body, QByteArray *reply)
{
    if (jsonNestsDeeperThan(body, kMaxJsonDepth))
        return badRequest("The request body nests too deeply.");
    const json request = json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    const auto tokens = request.is_object() ? request.find("tokens") : request.end();
    if (!request.is_object() || tokens == request.end() || !tokens->is_array())
        return badRequest("Field required: tokens, a list of token ids.", "tokens");
    std::vector<int> ids;
    for (const json &id : *tokens) {
        if (!id.is_number_integer())
            return badRequest("tokens must be a list of token ids.", "tokens");
        const long long value = id.get<long long>();
        ids.push_back(value < 0 || value > 0x7FFFFFFF ? -1 : int(value));
    }
    bool ok = true;
    const QByteArray text = decodeTokenIds(ids, &ok);
    if (!ok)
        return badRequest("Token id out of vocabulary.", "tokens");
    const json answer = { { "prompt", text.toStdString() } };
    *reply = QByteArray::fromStdString(answer.dump());
    return std::nullopt;
}

} // namespace ts::sim
