#include "tokenizer/tokenizeformat.h"

#include <nlohmann/json.hpp>

namespace ts {

namespace {

using json = nlohmann::json;
using Api = BackendInfo::TokenizeApi;

json userMessages(const QString &text)
{
    return json::array({ { { "role", "user" }, { "content", text.toStdString() } } });
}

QByteArray dump(const json &body)
{
    return QByteArray::fromStdString(body.dump());
}

} // namespace

QByteArray tokenizeRequestBody(Api api, const QString &model, const QString &text, TokenizeShape shape)
{
    json body = json::object();
    switch (api) {
    case Api::Vllm:
        body["model"] = model.toStdString();
        if (shape == TokenizeShape::Chat) {
            body["messages"] = userMessages(text);
            body["add_generation_prompt"] = true;
        } else {
            body["prompt"] = text.toStdString();
            body["add_special_tokens"] = shape == TokenizeShape::Completion;
            // llama.cpp serves the same path under the same API and reads only these; vLLM
            // ignores fields it does not know.
            body["content"] = text.toStdString();
            body["add_special"] = shape == TokenizeShape::Completion;
        }
        break;
    case Api::LlamaCpp:
        // llama.cpp's completions add BOS to a text prompt; /tokenize does only when asked.
        body["content"] = text.toStdString();
        body["add_special"] = shape != TokenizeShape::BareText;
        break;
    case Api::Tgi:
        body["inputs"] = text.toStdString();
        break;
    case Api::AnthropicCount:
        // The endpoint counts only messages: every shape is one user message.
        body["model"] = model.toStdString();
        body["messages"] = userMessages(text);
        break;
    case Api::None:
        break;
    }
    return dump(body);
}

std::optional<int> tokenCountOfReply(Api api, const QByteArray &body)
{
    const json reply = json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    auto countOf = [](const json &object, const char *key) -> std::optional<int> {
        const auto it = object.find(key);
        if (it == object.end() || !it->is_number_integer() || it->get<long long>() < 0)
            return std::nullopt;
        return int(it->get<long long>());
    };
    auto arrayLength = [](const json &object, const char *key) -> std::optional<int> {
        const auto it = object.find(key);
        if (it == object.end() || !it->is_array())
            return std::nullopt;
        return int(it->size());
    };
    switch (api) {
    case Api::Vllm:
        if (!reply.is_object())
            return std::nullopt;
        if (auto count = countOf(reply, "count"))
            return count;
        return arrayLength(reply, "tokens");
    case Api::LlamaCpp:
        // {"tokens": [ids]} or, with_pieces, {"tokens": [{"id", "piece"}]}: one entry a token.
        return reply.is_object() ? arrayLength(reply, "tokens") : std::nullopt;
    case Api::Tgi:
        return reply.is_array() ? std::optional<int>(int(reply.size())) : std::nullopt;
    case Api::AnthropicCount:
        return reply.is_object() ? countOf(reply, "input_tokens") : std::nullopt;
    case Api::None:
        break;
    }
    return std::nullopt;
}

QByteArray applyTemplateRequestBody(const QString &text)
{
    return dump({ { "messages", userMessages(text) } });
}

std::optional<QString> templatedPromptOfReply(const QByteArray &body)
{
    const json reply = json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (!reply.is_object())
        return std::nullopt;
    const auto prompt = reply.find("prompt");
    if (prompt == reply.end() || !prompt->is_string())
        return std::nullopt;
    return QString::fromStdString(prompt->get<std::string>());
}

bool countsChatTemplate(Api api)
{
    return api == Api::Vllm || api == Api::AnthropicCount;
}

} // namespace ts
