#include "sim/simconfig.h"

#include <QCoreApplication>

#include <cmath>

namespace ts {

namespace {

bool positive(double v) { return std::isfinite(v) && v > 0.0; }

SimServerConfig batching(int seqs, int batchedTokens, double prefillTps, double stepMs,
                         double perSeqMs, qint64 kvTokens, int maxModelLen)
{
    SimServerConfig c;
    c.mode = SimMode::Batching;
    c.maxNumSeqs = seqs;
    c.maxNumBatchedTokens = batchedTokens;
    c.prefillTokensPerSecond = prefillTps;
    c.baseStepMs = stepMs;
    c.perSeqStepMs = perSeqMs;
    c.kvCacheTokens = kvTokens;
    c.maxModelLen = maxModelLen;
    return c;
}

} // namespace

QString simModeName(SimMode mode)
{
    return mode == SimMode::FixedLatency ? QStringLiteral("fixed") : QStringLiteral("batching");
}

std::optional<SimMode> simModeFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("batching"))
        return SimMode::Batching;
    if (n == QLatin1String("fixed"))
        return SimMode::FixedLatency;
    return std::nullopt;
}

QString SimServerConfig::validate() const
{
    if (modelId.trimmed().isEmpty())
        return QCoreApplication::translate("ts::SimServerConfig", "The model name must not be empty.");
    if (listenBacklog < 1)
        return QCoreApplication::translate("ts::SimServerConfig", "The listen backlog must be at least 1.");
    if (!positive(headerTimeoutS) || !positive(bodyTimeoutS) || !positive(keepAliveTimeoutS))
        return QCoreApplication::translate("ts::SimServerConfig", "Timeouts must be above 0 seconds.");
    if (maxBodyBytes < 1024)
        return QCoreApplication::translate("ts::SimServerConfig", "The request body limit must be at least 1024 bytes.");
    if (maxModelLen < 2)
        return QCoreApplication::translate("ts::SimServerConfig", "The maximum model length must be at least 2 tokens.");
    if (defaultMaxTokens < 1)
        return QCoreApplication::translate("ts::SimServerConfig", "The default number of output tokens must be at least 1.");
    if (!(eosProbability >= 0.0 && eosProbability < 1.0))
        return QCoreApplication::translate("ts::SimServerConfig", "The end-of-sequence probability must be at least 0 and below 1.");
    if (reasoningTokens < 0)
        return QCoreApplication::translate("ts::SimServerConfig", "The number of reasoning tokens cannot be negative.");
    if (!(jitter >= 0.0 && jitter < 1.0))
        return QCoreApplication::translate("ts::SimServerConfig", "The jitter must be at least 0 and below 1.");
    if (mode == SimMode::FixedLatency) {
        if (!(std::isfinite(ttftMs) && ttftMs >= 0.0))
            return QCoreApplication::translate("ts::SimServerConfig", "The time to first token must not be negative.");
        if (!(std::isfinite(itlMs) && itlMs >= 0.0))
            return QCoreApplication::translate("ts::SimServerConfig", "The inter-token latency must not be negative.");
        return {};
    }
    if (maxNumSeqs < 1)
        return QCoreApplication::translate("ts::SimServerConfig", "The number of sequence slots must be at least 1.");
    if (maxNumBatchedTokens < maxNumSeqs)
        return QCoreApplication::translate("ts::SimServerConfig", "The tokens per step must be at least the number of sequence slots.");
    if (!positive(prefillTokensPerSecond))
        return QCoreApplication::translate("ts::SimServerConfig", "The prefill speed must be above 0 tokens per second.");
    if (!(std::isfinite(baseStepMs) && baseStepMs >= 0.0)
        || !(std::isfinite(perSeqStepMs) && perSeqStepMs >= 0.0))
        return QCoreApplication::translate("ts::SimServerConfig", "Step times must not be negative.");
    if (baseStepMs + perSeqStepMs <= 0.0)
        return QCoreApplication::translate("ts::SimServerConfig", "A decode step must take some time.");
    if (kvCacheTokens < maxModelLen)
        return QCoreApplication::translate("ts::SimServerConfig", "The KV cache must hold at least one sequence of the maximum model length.");
    return {};
}

