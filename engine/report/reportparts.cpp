#include "report/reportparts.h"

#include "metrics/statistics.h"
#include "views/metricselection.h"

#include <QCoreApplication>
#include <QFile>
#include <QLocale>
#include <QSysInfo>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace ts::report {

namespace {

QString notRecorded()
{
    return QCoreApplication::translate("ts::Report", "not recorded");
}

QString optionalNumber(const std::optional<double> &v, int decimals = 2)
{
    return v ? number(*v, decimals) : QCoreApplication::translate("ts::Report", "server default");
}

QString cpuModel()
{
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (cpuinfo.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = cpuinfo.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("model name")) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    return QString::fromUtf8(line.mid(colon + 1).trimmed());
            }
        }
    }
    return QSysInfo::currentCpuArchitecture();
}

// min, mean, p50, p90, p99, max of values, or "—" cells when there are none.
QStringList statisticsCells(std::vector<double> values, int decimals)
{
    if (values.empty())
        return QStringList(6, QStringLiteral("—"));
    std::sort(values.begin(), values.end());
    const double mean = pairwiseSum(values.data(), values.size()) / double(values.size());
    return { number(values.front(), decimals), number(mean, decimals), number(percentile(values, 50), decimals),
             number(percentile(values, 90), decimals), number(percentile(values, 99), decimals),
             number(values.back(), decimals) };
}

} // namespace

QString number(double value, int decimals)
{
    if (!std::isfinite(value))
        return value > 0 ? QStringLiteral("∞") : QStringLiteral("—");
    return QString::number(value, 'f', decimals);
}

QString dateText(const QDateTime &date)
{
    return date.isValid() ? date.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : notRecorded();
}

ReportSection targetSection(const BenchmarkConfig &config, bool fromFile)
{
    ReportSection s;
    s.title = QCoreApplication::translate("ts::Report", "Target");
    ReportTable t;
    const QString notInFile = QCoreApplication::translate("ts::Report", "not in the result file");
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Base URL"),
                            fromFile ? notInFile : config.target.baseUrl.toString(QUrl::RemoveUserInfo) };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Endpoint"),
                            fromFile ? notInFile : config.target.endpoint };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Backend"), config.target.backend };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Model"),
                            config.target.model.isEmpty() ? notRecorded() : config.target.model };
    if (!config.tokenizerId.isEmpty())
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Tokenizer"), config.tokenizerId };
    if (!config.label.isEmpty())
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Label"), config.label };
    s.addTable(std::move(t));
    return s;
}

ReportSection workloadSection(const BenchmarkConfig &config, bool fromFile)
{
    ReportSection s;
    s.title = QCoreApplication::translate("ts::Report", "Workload and load");
    ReportTable t;
    const LoadConfig &load = config.load;
    if (!fromFile) {
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Dataset"), config.datasetName };
        if (config.datasetName == QLatin1String("random")) {
            t.rows << QStringList { QCoreApplication::translate("ts::Report", "Input / output length (tokens)"),
                                    QStringLiteral("%1 / %2").arg(config.random.inputLen).arg(config.random.outputLen) };
            t.rows << QStringList { QCoreApplication::translate("ts::Report", "Length range ratio"),
                                    number(config.random.rangeRatio) };
        }
        if (config.multiTurn)
            t.rows << QStringList { QCoreApplication::translate("ts::Report", "Conversations"),
                                    QCoreApplication::translate("ts::Report", "multi-turn, each turn with its history") };
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Temperature"), optionalNumber(config.sampling.temperature) };
    }
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Requests"), QString::number(load.numPrompts) };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Request rate (req/s)"),
                            load.hasFiniteRate() ? number(load.requestRate) : QCoreApplication::translate("ts::Report", "all at once") };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Burstiness"), number(load.burstiness) };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Maximum concurrency"),
                            load.maxConcurrency > 0 ? QString::number(load.maxConcurrency)
                                                    : QCoreApplication::translate("ts::Report", "no limit") };
    if (!fromFile) {
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Warm-up requests"), QString::number(load.numWarmups) };
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Seed"), QString::number(load.seed) };
    }
    for (const auto &[key, value] : config.metadata)
        t.rows << QStringList { key, value };
    s.addTable(std::move(t));
    return s;
}

