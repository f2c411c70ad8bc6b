#include "sweep/sweepfiles.h"

#include "core/savefile.h"
#include "metrics/statistics.h"
#include "results/csv.h"
#include "results/resultfile.h"
#include "results/resultjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

using ojson = nlohmann::ordered_json;

std::string str(const QString &s) { return s.toStdString(); }

ojson levelValue(SweepMode mode, double level)
{
    if (mode == SweepMode::Concurrency)
        return ojson(std::llround(level));
    return ojson(level);
}

ojson optionalNumber(const std::optional<double> &v)
{
    return v ? ojson(*v) : ojson(nullptr);
}

ojson optionalLevel(SweepMode mode, const std::optional<double> &v)
{
    return v ? levelValue(mode, *v) : ojson(nullptr);
}

QString levelKey(SweepMode mode)
{
    return mode == SweepMode::RequestRate ? QStringLiteral("request_rate") : QStringLiteral("concurrency");
}

ojson serverJson(const ServerLevelStats &s)
{
    ojson j = ojson::object();
    j["kind"] = str(serverKindName(s.kind));
    j["samples"] = s.samples;
    j["max_running"] = optionalNumber(s.maxRunning);
    j["mean_running"] = optionalNumber(s.meanRunning);
    j["median_waiting"] = optionalNumber(s.medianWaiting);
    j["max_waiting"] = optionalNumber(s.maxWaiting);
    j["max_kv_cache_usage"] = optionalNumber(s.maxKvCacheUsage);
    j["mean_prompt_tokens_per_s"] = optionalNumber(s.meanPromptTokensPerS);
    j["mean_generation_tokens_per_s"] = optionalNumber(s.meanGenerationTokensPerS);
    return j;
}

ojson levelJson(const SweepConfig &config, const SweepLevelResult &l)
{
    ojson j = ojson::object();
    j[str(levelKey(config.mode))] = levelValue(config.mode, l.level);
    const ojson run = toResultJson(l.run, l.metrics, false);
    for (auto it = run.begin(); it != run.end(); ++it) {
        if (!it.value().is_array())   // per-request arrays stay in the level's own file
            j[it.key()] = it.value();
    }
    if (!l.run.error.isEmpty())
        j["error"] = str(l.run.error);
    j["success_rate"] = l.successRatePercent;
    j["mean_in_flight"] = l.meanInFlight;
    j["mean_generating"] = l.meanGenerating;
    j["throughput_gain_percent"] = optionalNumber(l.throughputGainPercent);
    j["gain_per_doubling_percent"] = optionalNumber(l.gainPerDoublingPercent);
    ojson broken = ojson::array();
    for (const QString &rule : l.brokenRules)
        broken.push_back(str(rule));
    j["broken_rules"] = broken;
    j["partial"] = l.partial;
    j["result_file"] = l.resultFile.isEmpty() ? ojson(nullptr) : ojson(str(QFileInfo(l.resultFile).fileName()));
    if (l.server)
        j["server_metrics"] = serverJson(*l.server);
    return j;
}

QString num(double v) { return pythonFloatRepr(v); }
QString num(const std::optional<double> &v) { return v ? pythonFloatRepr(*v) : QString(); }

QString row(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString &f : fields)
        quoted.append(csvField(f));
    return quoted.join(u',') + QStringLiteral("\r\n");
}

} // namespace

QString sweepLevelFileName(const SweepConfig &config, const RunResult &run, double level)
{
    if (config.filePrefix.isEmpty())
        return defaultResultFileName(run);
    const QString tag = config.mode == SweepMode::RequestRate ? QStringLiteral("-r") : QStringLiteral("-c");
    return config.filePrefix + tag + sweepLevelText(level) + QStringLiteral(".json");
}