QString SimServerConfig::summary() const
{
    QString s;
    if (mode == SimMode::FixedLatency) {
        s = QStringLiteral("fixed: TTFT %1 ms, ITL %2 ms").arg(ttftMs).arg(itlMs);
    } else {
        s = QStringLiteral("batching: %1 seqs, %2 tokens/step, prefill %3 tok/s, "
                           "step %4 ms + %5 ms/seq, KV cache %6 tokens")
                .arg(maxNumSeqs)
                .arg(maxNumBatchedTokens)
                .arg(prefillTokensPerSecond)
                .arg(baseStepMs)
                .arg(perSeqStepMs)
                .arg(kvCacheTokens);
    }
    s += QStringLiteral(", max-model-len %1, model %2, seed %3").arg(maxModelLen).arg(modelId).arg(seed);
    if (jitter > 0.0)
        s += QStringLiteral(", jitter %1").arg(jitter);
    if (eosProbability > 0.0)
        s += QStringLiteral(", EOS probability %1").arg(eosProbability);
    return s;
}

std::vector<SimPreset> simPresets()
{
    SimServerConfig fixed;
    fixed.mode = SimMode::FixedLatency;
    fixed.ttftMs = 100.0;
    fixed.itlMs = 50.0;

    std::vector<SimPreset> presets;
    presets.push_back({QStringLiteral("fixed"),
                       QCoreApplication::translate("ts::SimPresets", "Fixed latency for checking the client: first token after 100 ms, then one every 50 ms."),
                       fixed});
    presets.push_back({QStringLiteral("gpu-fast"),
                       QCoreApplication::translate("ts::SimPresets", "A fast GPU server: 256 sequences, prefill 20000 tokens/s, step 12 ms + 0.08 ms per sequence."),
                       batching(256, 8192, 20000.0, 12.0, 0.08, 400000, 32768)});
    presets.push_back({QStringLiteral("gpu-small"),
                       QCoreApplication::translate("ts::SimPresets", "A smaller GPU server: 64 sequences, prefill 8000 tokens/s, step 20 ms + 0.25 ms per sequence."),
                       batching(64, 4096, 8000.0, 20.0, 0.25, 100000, 8192)});
    presets.push_back({QStringLiteral("cpu-small"),
                       QCoreApplication::translate("ts::SimPresets", "A small CPU server like llama.cpp: 4 slots, prefill 300 tokens/s, step 40 ms + 8 ms per sequence."),
                       batching(4, 512, 300.0, 40.0, 8.0, 16384, 4096)});
    presets.push_back({QStringLiteral("saturating"),
                       QCoreApplication::translate("ts::SimPresets", "A server that saturates early: 16 slots, so a concurrency sweep finds its knee near 16."),
                       batching(16, 2048, 5000.0, 25.0, 1.0, 65536, 4096)});
    // Slow enough to follow with the eye: four 128-token prompts arriving together share one
    // prefill step of about 1 s, then tokens come about every 200 ms.
    presets.push_back({QStringLiteral("classroom"),
                       QCoreApplication::translate("ts::SimPresets", "A slow server to watch by eye: 4 slots, prefill 640 tokens/s, step 180 ms + 10 ms per sequence; a fifth request waits for a slot."),
                       batching(4, 2048, 640.0, 180.0, 10.0, 65536, 4096)});
    return presets;
}

QStringList simPresetNames()
{
    QStringList names;
    for (const SimPreset &p : simPresets())
        names << p.name;
    return names;
}

std::optional<SimServerConfig> simPresetConfig(const QString &name)
{
    const QString n = name.trimmed().toLower();
    for (const SimPreset &p : simPresets()) {
        if (p.name == n)
            return p.config;
    }
    return std::nullopt;
}

QString defaultSimPresetName()
{
    return QStringLiteral("gpu-fast");
}

} // namespace ts
