#include "backends/backendregistry.h"

#include "backends/anthropicbackend.h"
#include "backends/embeddingsbackend.h"
#include "backends/llamacppbackend.h"
#include "backends/ollamabackends.h"
#include "backends/openaibackends.h"
#include "backends/responsesbackend.h"
#include "backends/sglangbackend.h"
#include "backends/tgibackend.h"
#include "backends/tritonbackend.h"

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
                      [] { return std::make_unique<OpenAiCompletionsBackend>(); },
                      B::TokenizeApi::Vllm, QStringLiteral("/tokenize") });

    table.push_back({ QStringLiteral("openai-chat"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "OpenAI-compatible, chat"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers, when the model needs its chat template."),
                      QStringLiteral("/v1/chat/completions"), B::Auth::Bearer, true, B::TokenCount::Usage,
                      B::PromptShape::ChatMessages, QStringLiteral("/v1/models"),
                      [] { return std::make_unique<OpenAiChatBackend>(); },
                      B::TokenizeApi::Vllm, QStringLiteral("/tokenize") });

    table.push_back({ QStringLiteral("openai-responses"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "OpenAI Responses"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "vLLM, llama.cpp and OpenAI's own service."),
                      QStringLiteral("/v1/responses"), B::Auth::Bearer, true, B::TokenCount::Usage,
                      B::PromptShape::ChatMessages, QStringLiteral("/v1/models"),
                      [] { return std::make_unique<OpenAiResponsesBackend>(); },
                      B::TokenizeApi::Vllm, QStringLiteral("/tokenize") });

    BackendInfo anthropic { QStringLiteral("anthropic"), {},
                            QT_TRANSLATE_NOOP("ts::BackendRegistry", "Anthropic Messages"),
                            QT_TRANSLATE_NOOP("ts::BackendRegistry", "llama.cpp and Anthropic's own service."),
                            QStringLiteral("/v1/messages"), B::Auth::XApiKey, true, B::TokenCount::Usage,
                            B::PromptShape::ChatMessages, QStringLiteral("/v1/models"),
                            [] { return std::make_unique<AnthropicBackend>(); },
                            B::TokenizeApi::AnthropicCount, QStringLiteral("/v1/messages/count_tokens") };
    anthropic.fixedHeaders = { { QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01") } };
    table.push_back(std::move(anthropic));

    table.push_back({ QStringLiteral("tgi"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Text Generation Inference (TGI)"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Hugging Face Text Generation Inference."),
                      QStringLiteral("/generate_stream"), B::Auth::Bearer, true, B::TokenCount::PerEvent,
                      B::PromptShape::Text, QStringLiteral("/info"),
                      [] { return std::make_unique<TgiBackend>(); },
                      B::TokenizeApi::Tgi, QStringLiteral("/tokenize") });

    table.push_back({ QStringLiteral("llama.cpp"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "llama.cpp, native API"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "llama.cpp server, native API (/completion)."),
                      QStringLiteral("/completion"), B::Auth::Bearer, true, B::TokenCount::Details,
                      B::PromptShape::Text, QStringLiteral("/v1/models"),
                      [] { return std::make_unique<LlamaCppBackend>(); },
                      B::TokenizeApi::LlamaCpp, QStringLiteral("/tokenize") });

    table.push_back({ QStringLiteral("ollama"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Ollama, generate"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Ollama, native API (/api/generate)."),
                      QStringLiteral("/api/generate"), B::Auth::Bearer, true, B::TokenCount::Details,
                      B::PromptShape::Text, QStringLiteral("/api/tags"),
                      [] { return std::make_unique<OllamaGenerateBackend>(); } });

    table.push_back({ QStringLiteral("ollama-chat"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Ollama, chat"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "Ollama, native API (/api/chat), when the model needs its chat template."),
                      QStringLiteral("/api/chat"), B::Auth::Bearer, true, B::TokenCount::Details,
                      B::PromptShape::ChatMessages, QStringLiteral("/api/tags"),
                      [] { return std::make_unique<OllamaChatBackend>(); } });

    table.push_back({ QStringLiteral("sglang"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "SGLang, native API"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "SGLang server, native API (/generate)."),
                      QStringLiteral("/generate"), B::Auth::Bearer, true, B::TokenCount::Usage,
                      B::PromptShape::Text, QStringLiteral("/get_model_info"),
                      [] { return std::make_unique<SglangBackend>(); },
                      B::TokenizeApi::Vllm, QStringLiteral("/tokenize") });

    // The model's name is part of the path: TargetConfig::url() fills in {model}.
    table.push_back({ QStringLiteral("tensorrt-llm"), {},
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "TensorRT-LLM on Triton"),
                      QT_TRANSLATE_NOOP("ts::BackendRegistry", "NVIDIA Triton Inference Server with the TensorRT-LLM backend (generate_stream)."),
                      QStringLiteral("/v2/models/{model}/generate_stream"), B::Auth::Bearer, true,
                      B::TokenCount::PerEvent, B::PromptShape::Text, QStringLiteral("/v2/models/stats"),
                      [] { return std::make_unique<TritonBackend>(); } });

    // Not streamed: the reply is one JSON body (vLLM's "openai-embeddings" benchmark backend).
    BackendInfo embeddings { QStringLiteral("openai-embeddings"), {},
                             QT_TRANSLATE_NOOP("ts::BackendRegistry", "OpenAI-compatible, embeddings"),
                             QT_TRANSLATE_NOOP("ts::BackendRegistry", "vLLM with an embedding model, llama.cpp with --embeddings, Text Embeddings Inference (TEI), Infinity and other embedding servers."),
                             QStringLiteral("/v1/embeddings"), B::Auth::Bearer, false, B::TokenCount::Usage,
                             B::PromptShape::Text, QStringLiteral("/v1/models"),
                             [] { return std::make_unique<EmbeddingsBackend>(); },
                             B::TokenizeApi::Vllm, QStringLiteral("/tokenize") };
    embeddings.output = B::Output::Embedding;
    table.push_back(std::move(embeddings));

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

bool producesEmbeddings(const QString &nameOrAlias)
{
    const BackendInfo *info = findBackend(nameOrAlias);
    return info && info->output == BackendInfo::Output::Embedding;
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
