#pragma once

#include "backends/backend.h"

namespace ts {

// OpenAI's Responses API (/v1/responses): typed events, the answer in
// response.output_text.delta, reasoning in response.reasoning_text.delta and
// response.reasoning_summary_text.delta, usage in response.completed.
class OpenAiResponsesBackend final : public Backend
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
};

} // namespace ts
