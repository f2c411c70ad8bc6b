#include "results/summary.h"

#include "backends/backendregistry.h"

#include <QCoreApplication>

#include <algorithm>
#include <charconv>

namespace ts {

namespace {

struct Section
{
    const char *metric;     // key in percentileMetrics
    const char *name;       // as in "Mean TTFT (ms):"
    const char *title;
};

// vLLM's sections, in its order; the client queue time is ours.
constexpr Section Sections[] = {
    {"ttft", "TTFT", "Time to First Token"},
    {"tpot", "TPOT", "Time per Output Token (excl. 1st token)"},
    {"itl", "ITL", "Inter-token Latency"},
    {"e2el", "E2EL", "End-to-end Latency"},
    {"queue", "Queue", "Client Queue Time"},
};

// Python's "{:.2f}": the exact binary value rounded half to even (0.125 -> "0.12"), where
// QString::number rounds ties up. to_chars is also free of the C locale's decimal comma.
QString fixed2(double v)
{
    char buf[400];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
    return QString::fromLatin1(buf, res.ptr - buf);
}

template<typename RowLine>
void formatGenerationRows(const RowLine &rowLine, const BenchmarkMetrics &m)
{
    rowLine("Total generated tokens:", QString::number(m.totalOutputTokens));
    rowLine("Request throughput (req/s):", fixed2(m.requestThroughput));
    if (m.requestGoodput)
        rowLine("Request goodput (req/s):", fixed2(*m.requestGoodput));
    rowLine("Output token throughput (tok/s):", fixed2(m.outputThroughput));
    rowLine("Peak output token throughput (tok/s):", fixed2(m.maxOutputTokensPerS));
    rowLine("Peak concurrent requests:", fixed2(m.maxConcurrentRequests));
    rowLine("Total token throughput (tok/s):", fixed2(m.totalTokenThroughput));
}

} // namespace

bool reportsMetric(const QString &metric, const MetricsConfig &cfg, bool embeddings)
{
    if (!embeddings)
        return cfg.percentileMetrics.contains(metric);
    // vLLM reports E2EL alone for pooling runs (its default --percentile-metrics there); the
    // client queue time stays ours to ask for. The streaming metrics mean nothing without a stream.
    if (metric == u"e2el")
        return true;
    return metric == u"queue" && cfg.percentileMetrics.contains(metric);
}

QString summaryRow(const QString &label, const QString &value)
{
    return label.leftJustified(40) + u' ' + value.leftJustified(10);
}

QString summaryTitle(const QString &title, QChar fill)
{
    // Python's centring puts the odd fill character on the right.
    const qsizetype pad = std::max<qsizetype>(0, 50 - title.size());
    return QString(pad / 2, fill) + title + QString(pad - pad / 2, fill);
}

QString formatSummary(const RunResult &run, const BenchmarkMetrics &m, const MetricsConfig &cfg)
{
    const LoadConfig &load = run.config.load;
    QString out;
    const auto line = [&out](const QString &text) { out += text + u'\n'; };
    const auto rowLine = [&](const char *label, const QString &value) {
        line(summaryRow(QString::fromLatin1(label), value));
    };

    line(summaryTitle(QStringLiteral(" Serving Benchmark Result "), u'='));
    rowLine("Successful requests:", QString::number(m.completed));
    rowLine("Failed requests:", QString::number(m.failed));
    if (load.maxConcurrency > 0)
        rowLine("Maximum request concurrency:", QString::number(load.maxConcurrency));
    if (load.hasFiniteRate())
        rowLine("Request rate configured (RPS):", fixed2(load.requestRate));
    rowLine("Benchmark duration (s):", fixed2(m.duration));
    rowLine("Total input tokens:", QString::number(m.totalInputTokens));
    // vLLM's pooling layout: no generated tokens, and of the latencies only E2EL.
    const bool embeddings = producesEmbeddings(run.config.target.backend);
    if (embeddings) {
        rowLine("Request throughput (req/s):", fixed2(m.requestThroughput));
        // One input per request, so the inputs per second are the requests per second.
        rowLine("Input throughput (inputs/s):", fixed2(m.requestThroughput));
        rowLine("Total token throughput (tok/s):", fixed2(m.totalTokenThroughput));
    } else {
        formatGenerationRows(rowLine, m);
    }
    if (!embeddings && m.outputTokensEstimated) {
        line(QCoreApplication::translate("ts::Summary",
                                         "Output tokens are estimates (server sent no usage)"));
    }
    if (run.stopped) {
        line(QCoreApplication::translate("ts::Summary", "The run was stopped before all requests finished"));
    }

    for (const Section &s : Sections) {
        const QString metric = QString::fromLatin1(s.metric);
        if (!reportsMetric(metric, cfg, embeddings))
            continue;
        const MetricSummary *summary = m.summary(metric);
        const QString name = QString::fromLatin1(s.name);
        line(summaryTitle(QString::fromLatin1(s.title), u'-'));
        const QString unit = QStringLiteral(" (ms):");
        line(summaryRow(QStringLiteral("Mean ") + name + unit, fixed2(summary->mean)));
        line(summaryRow(QStringLiteral("Median ") + name + unit, fixed2(summary->median)));
        for (const auto &[p, value] : summary->percentiles)
            line(summaryRow(u'P' + percentileName(p) + u' ' + name + unit, fixed2(value)));
    }
    if (m.hasReasoning()) {
        // Labels in English like the rest of vLLM's table, which scripts read.
        line(summaryTitle(QStringLiteral("Reasoning"), u'-'));
        rowLine("Requests with reasoning:", QString::number(m.reasoningRequests));
        rowLine("Total reasoning tokens:", QString::number(m.totalReasoningTokens));
        rowLine("Mean reasoning tokens:", fixed2(m.meanReasoningTokens()));
        const auto times = [&](const char *name, const MetricSummary &summary) {
            const QString label = QString::fromLatin1(name) + QStringLiteral(" (ms):");
            line(summaryRow(QStringLiteral("Mean ") + label, fixed2(summary.mean)));
            line(summaryRow(QStringLiteral("Median ") + label, fixed2(summary.median)));
            for (const auto &[p, value] : summary.percentiles)
                line(summaryRow(u'P' + percentileName(p) + u' ' + label, fixed2(value)));
        };
        if (m.ttfrtMs.count > 0) {
            times("TTFRT", m.ttfrtMs);
            times("TTFAT", m.ttfatMs);
        }
    }
    line(QString(50, u'='));
    return out;
}

} // namespace ts
