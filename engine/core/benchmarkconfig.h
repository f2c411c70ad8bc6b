#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace ts {

// Where to send requests and how. Defaults follow vLLM's serving benchmark.
struct TargetConfig
{
    QString backend = QStringLiteral("openai");        // a name or alias of backendregistry.h
    QUrl baseUrl = QUrl(QStringLiteral("http://127.0.0.1:8000"));
    QString endpoint = QStringLiteral("/v1/completions");
    QString model;
    QString apiKey;                                     // never written to results or logs
    QList<QPair<QByteArray, QByteArray>> headers;       // extra headers (--header K=V)
    bool insecure = false;                              // skip TLS certificate checks
    QString caCertFile;                                 // PEM CA certificates trusted besides the system's
    double requestTimeoutS = 600.0;                     // per request, 0 = none
    bool reasoningTags = false;                         // <think>...</think> in the answer is reasoning

    QUrl url() const;                                   // baseUrl + endpoint, {model} in it replaced by model
};

struct SamplingConfig
{
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;
    std::optional<double> minP;
    bool ignoreEos = false;
};

struct RandomDatasetConfig
{
    int inputLen = 1024;
    int outputLen = 128;
    double rangeRatio = 0.0;   // lengths uniform in [L*(1-r), L*(1+r)]
    int prefixLen = 0;         // shared prefix, in tokens
};

// How the request rate moves during a run (vLLM's --ramp-up-strategy).
enum class RampUpStrategy { None, Linear, Exponential };

QString rampUpStrategyName(RampUpStrategy strategy);     // "linear", "exponential"; empty for None
std::optional<RampUpStrategy> rampUpStrategyFromName(QStringView name);

struct LoadConfig
{
    int numPrompts = 1000;
    double requestRate = std::numeric_limits<double>::infinity();   // req/s
    double burstiness = 1.0;      // gamma shape; 1 = Poisson
    int maxConcurrency = 0;       // 0 = no limit
    int numWarmups = 0;
    std::uint64_t seed = 0;
    int clientThreads = 0;        // network threads of the client, 0 = automatic

    // Ramp-up as vLLM does it: request i of n is released at the rate start + (end - start) * i/(n-1)
    // (linear) or start * (end/start)^(i/(n-1)) (exponential); requestRate then stays inf.
    // Whole requests per second, as in vLLM.
    RampUpStrategy rampUpStrategy = RampUpStrategy::None;
    std::optional<int> rampUpStartRps;
    std::optional<int> rampUpEndRps;

    // A run limited by time instead of a count (--duration): requests go out, cycling through
    // the prompts, until durationS seconds after the measured part began; then what is in
    // flight finishes, or is aborted with durationCancel. 0 = no limit.
    double durationS = 0.0;
    bool durationCancel = false;

    // A replayed trace (dataset "mooncake") sends each request at its timestamp times this
    // factor: 0.5 replays twice as fast (--trace-time-scale).
    double traceTimeScale = 1.0;

    bool hasFiniteRate() const { return requestRate < std::numeric_limits<double>::infinity(); }
    bool hasRampUp() const { return rampUpStrategy != RampUpStrategy::None; }
    bool hasDurationLimit() const { return durationS > 0.0; }
};

struct MetricsConfig
{
    QStringList percentileMetrics { QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl") };
    std::vector<double> percentiles { 99.0 };
    // Goodput SLOs in milliseconds (--goodput ttft:MS tpot:MS e2el:MS).
    std::optional<double> goodputTtftMs;
    std::optional<double> goodputTpotMs;
    std::optional<double> goodputE2elMs;

    bool hasGoodput() const { return goodputTtftMs || goodputTpotMs || goodputE2elMs; }
};

// A whole run as the user configured it.
struct BenchmarkConfig
{
    TargetConfig target;
    SamplingConfig sampling;
    QString datasetName = QStringLiteral("random");
    // Conversations sent turn by turn, each turn with its history (--multi-turn); numPrompts
    // then counts conversations.
    bool multiTurn = false;
    RandomDatasetConfig random;
    LoadConfig load;
    MetricsConfig metrics;
    QString label;
    QString tokenizerId;                                // recorded in results as tokenizer_id
    // Who counted the prompts' tokens (tokenizer_source): "local" (a tokenizer.json), "server"
    // (its tokenize endpoint, at tokenizerEndpoint) or "estimate"; empty when not known.
    QString tokenizerSource;
    QString tokenizerEndpoint;
    QList<QPair<QString, QString>> metadata;            // --metadata KEY=VALUE
};

// Why config cannot run, as one sentence in the user's language; empty when it can.
QString validationError(const BenchmarkConfig &config);

// Datasets whose prompts carry their send times (PromptSpec::sendAtS): a replayed trace.
bool isTraceDataset(const QString &datasetName);

// One message of a chat conversation.
struct ChatMessage
{
    QString role;                // system|user|assistant
    QString content;
};

// One prompt of a workload, ready to send.
struct PromptSpec
{
    QString prompt;
    int promptTokens = 0;        // length as built; replaced by the server's count when sent
    int expectedOutputTokens = 0;
    // A dataset record that is a conversation: chat endpoints send these messages instead of
    // `prompt` as one user message; `prompt` then holds their contents for completions.
    std::vector<ChatMessage> messages;
    // A replayed trace: when to send this request, in seconds after the measured run began,
    // before LoadConfig::traceTimeScale. Unset: the arrival process decides.
    std::optional<double> sendAtS;
};

} // namespace ts
