#pragma once

#include "backends/backend.h"

namespace ts {

// Hugging Face Text Generation Inference, /generate_stream.
class TgiBackend final : public Backend
{
public:
    QString name() const override { return QStringLiteral("tgi"); }
    QString defaultEndpoint() const override { return QStringLiteral("/generate_stream"); }
    QByteArray requestBody(const PromptSpec &prompt, const BenchmarkConfig &config, bool stream) const override;
    EventKind handleEvent(const SseEvent &event, StreamState &state) const override;
};

} // namespace ts
