#pragma once

#include <QMetaType>
#include <QString>
#include <QStringView>

#include <optional>
#include <vector>

namespace ts {

// Every number the app names in its summary, ratings, charts and tables.
enum class MetricId {
    Ttft,
    Tpot,
    Itl,
    E2el,
    QueueTime,
    RequestThroughput,
    RequestGoodput,
    OutputTokenThroughput,
    PeakOutputTokenThroughput,
    TotalTokenThroughput,
    SuccessRate,
    FailedRequests,
    PeakConcurrentRequests,
    Duration,
    InputTokens,
    OutputTokens,
    MaxConcurrency,
    RequestRate,
    // Reasoning models: only shown when a run has reasoning.
    Ttfrt,
    Ttfat,
    ReasoningTokens,
};

// Every MetricId, in the glossary's order.
const std::vector<MetricId> &allMetricIds();

// One metric explained in the user's language, after the guide (性能评估标准 and its
// annotated token streams). Built on each call, so a language switch takes effect.
struct GlossaryEntry
{
    MetricId id = MetricId::Ttft;
    QString anchor;         // stable, untranslated: "ttft", "request-throughput", ...
    QString name;
    QString shortTip;       // one or two sentences, for tooltips
    QString measures;
    QString formula;        // vLLM's definition
    QString whyItMatters;
    QString thresholds;     // the guide's reference values, or that it has none
    QString whatMovesIt;
};

std::vector<GlossaryEntry> glossaryEntries();
GlossaryEntry glossaryEntry(MetricId id);
// The anchor alone, without translating the texts.
QString glossaryAnchor(MetricId id);

// The whole glossary as one HTML page: a short note on the statistics, then one section per
// entry, each starting with <a name="anchor">. For the glossary dialog and for reports.
QString glossaryHtml();

// Which value of a metric a summary line, a column or a result key shows.
enum class Statistic { None, Mean, Median, Std, Percentile };

struct MetricValue
{
    MetricId metric = MetricId::Ttft;
    Statistic statistic = Statistic::None;
    double percentile = 0.0;    // 0..100 for Statistic::Percentile, else 0

    friend bool operator==(const MetricValue &, const MetricValue &) = default;
};

// The metric of a line of the vLLM-style summary (formatSummary): "P99 TTFT (ms):      12.3"
// gives {Ttft, Percentile, 99}, "Request throughput (req/s):   4.2" gives
// {RequestThroughput, None}, a section title such as "----Time to First Token----" gives
// {Ttft, None}. Lines that name no metric (the banner, the notes) give nullopt.
std::optional<MetricValue> metricOfSummaryLine(QStringView line);

// The same for a key of vLLM's result JSON: "p99_ttft_ms", "request_throughput",
// "max_concurrency", ...
std::optional<MetricValue> metricOfResultKey(QStringView key);

} // namespace ts

Q_DECLARE_METATYPE(ts::MetricId)
Q_DECLARE_METATYPE(ts::Statistic)
