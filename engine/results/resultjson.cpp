#include "results/resultjson.h"

#include "backends/backendregistry.h"

#include "load/arrivals.h"
#include "results/chunks.h"
#include "results/summary.h"

#include <QSet>

#include <algorithm>
#include <iterator>

namespace ts {

namespace {

using ojson = nlohmann::ordered_json;

std::string str(const QString &s) { return s.toStdString(); }

// vLLM's order of the per-metric statistics.
constexpr const char *StatMetrics[] = {"ttft", "tpot", "itl", "e2el", "queue"};

std::vector<const RequestRecord *> inWorkloadOrder(const std::vector<RequestRecord> &records)
{
    std::vector<const RequestRecord *> sorted;
    sorted.reserve(records.size());
    for (const RequestRecord &r : records)
        sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const RequestRecord *a, const RequestRecord *b) { return a->index < b->index; });
    return sorted;
}

ojson outputTokensSource(const std::vector<RequestRecord> &records)
{
    QSet<TokenCountSource> sources;
    for (const RequestRecord &r : records) {
        if (r.success)
            sources.insert(r.outputTokenSource);
    }
    if (sources.isEmpty())
        return nullptr;
    if (sources.size() > 1)
        return "mixed";
    return str(tokenCountSourceName(*sources.begin()));
}

template<typename F>
ojson array(const std::vector<const RequestRecord *> &records, F &&value)
{
    ojson a = ojson::array();
    for (const RequestRecord *r : records)
        a.push_back(value(*r));
    return a;
}

// A request's element of each per-request array, named after the array.
ojson inputLen(const RequestRecord &r) { return r.promptTokens; }
// vLLM writes 0 for a failed request's output length.
ojson outputLen(const RequestRecord &r) { return r.success ? r.outputTokens : 0; }
ojson ttft(const RequestRecord &r) { return r.ttft; }
ojson itls(const RequestRecord &r) { return ojson(r.itl); }
ojson startTime(const RequestRecord &r) { return r.startTime; }
ojson generatedText(const RequestRecord &r) { return str(r.generatedText); }
ojson errorText(const RequestRecord &r) { return str(r.error); }
ojson latency(const RequestRecord &r) { return r.latency; }
ojson queueTime(const RequestRecord &r) { return r.queueTime; }
ojson httpStatus(const RequestRecord &r) { return r.httpStatus; }
ojson inputTokensSource(const RequestRecord &r) { return str(tokenCountSourceName(r.promptTokenSource)); }
ojson outputTokensSourceOf(const RequestRecord &r) { return str(tokenCountSourceName(r.outputTokenSource)); }
ojson chunkTextEnds(const RequestRecord &r)
{
    return ojson(utf16ToCodePointOffsets(r.generatedText, r.chunkTextEnds));
}
ojson chunkTokens(const RequestRecord &r) { return ojson(r.chunkTokens); }
ojson ttfrt(const RequestRecord &r) { return r.ttfrt >= 0.0 ? ojson(r.ttfrt) : ojson(nullptr); }
ojson ttfat(const RequestRecord &r) { return r.ttfat >= 0.0 ? ojson(r.ttfat) : ojson(nullptr); }
ojson reasoningTokens(const RequestRecord &r)
{
    return r.reasoningTokens >= 0 ? ojson(r.reasoningTokens) : ojson(nullptr);
}
bool reasoned(const RequestRecord &r) { return r.ttfrt >= 0.0 || r.reasoningTokens >= 0; }
ojson conversationIndex(const RequestRecord &r) { return r.conversation; }
ojson turnIndex(const RequestRecord &r) { return r.turn; }

struct RequestArray
{
    const char *key;
    ojson (*value)(const RequestRecord &);
};

// The per-request arrays of a run with reasoning, in file order.
constexpr RequestArray ReasoningArrays[] = {
    {"ttfrts", ttfrt}, {"ttfats", ttfat}, {"reasoning_tokens", reasoningTokens}};

