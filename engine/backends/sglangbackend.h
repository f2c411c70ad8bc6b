#pragma once

#include "backends/backend.h"

namespace ts {

// SGLang's own API (POST /generate). Each event carries the whole text generated so far, not
// the new part, and a running token count in meta_info.
class SglangBackend final : public Backend
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
};

} // namespace ts
