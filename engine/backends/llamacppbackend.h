#pragma once

#include "backends/backend.h"

namespace ts {

// llama.cpp's own server API (POST /completion): {"content": ...} events, the last with
// "stop": true and the token counts.
class LlamaCppBackend final : public Backend
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
};

} // namespace ts
