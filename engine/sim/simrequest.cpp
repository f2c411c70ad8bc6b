#include "sim/simrequest.h"

#include "sim/simformats.h"
#include "sim/simtokenizer.h"

#include <nlohmann/json.hpp>

namespace ts::sim {

using json = nlohmann::json;

RequestError badRequest(QByteArray message, const char *param)
{
    RequestError e;
    e.message = std::move(message);
    e.param = param;
    return e;
}

int textTokens(const json &v)
{
    return v.is_string() ? countPromptTokens(v.get_ref<const std::string &>()) : 0;
}

std::optional<RequestError> readBool(const json &obj, const char *key, bool &out)
{
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return std::nullopt;
    if (!it->is_boolean())
        return badRequest(QByteArray(key) + " must be a boolean.", key);
    out = it->get<bool>();
    return std::nullopt;
}

std::optional<RequestError> readMaxTokens(const json &obj, const char *key, std::optional<int> &out)
{
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return std::nullopt;
    if (!it->is_number_integer())
        return badRequest(QByteArray(key) + " must be an integer.", key);
    const auto v = it->get<long long>();
    if (v < 1)
        return badRequest(QByteArray(key) + " must be at least 1, got " + QByteArray::number(v) + '.', key);
    out = int(std::min<long long>(v, 1 << 30));
    return std::nullopt;
}

std::optional<RequestError> readModel(const json &obj, std::optional<QByteArray> &out)
{
    const auto model = obj.find("model");
    if (model != obj.end() && !model->is_null()) {
        if (!model->is_string())
            return badRequest("model must be a string.", "model");
        out = QByteArray::fromStdString(model->get<std::string>());
    }
    return std::nullopt;
}

namespace {

// prompt: a string, a list of strings, a list of token ids, or a list of such lists.
// Only the first prompt of a batch is served.
std::optional<int> completionPromptTokens(const json &prompt)
{
    if (prompt.is_string())
        return textTokens(prompt);
    if (!prompt.is_array() || prompt.empty())
        return std::nullopt;
    const json &first = prompt.front();
    if (first.is_string())
        return textTokens(first);
    if (first.is_number_integer())
        return int(prompt.size());
    if (first.is_array())
        return int(first.size());
    return std::nullopt;
}

} // namespace

// messages[].content: a string, null, or a list of parts with "text".
std::optional<int> messagesTokens(const json &messages)
{
    if (!messages.is_array() || messages.empty())
        return std::nullopt;
    int tokens = 0;
    for (const json &m : messages) {
        if (!m.is_object())
            return std::nullopt;
        const auto content = m.find("content");
        if (content == m.end() || content->is_null())
            continue;
        if (content->is_string()) {
            tokens += textTokens(*content);
        } else if (content->is_array()) {
            for (const json &part : *content) {
                if (part.is_object()) {
                    const auto text = part.find("text");
                    if (text != part.end())
                        tokens += textTokens(*text);
                }
            }
        } else {
            return std::nullopt;
        }
    }
    return tokens;
}

namespace {

std::optional<RequestError> parseOpenAi(ApiKind kind, const json &body, GenerationRequest &out)
{
    if (auto e = readModel(body, out.model))
        return e;

    if (kind == ApiKind::Chat) {
        const auto messages = body.find("messages");
        if (messages == body.end())
            return badRequest("Field required: messages.", "messages");
        const auto tokens = messagesTokens(*messages);
        if (!tokens)
            return badRequest("messages must be a non-empty list of message objects.", "messages");
        out.promptTokens = *tokens;
        if (auto e = readMaxTokens(body, "max_completion_tokens", out.maxTokens))
            return e;
        if (!out.maxTokens) {
            if (auto e = readMaxTokens(body, "max_tokens", out.maxTokens))
                return e;
        }
    } else {
        const auto prompt = body.find("prompt");
        if (prompt == body.end())
            return badRequest("Field required: prompt.", "prompt");
        const auto tokens = completionPromptTokens(*prompt);
        if (!tokens)
            return badRequest("prompt must be a string, a list of strings or a list of token ids.", "prompt");
        if (*tokens == 0)
            return badRequest("The prompt cannot be empty.", "prompt");
        out.promptTokens = *tokens;
        if (auto e = readMaxTokens(body, "max_tokens", out.maxTokens))
            return e;
    }

    if (auto e = readBool(body, "stream", out.stream))
        return e;
    if (auto e = readBool(body, "ignore_eos", out.ignoreEos))
        return e;
    const auto options = body.find("stream_options");
    if (options != body.end() && !options->is_null()) {
        if (!options->is_object())
            return badRequest("stream_options must be an object.", "stream_options");
        if (!out.stream)
            return badRequest("Stream options can only be defined when `stream=True`.", "stream_options");
        if (auto e = readBool(*options, "include_usage", out.includeUsage))
            return e;
    }
    return std::nullopt;
}

std::optional<RequestError> parseTgi(const json &body, GenerationRequest &out)
{
    const auto inputs = body.find("inputs");
    if (inputs == body.end() || !inputs->is_string())
        return badRequest("inputs must be a string.", "inputs");
    out.promptTokens = textTokens(*inputs);
    if (out.promptTokens == 0)
        return badRequest("`inputs` cannot be empty.", "inputs");
    const auto params = body.find("parameters");
    if (params != body.end() && !params->is_null()) {
        if (!params->is_object())
            return badRequest("parameters must be an object.", "parameters");
        if (auto e = readMaxTokens(*params, "max_new_tokens", out.maxTokens))
            return e;
        if (auto e = readBool(*params, "details", out.tgiDetails))
            return e;
        bool stop = false;
        if (auto e = readBool(*params, "ignore_eos_token", stop))
            return e;
        out.ignoreEos = stop;
    }
    if (auto e = readBool(body, "stream", out.stream))
        return e;
    return std::nullopt;
}

} // namespace

bool jsonNestsDeeperThan(const QByteArray &text, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (inString) {
            if (ch == '\\')
                ++i;
            else if (ch == '"')
                inString = false;
        } else if (ch == '"') {
            inString = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > maxDepth)
                return true;
        } else if (ch == ']' || ch == '}') {
            --depth;
        }
    }
    return false;
}

std::optional<RequestError> parseGenerationRequest(ApiKind kind, const QByteArray &body, GenerationRequest &out)
{
    out = GenerationRequest {};
    out.kind = kind;
    if (jsonNestsDeeperThan(body, kMaxJsonDepth))
        return badRequest(QByteArray("The request body nests JSON deeper than ") + QByteArray::number(kMaxJsonDepth) + " levels.");
    try {
        const json doc = json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
        if (doc.is_discarded())
            return badRequest("The request body is not valid JSON.");
        if (!doc.is_object())
            return badRequest("The request body must be a JSON object.");
        switch (kind) {
        case ApiKind::Completions:
        case ApiKind::Chat:
            return parseOpenAi(kind, doc, out);
        case ApiKind::Tgi:
            return parseTgi(doc, out);
        case ApiKind::Sglang:
            // SGLang and TGI share /generate: TGI's body has no "text".
            if (!doc.contains("text")) {
                out.kind = ApiKind::Tgi;
                return parseTgi(doc, out);
            }
            return parseFormatRequest(kind, doc, out);
        default:
            return parseFormatRequest(kind, doc, out);
        }
    } catch (const std::exception &e) {
        return badRequest(QByteArray("Invalid request: ") + e.what());
    }
}

} // namespace ts::sim
