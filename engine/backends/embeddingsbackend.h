#pragma once

#include "backends/backend.h"

namespace ts {

// OpenAI-compatible embeddings (/v1/embeddings): one prompt in, one vector back in a single
// JSON body. Nothing streams, so the record's first content is the whole reply: TTFT equals
// E2EL, no output tokens, and the input tokens come from usage.prompt_tokens.
class EmbeddingsBackend final : public Backend
{
public:
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
    Framing framing() const override { return Framing::WholeBody; }
};

} // namespace ts
