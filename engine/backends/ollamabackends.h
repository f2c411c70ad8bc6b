#pragma once

#include "backends/backend.h"

#include <nlohmann/json_fwd.hpp>

namespace ts {

// Ollama's own API: newline-delimited JSON messages, the last with "done": true and the token
// counts (prompt_eval_count, eval_count).
class OllamaBackendBase : public Backend
{
public:
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
    Framing framing() const override { return Framing::JsonLines; }

protected:
    // The common request fields; options holds num_predict and the sampling settings.
    nlohmann::json commonBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const;
    // The reasoning and the answer one message carries.
    virtual void messageText(const nlohmann::json &message, QString &reasoning, QString &answer) const = 0;
};

// POST /api/generate: one prompt string, {"response": ...} messages.
class OllamaGenerateBackend final : public OllamaBackendBase
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;

protected:
    void messageText(const nlohmann::json &message, QString &reasoning, QString &answer) const override;
};

// POST /api/chat: chat messages, {"message": {"content": ..., "thinking": ...}} messages.
class OllamaChatBackend final : public OllamaBackendBase
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;

protected:
    void messageText(const nlohmann::json &message, QString &reasoning, QString &answer) const override;
};

} // namespace ts
