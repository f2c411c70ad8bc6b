#include "sweep/sweepfiles.h"

#include "metrics/statistics.h"
#include "results/csv.h"
#include "results/resultfile.h"
#include "results/resultjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

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

bool writeBytes(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QCoreApplication::translate("ts::Sweep", "Could not write %1: %2.")
                         .arg(QFileInfo(path).fileName(), file.errorString());
        return false;
    }
    return true;
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
    if (writeBytes(csvPath, sweepCsv(result), &problem))
        result.csvFile = csvPath;
    else {
        ok = false;
        result.fileErrors << problem;
        if (error)
            *error = problem;
    }
    return ok;
}

} // namespace ts
