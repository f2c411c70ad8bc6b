#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace ts {

// How the simulated server decides when each token leaves.
enum class SimMode : std::uint8_t {
    // A continuous-batching engine like vLLM: a limited number of sequence slots, a FIFO
    // waiting queue, chunked prefill sharing the steps with decode, and a KV cache that fills.
    // Step time = baseStepMs + perSeqStepMs * (sequences in the step)
    //           + 1000 * (prefill tokens in the step) / prefillTokensPerSecond,
    // so inter-token latency grows with the batch and throughput flattens at saturation.
    Batching,
    // Exact timing to measure a client: the first token ttftMs after the request was fully
    // received (or, for a pipelined request, after the previous reply on its connection ended),
    // then one token every itlMs. Unlimited slots, no batching effects. Writes are never early;
    // with many streams, deadlines closer than 0.25 us x streams (at most 0.5 ms) share one
    // timer wake-up, so each write is late by at most that window plus the event loop's delay.
    // SimServer::writeLateness() and /metrics report how late writes actually were.
    FixedLatency,
};

QString simModeName(SimMode mode);                               // "batching" | "fixed"
std::optional<SimMode> simModeFromName(const QString &name);

// Everything a simulated server is configured with. Defaults are the "gpu-fast" preset.
// The field comments name the `tokenstorm-cli serve` flag each one is meant to map to.
struct SimServerConfig
{
    // Network
    QString host = QStringLiteral("127.0.0.1");        // --host
    quint16 port = 0;                                   // --port (0 = any free port)
    int listenBacklog = 4096;                           // pending connections the kernel keeps

    // Limits on what a client may hold. A timeout closes the connection (with 408 when part
    // of a request had arrived).
    // From the connection's start, or a request's first byte, to the end of its head: a total
    // deadline, so a client trickling bytes cannot keep the connection.
    double headerTimeoutS = 10.0;                       // --header-timeout
    // From the end of a head to the end of its body.
    double bodyTimeoutS = 30.0;                         // --body-timeout
    // Between two requests on a kept-alive connection. Longer than the gaps a benchmark leaves
    // (uvicorn's 5 s would close connections of a run at under one request per 5 s and add
    // a reconnect to the next request's TTFT); nginx's default.
    double keepAliveTimeoutS = 75.0;                    // --keep-alive-timeout
    // A larger announced body is refused with 413 before any of it is read.
    qint64 maxBodyBytes = 16 * 1024 * 1024;             // --max-body-bytes

    // What the server says it serves
    QString modelId = QStringLiteral("tokenstorm-sim"); // --model
    bool acceptAnyModel = false;  // --accept-any-model: otherwise another model name gets 404

    SimMode mode = SimMode::Batching;                   // --mode batching|fixed

    // FixedLatency mode
    double ttftMs = 100.0;                              // --ttft-ms
    double itlMs = 50.0;                                // --itl-ms

    // Batching mode
    int maxNumSeqs = 256;                               // --max-num-seqs
    int maxNumBatchedTokens = 8192;                     // --max-num-batched-tokens (per step)
    double prefillTokensPerSecond = 20000.0;            // --prefill-tps
    double baseStepMs = 12.0;                           // --step-ms
    double perSeqStepMs = 0.08;                         // --step-per-seq-ms
    qint64 kvCacheTokens = 400000;                      // --kv-cache-tokens

    // Both modes
    int maxModelLen = 32768;          // --max-model-len: prompt + max tokens above it get 400
    int defaultMaxTokens = 16;        // --default-max-tokens: when a request names none
    // Per-token chance of an early end ("stop"), used only for requests without
    // ignore_eos=true. 0 (the default) always generates exactly the requested tokens.
    double eosProbability = 0.0;                        // --eos-probability
    // Each step (batching) or gap (fixed) is scaled by 1 + U(-jitter, +jitter), seeded.
    double jitter = 0.0;                                // --jitter (0..1)
    std::uint64_t seed = 0;                             // --seed
    // A reasoning model: the first N tokens of every reply are reasoning (OpenAI chat and
    // Responses, Anthropic; completions and TGI ignore it).
    int reasoningTokens = 0;                            // --reasoning-tokens

    // Empty when usable, else a short translated sentence naming the bad field.
    QString validate() const;
    // One line for logs and the CLI banner, e.g. "batching: 256 seqs, prefill 20000 tok/s, ...".
    QString summary() const;
};

// A named starting point. The name is English and stable (a CLI value); the description is
// translated (context "ts::SimPresets").
struct SimPreset
{
    QString name;
    QString description;
    SimServerConfig config;
};

// The presets, in display order:
//  fixed       FixedLatency, TTFT 100 ms, ITL 50 ms.
//  gpu-fast    256 seqs, 8192 tokens/step, prefill 20000 tok/s, step 12 ms + 0.08 ms/seq,
//              KV 400k tokens, max-model-len 32768 (a large GPU serving an ~8B model).
//  gpu-small   64 seqs, 4096 tokens/step, prefill 8000 tok/s, step 20 ms + 0.25 ms/seq,
//              KV 100k tokens, max-model-len 8192 (a smaller GPU or a larger model).
//  cpu-small   4 slots, 512 tokens/step, prefill 300 tok/s, step 40 ms + 8 ms/seq,
//              KV 16384 tokens, max-model-len 4096 (llama.cpp-like server on a CPU).
//  saturating  16 slots, 2048 tokens/step, prefill 5000 tok/s, step 25 ms + 1 ms/seq,
//              KV 65536 tokens, max-model-len 4096: a concurrency sweep finds its knee at 16.
//  classroom   4 slots, 2048 tokens/step, prefill 640 tok/s, step 180 ms + 10 ms/seq,
//              KV 65536 tokens, max-model-len 4096: about 1 s TTFT and 200 ms ITL for four
//              128-token prompts, so the exercises can be followed by eye.
std::vector<SimPreset> simPresets();
QStringList simPresetNames();
std::optional<SimServerConfig> simPresetConfig(const QString &name);
QString defaultSimPresetName();                                 // "gpu-fast"

} // namespace ts
