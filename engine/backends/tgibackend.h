#pragma once

#include "backends/backend.h"

namespace ts {

// Hugging Face Text Generation Inference (/generate_stream).
class TgiBackend final : public Backend
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
};

} // namespace ts
