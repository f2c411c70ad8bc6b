#pragma once

#include "backends/backend.h"

namespace ts {

// TensorRT-LLM behind Triton's generate extension (POST /v2/models/{model}/generate_stream):
// {"text_output": ...} events with the new text and no token counts.
class TritonBackend final : public Backend
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
};

} // namespace ts
