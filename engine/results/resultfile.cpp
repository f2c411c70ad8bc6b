#include "results/resultfile.h"

#include "backends/backendregistry.h"
#include "core/savefile.h"
#include "results/chunks.h"
#include "results/resultjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace ts {

namespace {

using ojson = nlohmann::ordered_json;

QString fileName(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    return name.isEmpty() ? path : name;
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

QString qstr(const ojson &j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
}

std::optional<double> number(const ojson &obj, const char *key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

double numberOr(const ojson &obj, const char *key, double fallback = 0.0)
{
    return number(obj, key).value_or(fallback);
}

QString stringOf(const ojson &obj, const char *key)
{
    const auto it = obj.find(key);
    return it == obj.end() ? QString() : qstr(*it);
}

const ojson *arrayOf(const ojson &obj, const char *key)
{
    const auto it = obj.find(key);
    return it != obj.end() && it->is_array() ? &*it : nullptr;
}

double elementNumber(const ojson *a, std::size_t i, double fallback = 0.0)
{
    if (!a || i >= a->size() || !(*a)[i].is_number())
        return fallback;
    return (*a)[i].get<double>();
}

QString elementString(const ojson *a, std::size_t i)
{
    return a && i < a->size() ? qstr((*a)[i]) : QString();
}

// Element i of a, when it is a list of integers from 0 to max.
std::optional<std::vector<std::uint32_t>> elementIntList(const ojson *a, std::size_t i, std::uint32_t max)
{
    if (!a || i >= a->size() || !(*a)[i].is_array())
        return std::nullopt;
    std::vector<std::uint32_t> out;
    out.reserve((*a)[i].size());
    for (const ojson &v : (*a)[i]) {
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() > max)
            return std::nullopt;
        out.push_back(std::uint32_t(v.get<std::uint64_t>()));
    }
    return out;
}

// Our files' per-chunk keys; a request whose entries do not fit its text and ITLs keeps none,
// and the rest of the file still reads.
void readChunks(const ojson *textEnds, const ojson *tokens, std::size_t i, RequestRecord &r)
{
    const std::size_t count = r.itl.size() + 1;
    if (auto ends = elementIntList(textEnds, i, std::numeric_limits<std::uint32_t>::max());
        ends && ends->size() == count) {
        if (auto utf16 = codePointToUtf16Offsets(r.generatedText, *ends))
            r.chunkTextEnds = std::move(*utf16);
    }
    if (auto counts = elementIntList(tokens, i, std::numeric_limits<std::uint16_t>::max());
        counts && counts->size() == count)
        r.chunkTokens.assign(counts->begin(), counts->end());
}

constexpr const char *StatMetrics[] = {"ttft", "tpot", "itl", "e2el", "queue"};
constexpr const char *AllStatMetrics[] = {"ttft", "tpot", "itl", "e2el", "queue", "ttfrt", "ttfat"};

// Keys that are not metadata: vLLM's, ours, and the statistics (matched by pattern below).
const std::set<std::string> &knownKeys()
{
    static const std::set<std::string> keys {
        "date", "endpoint_type", "backend", "label", "model_id", "tokenizer_id", "num_prompts",
        "request_rate", "burstiness", "max_concurrency", "duration", "completed", "failed",
        "total_input_tokens", "total_output_tokens", "request_throughput", "request_goodput",
        "output_throughput", "total_token_throughput", "max_output_tokens_per_s",
        "max_concurrent_requests", "input_lens", "output_lens", "ttfts", "itls", "start_times",
        "generated_texts", "errors", "latencies", "queue_times", "tokenstorm_version", "requested",
        "stopped", "client_cpu_seconds", "output_tokens_source", "output_tokens_estimated", "goodput", "http_statuses",
        "input_tokens_sources", "output_tokens_sources", "ramp_up_strategy", "ramp_up_start_rps",
        "ramp_up_end_rps", "chunk_text_ends", "chunk_tokens", "total_input_sequences",
        "input_sequence_throughput", "dataset_name", "trace_time_scale", "tokenizer_source", "tokenizer_endpoint",
        "reasoning_requests", "total_reasoning_tokens", "ttfrts", "ttfats", "reasoning_tokens"};
    return keys;
}

const QRegularExpression &statKeyPattern()
{
    static const QRegularExpression re(
        QStringLiteral("^(?:mean|median|std|p([0-9]+(?:\\.[0-9]+)?))_(ttft|tpot|itl|e2el|queue|ttfrt|ttfat)_ms$"));
    return re;
}

void readSetup(const ojson &j, ResultFile &f)
{
    ResultSetup &s = f.setup;
    s.date = stringOf(j, "date");
    s.dateTime = QDateTime::fromString(s.date, QStringLiteral("yyyyMMdd-HHmmss"));
    s.endpointType = stringOf(j, "endpoint_type");
    s.backend = stringOf(j, "backend");
    if (s.backend.isEmpty())
        s.backend = s.endpointType;
    s.label = stringOf(j, "label");
    s.modelId = stringOf(j, "model_id");
    s.tokenizerId = stringOf(j, "tokenizer_id");
    s.tokenizerSource = stringOf(j, "tokenizer_source");
    s.tokenizerEndpoint = stringOf(j, "tokenizer_endpoint");
    s.numPrompts = int(numberOr(j, "num_prompts"));
    s.requestRate = number(j, "request_rate");   // the string "inf" gives nullopt
    if (s.requestRate && std::isinf(*s.requestRate))
        s.requestRate.reset();
    s.burstiness = numberOr(j, "burstiness", 1.0);
    if (const auto mc = number(j, "max_concurrency"))
        s.maxConcurrency = int(*mc);
    s.datasetName = stringOf(j, "dataset_name");
    if (const auto scale = number(j, "trace_time_scale"); scale && *scale > 0)
        s.traceTimeScale = *scale;

    for (const auto &[key, value] : j.items()) {
        if (knownKeys().count(key) || statKeyPattern().match(QString::fromStdString(key)).hasMatch())
            continue;
        if (value.is_string())
            s.metadata.append({QString::fromStdString(key), qstr(value)});
        else if (value.is_primitive() && !value.is_null())
            s.metadata.append({QString::fromStdString(key), QString::fromStdString(value.dump())});
    }
}

void readStatistics(const ojson &j, ResultFile &f)
{
    std::set<double> percentiles;
    for (const char *metric : AllStatMetrics) {
        const std::string suffix = std::string("_") + metric + "_ms";
        const auto mean = number(j, ("mean" + suffix).c_str());
        if (!mean)
            continue;
        const QString name = QString::fromLatin1(metric);
        // Reasoning statistics are written whenever a run had reasoning, never selected.
        if (qstrcmp(metric, "ttfrt") != 0 && qstrcmp(metric, "ttfat") != 0)
            f.percentileMetrics.append(name);
        auto *s = f.metrics.summary(name);
        s->mean = *mean;
        s->median = numberOr(j, ("median" + suffix).c_str());
        s->std = numberOr(j, ("std" + suffix).c_str());
    }
    for (const auto &[key, value] : j.items()) {
        const auto match = statKeyPattern().match(QString::fromStdString(key));
        if (!match.hasMatch() || match.captured(1).isEmpty() || !value.is_number())
            continue;
        const double p = match.captured(1).toDouble();
        auto *s = f.metrics.summary(match.captured(2));
        s->percentiles.emplace_back(p, value.get<double>());
        percentiles.insert(p);
    }
    for (const char *metric : AllStatMetrics) {
        auto *s = f.metrics.summary(QString::fromLatin1(metric));
        std::sort(s->percentiles.begin(), s->percentiles.end());
    }
    // Clamped: a count beyond the integer's range is a damaged file, not a crash.
    f.metrics.reasoningRequests = int(std::clamp(numberOr(j, "reasoning_requests"), 0.0, 1e9));
    f.metrics.totalReasoningTokens = qint64(std::clamp(numberOr(j, "total_reasoning_tokens"), 0.0, 1e18));
    f.percentiles.assign(percentiles.begin(), percentiles.end());
}

void readRecords(const ojson &j, ResultFile &f)
{
    const ojson *inputLens = arrayOf(j, "input_lens");
    const ojson *outputLens = arrayOf(j, "output_lens");
    const ojson *ttfts = arrayOf(j, "ttfts");
    const ojson *itls = arrayOf(j, "itls");
    // latencies and queue_times alone (a summary file of ours) are not enough for a record.
    if (!inputLens && !outputLens && !ttfts && !itls)
        return;
    const ojson *latencies = arrayOf(j, "latencies");
    const ojson *startTimes = arrayOf(j, "start_times");
    const ojson *queueTimes = arrayOf(j, "queue_times");
    const ojson *errors = arrayOf(j, "errors");
    const ojson *texts = arrayOf(j, "generated_texts");
    const ojson *statuses = arrayOf(j, "http_statuses");
    const ojson *inSources = arrayOf(j, "input_tokens_sources");
    const ojson *outSources = arrayOf(j, "output_tokens_sources");
    const ojson *chunkTextEnds = arrayOf(j, "chunk_text_ends");
    const ojson *chunkTokens = arrayOf(j, "chunk_tokens");
    const ojson *ttfrts = arrayOf(j, "ttfrts");
    const ojson *ttfats = arrayOf(j, "ttfats");
    const ojson *reasoningTokens = arrayOf(j, "reasoning_tokens");

    std::size_t n = 0;
    for (const ojson *a :
         {inputLens, outputLens, ttfts, itls, latencies, startTimes, queueTimes, errors, texts}) {
        if (a)
            n = std::max(n, a->size());
    }
    const auto fileOutputSource = tokenCountSourceFromName(f.outputTokensSource);
    const bool embeddings = producesEmbeddings(f.setup.backend);

    f.records.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        RequestRecord r;
        r.index = int(i);
        r.promptTokens = int(elementNumber(inputLens, i));
        r.promptTokenSource = tokenCountSourceFromName(elementString(inSources, i))
                                  .value_or(TokenCountSource::Dataset);
        r.outputTokens = int(elementNumber(outputLens, i));
        // vLLM counts with the server's usage or its tokenizer; we call both "server" here.
        r.outputTokenSource = tokenCountSourceFromName(elementString(outSources, i))
                                  .value_or(fileOutputSource.value_or(TokenCountSource::Server));
        r.ttft = elementNumber(ttfts, i);
        if (itls && i < itls->size() && (*itls)[i].is_array()) {
            for (const ojson &gap : (*itls)[i]) {
                if (gap.is_number())
                    r.itl.push_back(gap.get<double>());
            }
        }
        r.error = elementString(errors, i);
        r.generatedText = elementString(texts, i);
        readChunks(chunkTextEnds, chunkTokens, i, r);
        r.httpStatus = int(elementNumber(statuses, i));
        r.startTime = elementNumber(startTimes, i);
        r.queueTime = elementNumber(queueTimes, i);
        if (embeddings) {
            // A pooling run keeps no first-token times: the one body is the first content.
            r.latency = elementNumber(latencies, i);
            r.ttft = r.latency;
            r.outputTokenSource = TokenCountSource::Server;
            r.success = r.error.isEmpty() && r.latency > 0.0;
            f.records.push_back(std::move(r));
            continue;
        }
        r.ttfrt = elementNumber(ttfrts, i, -1.0);
        r.ttfat = elementNumber(ttfats, i, -1.0);
        r.reasoningTokens = int(std::clamp(elementNumber(reasoningTokens, i, -1.0), -1.0, 1e9));
        // vLLM's failed requests have an error text, no output and no first token.
        r.success = r.error.isEmpty() && (r.outputTokens > 0 || r.ttft > 0.0);
        const bool streamed = r.ttft > 0.0 || !r.itl.empty();
        r.contentChunks = streamed ? int(r.itl.size()) + 1 : 0;
        if (latencies && i < latencies->size()) {
            r.latency = elementNumber(latencies, i);
        } else if (streamed) {
            // Older vLLM files keep no latencies; the last chunk arrived after ttft + all gaps.
            r.latency = r.ttft;
            for (double gap : r.itl)
                r.latency += gap;
        }
        f.records.push_back(std::move(r));
    }
    f.hasRequestRecords = true;
    f.hasStartTimes = startTimes != nullptr;

    // What only the records can tell.
    f.metrics.ttftMs.count = f.metrics.e2elMs.count = f.metrics.queueMs.count = 0;
    f.metrics.tpotMs.count = f.metrics.itlMs.count = 0;
    f.metrics.ttfrtMs.count = f.metrics.ttfatMs.count = 0;
    for (const RequestRecord &r : f.records) {
        if (!r.success)
            continue;
        ++f.metrics.ttftMs.count;
        ++f.metrics.e2elMs.count;
        ++f.metrics.queueMs.count;
        f.metrics.tpotMs.count += r.outputTokens > 1 ? 1 : 0;
        f.metrics.itlMs.count += int(r.itl.size());
        f.metrics.ttfrtMs.count += r.ttfrt >= 0.0 ? 1 : 0;
        f.metrics.ttfatMs.count += r.ttfrt >= 0.0 && r.ttfat >= 0.0 ? 1 : 0;
        if (r.outputTokenSource == TokenCountSource::Chunks)
            f.metrics.outputTokensEstimated = true;
    }
}

std::optional<std::vector<ojson>> parseObjects(const QByteArray &bytes, const QString &path, QString *error)
{
    try {
        return std::vector<ojson> {ojson::parse(bytes.begin(), bytes.end())};
    } catch (const nlohmann::json::parse_error &e) {
        // --append-result files hold one object per line.
        std::vector<ojson> objects;
        bool allParsed = true;
        for (const QByteArray &line : bytes.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            try {
                objects.push_back(ojson::parse(line.begin(), line.end()));
            } catch (const nlohmann::json::exception &) {
                allParsed = false;
                break;
            }
        }
        if (allParsed && objects.size() > 1)
            return objects;
        setError(error,
                 QCoreApplication::translate("ts::ResultFile", "%1 is not valid JSON (error at byte %2).")
                     .arg(fileName(path))
                     .arg(e.byte));
        return std::nullopt;
    } catch (const nlohmann::json::exception &e) {
        // Valid syntax the parser cannot hold, e.g. a number beyond a double's range.
        setError(error, QCoreApplication::translate("ts::ResultFile", "%1 cannot be read: %2")
                            .arg(fileName(path), QString::fromUtf8(e.what())));
        return std::nullopt;
    }
}

bool writeBytes(const QString &path, const QByteArray &bytes, QString *error)
{
    // Like vLLM's `bench serve`, a --result-dir that does not exist yet is created.
    QDir().mkpath(QFileInfo(path).absolutePath());
    return saveFile(path, bytes, error);
}

template<typename Json>
QByteArray dump(const Json &json)
{
    return QByteArray::fromStdString(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace

std::optional<ResultFile> resultFromJson(const ojson &j, const QString &path, QString *error)
{
    if (!j.is_object() || !number(j, "duration") || !number(j, "completed")) {
        setError(error, QCoreApplication::translate("ts::ResultFile", "%1 is not a benchmark result file.")
                            .arg(fileName(path)));
        return std::nullopt;
    }
    ResultFile f;
    f.path = path;
    f.json = j;
    readSetup(j, f);

    BenchmarkMetrics &m = f.metrics;
    m.duration = numberOr(j, "duration");
    m.completed = int(numberOr(j, "completed"));
    f.hasFailed = number(j, "failed").has_value();
    m.failed = int(numberOr(j, "failed"));
    m.totalInputTokens = qint64(numberOr(j, "total_input_tokens"));
    m.totalOutputTokens = qint64(numberOr(j, "total_output_tokens"));
    m.requestThroughput = numberOr(j, "request_throughput");
    m.requestGoodput = number(j, "request_goodput");
    m.outputThroughput = numberOr(j, "output_throughput");
    m.totalTokenThroughput = numberOr(j, "total_token_throughput");
    f.hasMaxOutputTokensPerS = number(j, "max_output_tokens_per_s").has_value();
    m.maxOutputTokensPerS = numberOr(j, "max_output_tokens_per_s");
    f.hasMaxConcurrentRequests = number(j, "max_concurrent_requests").has_value();
    m.maxConcurrentRequests = int(numberOr(j, "max_concurrent_requests"));
    readStatistics(j, f);
    for (const char *metric : StatMetrics) {
        auto *s = m.summary(QString::fromLatin1(metric));
        s->count = m.completed;   // refined from the records below when the file has them
    }

    f.tokenstormVersion = stringOf(j, "tokenstorm_version");
    f.requested = int(numberOr(j, "requested"));
    f.clientCpuSeconds = numberOr(j, "client_cpu_seconds");
    if (const auto it = j.find("stopped"); it != j.end() && it->is_boolean())
        f.stopped = it->get<bool>();
    f.outputTokensSource = stringOf(j, "output_tokens_source");
    if (const auto it = j.find("output_tokens_estimated"); it != j.end() && it->is_boolean())
        m.outputTokensEstimated = it->get<bool>();
    else
        m.outputTokensEstimated = f.outputTokensSource == u"chunks";

    f.metricsConfig.percentileMetrics = f.percentileMetrics;
    f.metricsConfig.percentiles = f.percentiles;
    if (const auto it = j.find("goodput"); it != j.end() && it->is_object()) {
        if (const auto v = number(*it, "ttft"))
            f.metricsConfig.goodputTtftMs = v;
        if (const auto v = number(*it, "tpot"))
            f.metricsConfig.goodputTpotMs = v;
        if (const auto v = number(*it, "e2el"))
            f.metricsConfig.goodputE2elMs = v;
    }

    readRecords(j, f);
    return f;
}

std::optional<std::vector<ResultFile>> readResultFiles(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, QCoreApplication::translate("ts::ResultFile", "Could not open %1: %2.")
                            .arg(fileName(path), file.errorString()));
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    const auto objects = parseObjects(bytes, path, error);
    if (!objects)
        return std::nullopt;
    std::vector<ResultFile> results;
    for (const ojson &j : *objects) {
        auto r = resultFromJson(j, path, error);
        if (!r)
            return std::nullopt;
        results.push_back(std::move(*r));
    }
    return results;
}

std::optional<ResultFile> readResultFile(const QString &path, QString *error)
{
    auto all = readResultFiles(path, error);
    if (!all)
        return std::nullopt;
    return std::move(all->back());
}

RunResult ResultFile::toRunResult() const
{
    RunResult run;
    BenchmarkConfig &c = run.config;
    c.target.backend = setup.backend;
    c.target.model = setup.modelId;
    c.tokenizerId = setup.tokenizerId;
    c.tokenizerSource = setup.tokenizerSource;
    c.tokenizerEndpoint = setup.tokenizerEndpoint;
    c.label = setup.label;
    c.metadata = setup.metadata;
    c.load.numPrompts = setup.numPrompts;
    c.load.requestRate = setup.requestRate.value_or(std::numeric_limits<double>::infinity());
    c.load.burstiness = setup.burstiness;
    c.load.maxConcurrency = setup.maxConcurrency.value_or(0);
    c.metrics = metricsConfig;
    run.date = setup.dateTime;
    run.records = records;
    run.duration = metrics.duration;
    run.requested = requested > 0 ? requested : setup.numPrompts;
    run.stopped = stopped;
    run.clientCpuSeconds = clientCpuSeconds;
    return run;
}

bool writeJsonFile(const QString &path, const nlohmann::ordered_json &json, QString *error)
{
    return writeBytes(path, dump(json), error);
}

bool writeJsonFile(const QString &path, const nlohmann::json &json, QString *error)
{
    return writeBytes(path, dump(json), error);
}

bool appendResult(const QString &path, const nlohmann::ordered_json &json, QString *error)
{
    QByteArray bytes;
    QFile existing(path);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly)) {
            setError(error, QCoreApplication::translate("ts::ResultFile", "Could not open %1: %2.")
                                .arg(fileName(path), existing.errorString()));
            return false;
        }
        bytes = existing.readAll();
        existing.close();
    }
    // Like vLLM: a newline separates the new object from what the file already holds.
    if (!bytes.isEmpty())
        bytes += '\n';
    bytes += dump(json);
    return writeBytes(path, bytes, error);
}

QString defaultResultFileName(const RunResult &run)
{
    const BenchmarkConfig &c = run.config;
    const QString label = c.label.isEmpty() ? c.target.backend : c.label;
    // A ramp-up names its strategy and both rates, as vLLM does.
    const QString rate = c.load.hasRampUp()
        ? QStringLiteral("ramp-up-%1-%2qps-%3").arg(rampUpStrategyName(c.load.rampUpStrategy)).arg(c.load.rampUpStartRps.value_or(0)).arg(c.load.rampUpEndRps.value_or(0))
        : c.load.hasFiniteRate() ? pythonFloatRepr(c.load.requestRate) : QStringLiteral("inf");
    const QString concurrency = c.load.maxConcurrency > 0
        ? QStringLiteral("-concurrency%1").arg(c.load.maxConcurrency)
        : QString();
    const QString model = c.target.model.section(u'/', -1);
    const QDateTime date = run.date.isValid() ? run.date : QDateTime::currentDateTime();
    return label + u'-' + rate + QStringLiteral("qps") + concurrency + u'-' + model + u'-'
        + date.toString(QStringLiteral("yyyyMMdd-HHmmss")) + QStringLiteral(".json");
}

} // namespace ts
