#include "views/resultdocument.h"

#include "results/resultfile.h"
#include "results/resultjson.h"

namespace ts {

namespace {

void fillDistributions(ResultDocument &doc)
{
    std::vector<double> ttft, tpot, itl, e2el, ttfrt, ttfat;
    for (const RequestRecord &r : doc.run.records) {
        if (!r.success)
            continue;
        ttft.push_back(r.ttft * 1000.0);
        e2el.push_back(r.latency * 1000.0);
        if (r.outputTokens > 1)
            tpot.push_back(r.tpot() * 1000.0);
        for (double gap : r.itl)
            itl.push_back(gap * 1000.0);
        // The same requests as computeMetrics() takes for its TTFRT and TTFAT statistics.
        if (r.ttfrt >= 0.0) {
            ttfrt.push_back(r.ttfrt * 1000.0);
            if (r.ttfat >= 0.0)
                ttfat.push_back(r.ttfat * 1000.0);
        }
    }
    doc.ttftMs = makeDistribution(std::move(ttft));
    doc.tpotMs = makeDistribution(std::move(tpot));
    doc.itlMs = makeDistribution(std::move(itl));
    doc.e2elMs = makeDistribution(std::move(e2el));
    doc.ttfrtMs = makeDistribution(std::move(ttfrt));
    doc.ttfatMs = makeDistribution(std::move(ttfat));
}

// The load shape as the file states it (ramp_up_*, duration_limit_s, duration_end,
// trace_time_scale) and its dataset: a result read back shows how it was loaded, not only how hard.
void readLoadShape(const nlohmann::ordered_json &json, BenchmarkConfig &config)
{
    if (!json.is_object())
        return;
    LoadConfig &load = config.load;
    const auto dataset = json.find("dataset_name");
    if (dataset != json.end() && dataset->is_string())
        config.datasetName = QString::fromStdString(dataset->get<std::string>());
    const auto strategy = json.find("ramp_up_strategy");
    const auto start = json.find("ramp_up_start_rps");
    const auto end = json.find("ramp_up_end_rps");
    if (strategy != json.end() && strategy->is_string() && start != json.end() && start->is_number_integer()
        && end != json.end() && end->is_number_integer()) {
        if (auto s = rampUpStrategyFromName(QString::fromStdString(strategy->get<std::string>()))) {
            load.rampUpStrategy = *s;
            load.rampUpStartRps = start->get<int>();
            load.rampUpEndRps = end->get<int>();
        }
    }
    const auto limit = json.find("duration_limit_s");
    if (limit != json.end() && limit->is_number() && limit->get<double>() > 0) {
        load.durationS = limit->get<double>();
        const auto ending = json.find("duration_end");
        load.durationCancel = ending != json.end() && ending->is_string() && ending->get<std::string>() == "cancel";
    }
    const auto scale = json.find("trace_time_scale");
    if (scale != json.end() && scale->is_number() && scale->get<double>() > 0)
        load.traceTimeScale = scale->get<double>();
}

} // namespace

nlohmann::ordered_json ResultDocument::toJson() const
{
    if (fileJson)
        return *fileJson;
    return toResultJson(run, metrics, true);
}

ResultDocument documentFromRun(const RunResult &run)
{
    ResultDocument doc;
    doc.run = run;
    doc.metricsConfig = run.config.metrics;
    doc.metrics = computeMetrics(run.records, run.duration, run.config.metrics);
    doc.hasRecords = !run.records.empty();
    fillDistributions(doc);
    return doc;
}

std::optional<ResultDocument> documentFromFile(const QString &path, QString *error)
{
    std::optional<ResultFile> file = readResultFile(path, error);
    if (!file)
        return std::nullopt;
    ResultDocument doc;
    doc.run = file->toRunResult();
    doc.metrics = file->metrics;
    doc.metricsConfig = file->metricsConfig;
    doc.metricsConfig.percentileMetrics = file->percentileMetrics;
    doc.metricsConfig.percentiles = file->percentiles;
    doc.filePath = path;
    doc.fileJson = std::move(file->json);
    if (doc.fileJson)
        readLoadShape(*doc.fileJson, doc.run.config);
    doc.hasRecords = file->hasRequestRecords && !doc.run.records.empty();
    fillDistributions(doc);
    return doc;
}

} // namespace ts