// Every per-request array of a detailed result, in file order; multi-turn ones last.
constexpr RequestArray RequestArrays[] = {
    {"input_lens", inputLen}, {"output_lens", outputLen}, {"ttfts", ttft}, {"itls", itls},
    {"start_times", startTime}, {"generated_texts", generatedText}, {"errors", errorText},
    {"latencies", latency}, {"queue_times", queueTime}, {"http_statuses", httpStatus},
    {"input_tokens_sources", inputTokensSource}, {"output_tokens_sources", outputTokensSourceOf},
    {"chunk_text_ends", chunkTextEnds}, {"chunk_tokens", chunkTokens},
    {"conversation_indices", conversationIndex}, {"turn_indices", turnIndex}};
constexpr std::size_t MultiTurnArrays = 2;

// vLLM's record of a ramp-up: an event each time the integer part of the rate rises, with the
// local time the request that reached it was released (Python's isoformat()). The first event
// is the start rate at the start of the measured part. Null when it cannot be told (no ramp,
// a multi-turn run, a recovered run).
ojson rpsChangeEvents(const RunResult &run, const std::vector<const RequestRecord *> &records)
{
    const LoadConfig &load = run.config.load;
    if (!load.hasRampUp() || !load.rampUpStartRps || run.config.multiTurn || !run.measureStart.isValid())
        return nullptr;
    auto iso = [](const QDateTime &t) { return str(t.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'000'"))); };
    ojson events = ojson::array();
    int last = *load.rampUpStartRps;
    events.push_back({ { "rps", last }, { "timestamp", iso(run.measureStart) } });
    for (const RequestRecord *r : records) {
        const int rps = int(rampUpRate(load, r->index, load.numPrompts));
        if (rps <= last)
            continue;
        const double released = std::max(0.0, r->startTime - r->queueTime);
        const std::string at = iso(run.measureStart.addMSecs(qint64(released * 1000.0)));
        for (int value = last + 1; value <= rps; ++value)
            events.push_back({ { "rps", value }, { "timestamp", at } });
        last = rps;
    }
    return events;
}

void addGenerationResults(ojson &j, const BenchmarkMetrics &m, const std::vector<const RequestRecord *> &records,
                          bool detailed)
{
    j["duration"] = m.duration;
    j["completed"] = m.completed;
    j["failed"] = m.failed;
    j["total_input_tokens"] = m.totalInputTokens;
    j["total_output_tokens"] = m.totalOutputTokens;
    j["request_throughput"] = m.requestThroughput;
    j["request_goodput"] = m.requestGoodput ? ojson(*m.requestGoodput) : ojson(nullptr);
    j["output_throughput"] = m.outputThroughput;
    j["total_token_throughput"] = m.totalTokenThroughput;
    if (detailed) {
        j["input_lens"] = array(records, inputLen);
        j["output_lens"] = array(records, outputLen);
        j["ttfts"] = array(records, ttft);
        j["itls"] = array(records, itls);
        j["start_times"] = array(records, startTime);
        j["generated_texts"] = array(records, generatedText);
        j["errors"] = array(records, errorText);
    }
    j["latencies"] = array(records, latency);
    j["queue_times"] = array(records, queueTime);
    j["max_output_tokens_per_s"] = m.maxOutputTokensPerS;
    j["max_concurrent_requests"] = m.maxConcurrentRequests;
}

// vLLM's keys of a pooling run, in its order. vLLM leaves out "failed" there; it is kept, since
// a reader cannot tell failures otherwise. One input per request: the input sequences are the
// completed requests. vLLM writes input_lens and errors always; start_times are ours, detailed.
void addEmbeddingResults(ojson &j, const BenchmarkMetrics &m, const std::vector<const RequestRecord *> &records,
                         bool detailed)
{
    j["duration"] = m.duration;
    j["completed"] = m.completed;
    j["failed"] = m.failed;
    j["total_input_tokens"] = m.totalInputTokens;
    j["total_input_sequences"] = m.completed;
    j["request_throughput"] = m.requestThroughput;
    j["input_sequence_throughput"] = m.requestThroughput;
    j["total_token_throughput"] = m.totalTokenThroughput;
    j["input_lens"] = array(records, inputLen);
    j["latencies"] = array(records, latency);
    j["queue_times"] = array(records, queueTime);
    j["errors"] = array(records, errorText);
    if (detailed)
        j["start_times"] = array(records, startTime);
}

} // namespace

nlohmann::ordered_json requestJson(const RequestRecord &record)
{
    ojson j = ojson::object();
    j["index"] = record.index;
    const bool multiTurn = record.conversation >= 0;
    const std::size_t count = std::size(RequestArrays) - (multiTurn ? 0 : MultiTurnArrays);
    for (std::size_t i = 0; i < count; ++i)
        j[RequestArrays[i].key] = RequestArrays[i].value(record);
    // Only a request that reasoned carries these; a reader fills null for the others.
    if (reasoned(record)) {
        for (const RequestArray &a : ReasoningArrays)
            j[a.key] = a.value(record);
    }
    return j;
}

QString tokenCountSourceName(TokenCountSource source)
{
    switch (source) {
    case TokenCountSource::Dataset:
        return QStringLiteral("dataset");
    case TokenCountSource::Server:
        return QStringLiteral("server");
    case TokenCountSource::Chunks:
        return QStringLiteral("chunks");
    case TokenCountSource::Tokenizer:
        return QStringLiteral("tokenizer");
    }
    return {};
}

std::optional<TokenCountSource> tokenCountSourceFromName(QStringView name)
{
    for (auto s : {TokenCountSource::Dataset, TokenCountSource::Server, TokenCountSource::Chunks,
                   TokenCountSource::Tokenizer}) {
        if (name == tokenCountSourceName(s))
            return s;
    }
    return std::nullopt;
}

nlohmann::ordered_json toResultJson(const RunResult &run, const BenchmarkMetrics &m, bool detailed)
{
    const BenchmarkConfig &cfg = run.config;
    ojson j = ojson::object();

    // Setup, in the order vLLM writes it.
    j["date"] = str(run.date.toString(QStringLiteral("yyyyMMdd-HHmmss")));
    j["endpoint_type"] = str(cfg.target.backend);
    j["backend"] = str(cfg.target.backend);
    j["label"] = cfg.label.isEmpty() ? ojson(nullptr) : ojson(str(cfg.label));
    j["model_id"] = str(cfg.target.model);
    j["tokenizer_id"] = str(cfg.tokenizerId.isEmpty() ? cfg.target.model : cfg.tokenizerId);
    j["num_prompts"] = cfg.load.numPrompts;
    for (const auto &[key, value] : cfg.metadata)
        j[str(key.trimmed())] = str(value.trimmed());
    j["request_rate"] = cfg.load.hasFiniteRate() ? ojson(cfg.load.requestRate) : ojson("inf");
    j["burstiness"] = cfg.load.burstiness;
    j["max_concurrency"] = cfg.load.maxConcurrency > 0 ? ojson(cfg.load.maxConcurrency) : ojson(nullptr);
    if (cfg.load.hasRampUp()) {
        j["ramp_up_strategy"] = str(rampUpStrategyName(cfg.load.rampUpStrategy));
        j["ramp_up_start_rps"] = cfg.load.rampUpStartRps ? ojson(*cfg.load.rampUpStartRps) : ojson(nullptr);
        j["ramp_up_end_rps"] = cfg.load.rampUpEndRps ? ojson(*cfg.load.rampUpEndRps) : ojson(nullptr);
    }

    const auto records = inWorkloadOrder(run.records);
    const bool embeddings = producesEmbeddings(cfg.target.backend);
    if (embeddings)
        addEmbeddingResults(j, m, records, detailed);
    else
        addGenerationResults(j, m, records, detailed);
    if (ojson events = rpsChangeEvents(run, records); !events.is_null())
        j["rps_change_events"] = std::move(events);

    for (const char *metric : StatMetrics) {
        const QString name = QString::fromLatin1(metric);
        if (!reportsMetric(name, cfg.metrics, embeddings))
            continue;
        const MetricSummary *s = m.summary(name);
        const std::string suffix = std::string("_") + metric + "_ms";
        j["mean" + suffix] = s->mean;
        j["median" + suffix] = s->median;
        j["std" + suffix] = s->std;
        for (const auto &[p, value] : s->percentiles)
            j["p" + str(percentileName(p)) + suffix] = value;
    }

    // Beside vLLM's statistics: reasoning models (every percentile of the run's).
    if (m.hasReasoning()) {
        for (const char *metric : {"ttfrt", "ttfat"}) {
            const MetricSummary *s = m.summary(QString::fromLatin1(metric));
            const std::string suffix = std::string("_") + metric + "_ms";
            j["mean" + suffix] = s->mean;
            j["median" + suffix] = s->median;
            j["std" + suffix] = s->std;
            for (const auto &[p, value] : s->percentiles)
                j["p" + str(percentileName(p)) + suffix] = value;
        }
        j["reasoning_requests"] = m.reasoningRequests;
        j["total_reasoning_tokens"] = m.totalReasoningTokens;
    }

    // Our own keys (see resultjson.h and docs/result-format.md).
    j["tokenstorm_version"] = TOKENSTORM_VERSION;
    j["requested"] = run.requested;
    j["stopped"] = run.stopped;
    j["client_cpu_seconds"] = run.clientCpuSeconds;
    if (!embeddings) {
        j["output_tokens_source"] = outputTokensSource(run.records);
        j["output_tokens_estimated"] = m.outputTokensEstimated;
    }
    if (!cfg.tokenizerSource.isEmpty())
        j["tokenizer_source"] = str(cfg.tokenizerSource);
    if (!cfg.tokenizerEndpoint.isEmpty())
        j["tokenizer_endpoint"] = str(cfg.tokenizerEndpoint);
    if (cfg.multiTurn)
        j["multi_turn"] = true;
    if (isTraceDataset(cfg.datasetName)) {
        j["dataset_name"] = str(cfg.datasetName);
        j["trace_time_scale"] = cfg.load.traceTimeScale;
    }
    if (cfg.load.hasDurationLimit()) {
        j["duration_limit_s"] = cfg.load.durationS;
        j["duration_end"] = cfg.load.durationCancel ? "cancel" : "drain";
    }
    if (cfg.metrics.hasGoodput()) {
        ojson slo = ojson::object();
        if (cfg.metrics.goodputTtftMs)
            slo["ttft"] = *cfg.metrics.goodputTtftMs;
        if (cfg.metrics.goodputTpotMs)
            slo["tpot"] = *cfg.metrics.goodputTpotMs;
        if (cfg.metrics.goodputE2elMs)
            slo["e2el"] = *cfg.metrics.goodputE2elMs;
        j["goodput"] = slo;
    }
    if (detailed) {
        j["http_statuses"] = array(records, httpStatus);
        j["input_tokens_sources"] = array(records, inputTokensSource);
    }
    if (detailed && !embeddings) {
        j["output_tokens_sources"] = array(records, outputTokensSourceOf);
        j["chunk_text_ends"] = array(records, chunkTextEnds);
        j["chunk_tokens"] = array(records, chunkTokens);
        if (m.hasReasoning()) {
            for (const RequestArray &a : ReasoningArrays)
                j[a.key] = array(records, a.value);
        }
        if (cfg.multiTurn) {
            j["conversation_indices"] = array(records, conversationIndex);
            j["turn_indices"] = array(records, turnIndex);
        }
    }
    return j;
}

} // namespace ts