QString sweepSummaryBaseName(const SweepConfig &config, const QDateTime &date)
{
    if (!config.filePrefix.isEmpty())
        return config.filePrefix + QStringLiteral("-summary");
    const BenchmarkConfig &c = config.base;
    const QString label = c.label.isEmpty() ? c.target.backend : c.label;
    const QString model = c.target.model.section(u'/', -1);
    return QStringLiteral("sweep-") + sweepModeName(config.mode) + u'-' + label + u'-' + model + u'-'
        + date.toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

nlohmann::ordered_json sweepSummaryJson(const SweepResult &r)
{
    const SweepConfig &cfg = r.config;
    const BenchmarkConfig &base = cfg.base;
    const SweepVerdict &v = r.verdict;
    const SweepMode mode = cfg.mode;
    const std::string key = str(levelKey(mode));
    ojson j = ojson::object();

    j["tokenstorm_version"] = TOKENSTORM_VERSION;
    j["sweep_mode"] = str(sweepModeName(mode));
    j["date"] = str(r.date.toString(QStringLiteral("yyyyMMdd-HHmmss")));
    j["endpoint_type"] = str(base.target.backend);
    j["backend"] = str(base.target.backend);
    j["label"] = base.label.isEmpty() ? ojson(nullptr) : ojson(str(base.label));
    j["model_id"] = str(base.target.model);
    j["tokenizer_id"] = str(base.tokenizerId.isEmpty() ? base.target.model : base.tokenizerId);
    for (const auto &[k, value] : base.metadata)
        j[str(k.trimmed())] = str(value.trimmed());
    j["dataset_name"] = str(base.datasetName);
    j["random_input_len"] = base.random.inputLen;
    j["random_output_len"] = base.random.outputLen;
    j["random_range_ratio"] = base.random.rangeRatio;
    if (mode == SweepMode::Concurrency)
        j["request_rate"] = base.load.hasFiniteRate() ? ojson(base.load.requestRate) : ojson("inf");
    else
        j["max_concurrency"] = base.load.maxConcurrency > 0 ? ojson(base.load.maxConcurrency) : ojson(nullptr);
    j["burstiness"] = base.load.burstiness;

    ojson planned = ojson::array();
    for (double level : cfg.levels)
        planned.push_back(levelValue(mode, level));
    j["levels_planned"] = planned;
    ojson prompts = ojson::object();
    prompts["fixed"] = cfg.fixedPromptsPerLevel ? ojson(*cfg.fixedPromptsPerLevel) : ojson(nullptr);
    prompts["multiplier"] = cfg.promptsMultiplier();
    prompts["minimum"] = cfg.minPromptsPerLevel;
    j["prompts_per_level"] = prompts;
    ojson rules = ojson::object();
    rules["min_success_rate"] = cfg.rules.minSuccessRatePercent;
    ojson slo = ojson::object();
    if (cfg.rules.maxP99TtftMs)
        slo["ttft"] = *cfg.rules.maxP99TtftMs;
    if (cfg.rules.maxP99TpotMs)
        slo["tpot"] = *cfg.rules.maxP99TpotMs;
    if (cfg.rules.maxP99E2elMs)
        slo["e2el"] = *cfg.rules.maxP99E2elMs;
    rules["slo_p99_ms"] = slo;
    rules["min_throughput_gain_percent"] = cfg.rules.minThroughputGainPercent;
    rules["stop_at_limit"] = cfg.rules.stopAtLimit;
    j["stop_rules"] = rules;

    j["max_stable_" + key] = optionalLevel(mode, v.maxStableLevel);
    j["peak_output_throughput"] = optionalNumber(v.peakOutputThroughput);
    j["peak_at_" + key] = optionalLevel(mode, v.peakAtLevel);
    j["stop_reason"] = str(v.stopReason);
    std::optional<double> stopLevel;
    for (const SweepLevelResult &l : r.levels) {
        if (v.stopLevelIndex && l.index == *v.stopLevelIndex)
            stopLevel = l.level;
    }
    j["stopped_at_" + key] = optionalLevel(mode, stopLevel);
    j["knee_" + key] = optionalLevel(mode, v.kneeLevel);
    j["gain_per_doubling_before_knee_percent"] = optionalNumber(v.gainPerDoublingBeforeKneePercent);
    j["gain_per_doubling_after_knee_percent"] = optionalNumber(v.gainPerDoublingAfterKneePercent);
    if (v.saturationLevel) {
        ojson s = ojson::object();
        s[key] = levelValue(mode, *v.saturationLevel);
        s["source"] = v.saturationSource == SaturationSource::Server ? "server" : "client";
        j["saturation"] = s;
    } else {
        j["saturation"] = nullptr;
    }
    j["server_max_running"] = optionalNumber(v.serverMaxRunning);
    ojson limits = ojson::array();
    for (const SweepLimitHit &hit : v.limits) {
        ojson h = ojson::object();
        h["limit"] = str(hit.key);
        h[key] = levelValue(mode, hit.level);
        limits.push_back(h);
    }
    j["limits"] = limits;
    j["stopped"] = r.stopped;
    j["verdict"] = str(r.verdictText);

    ojson levels = ojson::array();
    for (const SweepLevelResult &l : r.levels)
        levels.push_back(levelJson(cfg, l));
    j["levels"] = levels;
    return j;
}

QByteArray sweepCsv(const SweepResult &r)
{
    static const char *const metrics[] = { "ttft", "tpot", "itl", "e2el" };
    QStringList header { levelKey(r.config.mode), QStringLiteral("num_prompts"), QStringLiteral("completed"),
                         QStringLiteral("failed"), QStringLiteral("success_rate"), QStringLiteral("duration"),
                         QStringLiteral("request_throughput"), QStringLiteral("output_throughput"),
                         QStringLiteral("total_token_throughput") };
    for (const char *m : metrics) {
        for (const char *stat : { "mean", "median", "p99" })
            header << QStringLiteral("%1_%2_ms").arg(QLatin1String(stat), QLatin1String(m));
    }
    header << QStringLiteral("max_concurrent_requests") << QStringLiteral("mean_in_flight")
           << QStringLiteral("mean_generating") << QStringLiteral("throughput_gain_percent")
           << QStringLiteral("gain_per_doubling_percent") << QStringLiteral("server_max_running")
           << QStringLiteral("server_median_waiting") << QStringLiteral("server_max_kv_cache_usage")
           << QStringLiteral("broken_rules") << QStringLiteral("partial") << QStringLiteral("result_file");
    QString out = row(header);
    for (const SweepLevelResult &l : r.levels) {
        const BenchmarkMetrics &m = l.metrics;
        QStringList f { sweepLevelText(l.level), QString::number(l.run.config.load.numPrompts),
                        QString::number(m.completed), QString::number(m.failed), num(l.successRatePercent),
                        num(m.duration), num(m.requestThroughput), num(m.outputThroughput),
                        num(m.totalTokenThroughput) };
        for (const char *name : metrics) {
            const MetricSummary *s = m.summary(QString::fromLatin1(name));
            f << num(s->mean) << num(s->median) << num(s->valueAt(99.0));
        }
        f << QString::number(m.maxConcurrentRequests) << num(l.meanInFlight) << num(l.meanGenerating)
          << num(l.throughputGainPercent) << num(l.gainPerDoublingPercent);
        if (l.server)
            f << num(l.server->maxRunning) << num(l.server->medianWaiting) << num(l.server->maxKvCacheUsage);
        else
            f << QString() << QString() << QString();
        f << l.brokenRules.join(u';') << (l.partial ? QStringLiteral("true") : QStringLiteral("false"))
          << QFileInfo(l.resultFile).fileName();
        out += row(f);
    }
    return out.toUtf8();
}

bool writeSweepSummary(SweepResult &result, const QString &dir, QString *error)
{
    const QString base = QDir(dir).filePath(sweepSummaryBaseName(result.config, result.date));
    const QString jsonPath = base + QStringLiteral(".json");
    const QString csvPath = base + QStringLiteral(".csv");
    QString problem;
    bool ok = true;
    if (writeJsonFile(jsonPath, sweepSummaryJson(result), &problem))
        result.summaryFile = jsonPath;
    else {
        ok = false;
        result.fileErrors << problem;
        if (error)
            *error = problem;
    }
    if (saveFile(csvPath, sweepCsv(result), &problem))
        result.csvFile = csvPath;
    else {
        ok = false;
        result.fileErrors << problem;
        if (error)
            *error = problem;
    }
    return ok;
}

namespace {

std::optional<double> readNumber(const ojson &obj, const char *key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

QString readString(const ojson &obj, const char *key)
{
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

bool readBool(const ojson &obj, const char *key)
{
    const auto it = obj.find(key);
    return it != obj.end() && it->is_boolean() && it->get<bool>();
}

ServerKind serverKindFromName(const QString &name)
{
    for (ServerKind kind : { ServerKind::Vllm, ServerKind::SGLang, ServerKind::Tgi, ServerKind::LlamaCpp, ServerKind::BuiltIn }) {
        if (serverKindName(kind) == name)
            return kind;
    }
    return ServerKind::Unknown;
}

ServerLevelStats readServer(const ojson &j)
{
    ServerLevelStats s;
    s.kind = serverKindFromName(readString(j, "kind"));
    s.samples = int(readNumber(j, "samples").value_or(0.0));
    s.maxRunning = readNumber(j, "max_running");
    s.meanRunning = readNumber(j, "mean_running");
    s.medianWaiting = readNumber(j, "median_waiting");
    s.maxWaiting = readNumber(j, "max_waiting");
    s.maxKvCacheUsage = readNumber(j, "max_kv_cache_usage");
    s.meanPromptTokensPerS = readNumber(j, "mean_prompt_tokens_per_s");
    s.meanGenerationTokensPerS = readNumber(j, "mean_generation_tokens_per_s");
    return s;
}

QString notASummary(const QString &path)
{
    return QCoreApplication::translate("ts::Sweep", "%1 is not a sweep summary.").arg(QFileInfo(path).fileName());
}

} // namespace

bool isSweepSummaryJson(const nlohmann::ordered_json &json)
{
    if (!json.is_object())
        return false;
    const auto mode = json.find("sweep_mode");
    const auto levels = json.find("levels");
    return mode != json.end() && mode->is_string() && levels != json.end() && levels->is_array();
}

std::optional<SweepResult> sweepResultFromJson(const nlohmann::ordered_json &j, const QString &path, QString *error)
{
    if (!isSweepSummaryJson(j)) {
        if (error)
            *error = notASummary(path);
        return std::nullopt;
    }
    SweepResult r;
    r.summaryFile = path;
    SweepConfig &c = r.config;
    c.mode = readString(j, "sweep_mode") == sweepModeName(SweepMode::RequestRate) ? SweepMode::RequestRate : SweepMode::Concurrency;
    const char *levelKey = c.mode == SweepMode::RequestRate ? "request_rate" : "concurrency";
    r.date = QDateTime::fromString(readString(j, "date"), QStringLiteral("yyyyMMdd-HHmmss"));

    BenchmarkConfig &base = c.base;
    base.target.backend = readString(j, "backend");
    base.label = readString(j, "label");
    base.target.model = readString(j, "model_id");
    base.tokenizerId = readString(j, "tokenizer_id");
    base.datasetName = readString(j, "dataset_name");
    base.random.inputLen = int(readNumber(j, "random_input_len").value_or(base.random.inputLen));
    base.random.outputLen = int(readNumber(j, "random_output_len").value_or(base.random.outputLen));
    base.random.rangeRatio = readNumber(j, "random_range_ratio").value_or(base.random.rangeRatio);
    base.load.burstiness = readNumber(j, "burstiness").value_or(1.0);
    if (c.mode == SweepMode::Concurrency) {
        if (const std::optional<double> rate = readNumber(j, "request_rate"))
            base.load.requestRate = *rate;
    } else {
        base.load.maxConcurrency = int(readNumber(j, "max_concurrency").value_or(0.0));
    }

    if (const auto it = j.find("levels_planned"); it != j.end() && it->is_array()) {
        for (const ojson &v : *it) {
            if (v.is_number())
                c.levels.push_back(v.get<double>());
        }
    }
    if (const auto it = j.find("prompts_per_level"); it != j.end() && it->is_object()) {
        if (const std::optional<double> fixed = readNumber(*it, "fixed"))
            c.fixedPromptsPerLevel = int(*fixed);
        c.promptsPerLevelMultiplier = readNumber(*it, "multiplier");
        c.minPromptsPerLevel = int(readNumber(*it, "minimum").value_or(c.minPromptsPerLevel));
    }
    if (const auto it = j.find("stop_rules"); it != j.end() && it->is_object()) {
        SweepStopRules &rules = c.rules;
        rules.minSuccessRatePercent = readNumber(*it, "min_success_rate").value_or(rules.minSuccessRatePercent);
        if (const auto slo = it->find("slo_p99_ms"); slo != it->end() && slo->is_object()) {
            rules.maxP99TtftMs = readNumber(*slo, "ttft");
            rules.maxP99TpotMs = readNumber(*slo, "tpot");
            rules.maxP99E2elMs = readNumber(*slo, "e2el");
        }
        rules.minThroughputGainPercent = readNumber(*it, "min_throughput_gain_percent").value_or(rules.minThroughputGainPercent);
        if (const auto stop = it->find("stop_at_limit"); stop != it->end() && stop->is_boolean())
            rules.stopAtLimit = stop->get<bool>();
    }
    r.stopped = readBool(j, "stopped");

    for (const ojson &l : j["levels"]) {
        const std::optional<double> level = l.is_object() ? readNumber(l, levelKey) : std::nullopt;
        QString problem;
        std::optional<ResultFile> run = level ? resultFromJson(l, path, &problem) : std::nullopt;
        if (!run) {
            if (error)
                *error = QCoreApplication::translate("ts::Sweep", "%1 has a level that cannot be read.").arg(QFileInfo(path).fileName());
            return std::nullopt;
        }
        SweepLevelResult out;
        // Levels are numbered by their place in the plan; a file without a plan numbers them in order.
        const auto planned = std::find(c.levels.begin(), c.levels.end(), *level);
        out.index = planned != c.levels.end() ? int(planned - c.levels.begin()) : int(r.levels.size());
        out.level = *level;
        out.run = run->toRunResult();
        out.run.error = readString(l, "error");
        out.metrics = run->metrics;
        out.successRatePercent = readNumber(l, "success_rate").value_or(out.metrics.successRatePercent());
        out.meanInFlight = readNumber(l, "mean_in_flight").value_or(0.0);
        out.meanGenerating = readNumber(l, "mean_generating").value_or(0.0);
        out.throughputGainPercent = readNumber(l, "throughput_gain_percent");
        out.gainPerDoublingPercent = readNumber(l, "gain_per_doubling_percent");
        if (const auto broken = l.find("broken_rules"); broken != l.end() && broken->is_array()) {
            for (const ojson &rule : *broken) {
                if (rule.is_string())
                    out.brokenRules << QString::fromStdString(rule.get<std::string>());
            }
        }
        out.partial = readBool(l, "partial");
        const QString file = readString(l, "result_file");
        if (!file.isEmpty())
            out.resultFile = QFileInfo(path).dir().filePath(file);
        if (const auto server = l.find("server_metrics"); server != l.end() && server->is_object())
            out.server = readServer(*server);
        r.levels.push_back(std::move(out));
    }
    if (c.levels.empty()) {
        for (const SweepLevelResult &l : r.levels)
            c.levels.push_back(l.level);
    }
    r.verdict = computeVerdict(c, r.levels, r.stopped);
    r.verdictText = sweepVerdictText(c, r.levels, r.verdict);
    return r;
}

std::optional<SweepResult> readSweepSummary(const QString &path, QString *error, bool *isSweep)
{
    if (isSweep)
        *isSweep = false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QCoreApplication::translate("ts::Sweep", "Could not open %1: %2.").arg(QFileInfo(path).fileName(), file.errorString());
        return std::nullopt;
    }
    // A summary names its mode among its first keys; a large result file is not parsed twice.
    if (!file.peek(4096).contains("\"sweep_mode\"")) {
        if (error)
            *error = notASummary(path);
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    const ojson json = ojson::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    if (!isSweepSummaryJson(json)) {
        if (error)
            *error = notASummary(path);
        return std::nullopt;
    }
    if (isSweep)
        *isSweep = true;
    return sweepResultFromJson(json, path, error);
}

} // namespace ts
