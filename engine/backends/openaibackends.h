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
    // The generated text a choice carries (empty when it carries none); reasoningOnly tells
    // whether that text is reasoning without any answer.
    virtual QString choiceText(const nlohmann::json &choice, bool &reasoningOnly) const = 0;
};

// OpenAI-compatible text completions (/v1/completions).
class OpenAiCompletionsBackend final : public OpenAiBackendBase
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;

protected:
    QString choiceText(const nlohmann::json &choice, bool &reasoningOnly) const override;
};

// OpenAI-compatible chat completions (/v1/chat/completions).
class OpenAiChatBackend final : public OpenAiBackendBase
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;

protected:
    QString choiceText(const nlohmann::json &choice, bool &reasoningOnly) const override;
};

} // namespace ts
