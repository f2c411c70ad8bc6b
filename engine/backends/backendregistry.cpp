#include "backends/backendregistry.h"

#include "backends/anthropicbackend.h"
#include "backends/openaibackends.h"
#include "backends/responsesbackend.h"
#include "backends/tgibackend.h"

#include <QCoreApplication>

namespace ts {

namespace {

std::vector<BackendInfo> makeTable()
{
    using B = BackendInfo;
    std::vector<BackendInfo> table;

    // vLLM's serving benchmark calls this API both "openai" and "vllm".
    table.push_back({ QStringLiteral("openai"), { QStringLiteral("vllm") },
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "OpenAI-compatible, completions"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers."),
                      QStringLiteral("/v1/completions"), B::Auth::Bearer, true, B::TokenCount::Usage,
                      B::PromptShape::Text, QStringLiteral("/v1/models"),
                      [] { return std::make_unique<OpenAiCompletionsBackend>(); } });

    table.push_back({ QStringLiteral("openai-chat"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "OpenAI-compatible, chat"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers, when the model needs its chat template."),
                      QStringLiteral("/v1/chat/completions"), B::Auth::Bearer, true, B::TokenCount::Usage,
                      B::PromptShape::ChatMessages, QStringLiteral("/v1/models"),
                      [] { return std::make_unique<OpenAiChatBackend>(); } });

    table.push_back({ QStringLiteral("tgi"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Text Generation Inference (TGI)"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Hugging Face Text Generation Inference."),
                      QStringLiteral("/generate_stream"), B::Auth::Bearer, true, B::TokenCount::PerEvent,
                      B::PromptShape::Text, QStringLiteral("/info"),
                      [] { return std::make_unique<TgiBackend>(); } });

    table.push_back({ QStringLiteral("openai-responses"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "OpenAI Responses"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "vLLM, llama.cpp and OpenAI's own service."),
                      QStringLiteral("/v1/responses"), B::Auth::Bearer, true, B::TokenCount::Usage,
                      B::PromptShape::ChatMessages, QStringLiteral("/v1/models"),
                      [] { return std::make_unique<OpenAiResponsesBackend>(); } });

    table.push_back({ QStringLiteral("anthropic"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Anthropic Messages"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "llama.cpp and Anthropic's own service."),
                      QStringLiteral("/v1/messages"), B::Auth::XApiKey, true, B::TokenCount::Usage,
                      B::PromptShape::ChatMessages, QStringLiteral("/v1/models"),
                      [] { return std::make_unique<AnthropicBackend>(); },
                      { { QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01") } } });
    return table;
}

} // namespace

QString BackendInfo::translatedTitle() const
{
    return QCoreApplication::translate("ts::BackendRegistry", title);
}

QString BackendInfo::translatedServers() const
{
    return QCoreApplication::translate("ts::BackendRegistry", servers);
}

bool BackendInfo::answersTo(const QString &nameOrAlias) const
{
    return nameOrAlias == name || aliases.contains(nameOrAlias);
}

const std::vector<BackendInfo> &backends()
{
    static const std::vector<BackendInfo> table = makeTable();
    return table;
}

const BackendInfo *findBackend(const QString &nameOrAlias)
{
    for (const BackendInfo &info : backends()) {
        if (info.answersTo(nameOrAlias))
            return &info;
    }
    return nullptr;
}

QStringList backendNames()
{
    QStringList names;
    for (const BackendInfo &info : backends())
        names << info.name << info.aliases;
    return names;
}

bool sendsChatMessages(const QString &nameOrAlias)
{
    const BackendInfo *info = findBackend(nameOrAlias);
    return info && info->sendsChatMessages();
}

QPair<QByteArray, QByteArray> authHeader(const BackendInfo &info, const QString &apiKey)
{
    if (apiKey.isEmpty())
        return {};
    switch (info.auth) {
    case BackendInfo::Auth::Bearer:
        return { QByteArrayLiteral("Authorization"), "Bearer " + apiKey.toUtf8() };
    case BackendInfo::Auth::XApiKey:
        return { QByteArrayLiteral("x-api-key"), apiKey.toUtf8() };
    case BackendInfo::Auth::None:
        break;
    }
    return {};
}

} // namespace ts