ReportTable requestStatisticsTable(const std::vector<RequestRecord> &records, const QString &backend)
{
    std::vector<double> ttft, tpot, itl, e2el, input, output, ttfrt, ttfat, reasoningTokens;
    for (const RequestRecord &r : records) {
        if (!r.success)
            continue;
        ttft.push_back(r.ttft * 1000.0);
        if (r.ttfrt >= 0.0) {
            ttfrt.push_back(r.ttfrt * 1000.0);
            if (r.ttfat >= 0.0)
                ttfat.push_back(r.ttfat * 1000.0);
        }
        if (r.reasoningTokens >= 0 && (r.ttfrt >= 0.0 || r.reasoningTokens > 0))
            reasoningTokens.push_back(r.reasoningTokens);
        if (r.outputTokens > 1)
            tpot.push_back(r.tpot() * 1000.0);
        for (double gap : r.itl)
            itl.push_back(gap * 1000.0);
        e2el.push_back(r.latency * 1000.0);
        input.push_back(r.promptTokens);
        output.push_back(r.outputTokens);
    }
    ReportTable t;
    t.numeric = true;
    t.header = QStringList { QCoreApplication::translate("ts::Report", "Metric"), QCoreApplication::translate("ts::Report", "Count"),
                             QCoreApplication::translate("ts::Report", "Min"), QCoreApplication::translate("ts::Report", "Mean"),
                             QStringLiteral("P50"), QStringLiteral("P90"), QStringLiteral("P99"),
                             QCoreApplication::translate("ts::Report", "Max") };
    const auto row = [&t, &backend](MetricId metric, const QString &name, const std::vector<double> &values, int decimals) {
        if (runHasMetric(backend, metric))
            t.rows << (QStringList { name, QString::number(values.size()) } + statisticsCells(values, decimals));
    };
    row(MetricId::Ttft, QCoreApplication::translate("ts::Report", "TTFT (ms)"), ttft, 2);
    row(MetricId::Tpot, QCoreApplication::translate("ts::Report", "TPOT (ms)"), tpot, 2);
    row(MetricId::Itl, QCoreApplication::translate("ts::Report", "ITL (ms)"), itl, 2);
    row(MetricId::E2el, QCoreApplication::translate("ts::Report", "E2EL (ms)"), e2el, 2);
    row(MetricId::InputTokens, QCoreApplication::translate("ts::Report", "Input tokens"), input, 0);
    row(MetricId::OutputTokens, QCoreApplication::translate("ts::Report", "Output tokens"), output, 0);
    // Reasoning models only: a run without reasoning keeps the table it always had.
    if (!ttfrt.empty()) {
        row(MetricId::Ttfrt, QCoreApplication::translate("ts::Report", "TTFRT (ms)"), ttfrt, 2);
        row(MetricId::Ttfat, QCoreApplication::translate("ts::Report", "TTFAT (ms)"), ttfat, 2);
    }
    if (!reasoningTokens.empty())
        row(MetricId::ReasoningTokens, QCoreApplication::translate("ts::Report", "Reasoning tokens"), reasoningTokens, 0);
    return t;
}

ReportSection clientOverheadSection(const RunResult &run, const BenchmarkMetrics &metrics, bool fromFile)
{
    ReportSection s;
    s.title = QCoreApplication::translate("ts::Report", "The client's own overhead");
    if (fromFile && run.clientCpuSeconds <= 0.0) {
        s.addParagraph(QCoreApplication::translate("ts::Report", "The result file does not record the client's CPU time."));
        return s;
    }
    ReportTable t;
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Client CPU time (s)"), number(run.clientCpuSeconds) };
    if (metrics.totalOutputTokens > 0)
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "CPU time per output token (µs)"),
                                number(run.clientCpuSeconds * 1e6 / double(metrics.totalOutputTokens), 1) };
    if (run.clientThreads > 0)
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Transport threads"), QString::number(run.clientThreads) };
    if (run.transportCpuSeconds >= 0.0)
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Transport threads' CPU time (s)"),
                                number(run.transportCpuSeconds) };
    const double load = clientThreadLoad(run);
    if (load > 0.0)
        t.rows << QStringList { QCoreApplication::translate("ts::Report", "Transport threads busy"),
                                QStringLiteral("%1 %").arg(qRound(100.0 * load)) };
    s.addTable(std::move(t));
    if (load > kClientBusyLoad)
        s.addWarning(QCoreApplication::translate(
                         "ts::Report",
                         "The client kept its transport threads (%1) busy %2 % of the measured part: its own delays are "
                         "then in the TTFT and ITL tails. Fewer streams, or more client threads on a machine with cores "
                         "to spare, keep it out of that.")
                         .arg(run.clientThreads)
                         .arg(qRound(100.0 * load)));
    return s;
}

ReportSection environmentSection()
{
    ReportSection s;
    s.title = QCoreApplication::translate("ts::Report", "Environment");
    s.addParagraph(QCoreApplication::translate("ts::Report", "The machine that wrote this report."));
    ReportTable t;
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Client"),
                            QStringLiteral("Tokenstorm ") + QStringLiteral(TOKENSTORM_VERSION) };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Operating system"), QSysInfo::prettyProductName() };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "CPU"), cpuModel() };
    t.rows << QStringList { QCoreApplication::translate("ts::Report", "Cores"), QString::number(QThread::idealThreadCount()) };
    s.addTable(std::move(t));
    return s;
}

} // namespace ts::report
