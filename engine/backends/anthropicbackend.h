#pragma once

#include "backends/backend.h"

namespace ts {

// Anthropic's Messages API (/v1/messages): text in text_delta, reasoning in thinking_delta,
// input tokens in message_start, output tokens in message_delta.
class AnthropicBackend final : public Backend
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
};

} // namespace ts
