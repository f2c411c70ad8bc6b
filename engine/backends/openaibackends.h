#pragma once

#include "backends/backend.h"

#include <nlohmann/json_fwd.hpp>

namespace ts {

// Shared body of both OpenAI streaming APIs: choices/usage/error handling is the same, only
// where the text sits in a choice differs.
class OpenAiBackendBase : public Backend
{
public:
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;

protected:
    nlohmann::json commonBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const;
    // The generated text a choice carries (empty when it carries none).
    virtual QString choiceText(const nlohmann::json &choice) const = 0;
};

// /v1/completions (vLLM's "openai" and "vllm" backends).
class OpenAiCompletionsBackend final : public OpenAiBackendBase
{
public:
    explicit OpenAiCompletionsBackend(QString name = QStringLiteral("openai")) : m_name(std::move(name)) {}
    QString name() const override { return m_name; }
    QString defaultEndpoint() const override { return QStringLiteral("/v1/completions"); }
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;

protected:
    QString choiceText(const nlohmann::json &choice) const override;

private:
    QString m_name;
};

// /v1/chat/completions ("openai-chat").
class OpenAiChatBackend final : public OpenAiBackendBase
{
public:
    QString name() const override { return QStringLiteral("openai-chat"); }
    QString defaultEndpoint() const override { return QStringLiteral("/v1/chat/completions"); }
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;

protected:
    QString choiceText(const nlohmann::json &choice) const override;
};

} // namespace ts
