#pragma once

#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringView>

#include <optional>
#include <vector>

namespace ts {

// The metric types of the Prometheus text format (0.0.4) and of OpenMetrics, as far as a
// scrape needs to tell them apart.
enum class PrometheusType : quint8 { Untyped, Counter, Gauge, Histogram, Summary };

QString prometheusTypeName(PrometheusType type);        // "untyped", "counter", ...

// One line "name{labels} value [timestamp]".
struct PrometheusSample
{
    QString name;                               // as written: with _total, _bucket, _sum, ...
    QList<QPair<QString, QString>> labels;      // unescaped, in the order written
    double value = 0.0;                         // NaN and +/-Inf as such
    // As written: milliseconds in the Prometheus text format, seconds in OpenMetrics.
    std::optional<double> timestamp;

    // The value of a label; an empty string when it is absent (as PromQL treats it).
    QString label(QStringView key) const;
};

// The samples that share one "# TYPE" (or, without one, one sample name).
struct PrometheusFamily
{
    QString name;                               // the name of the TYPE/HELP lines
    PrometheusType type = PrometheusType::Untyped;
    QString help;                               // unescaped
    std::vector<PrometheusSample> samples;
};

// Something in the text that was not understood; that line is skipped.
struct PrometheusIssue
{
    int line = 0;                               // 1-based
    QString message;                            // translated
};

// A histogram's buckets summed over every series of a family (e.g. over engines or models).
struct PrometheusHistogram
{
    std::vector<QPair<double, double>> buckets; // (upper bound "le", cumulative count), ascending
    double sum = 0.0;
    double count = 0.0;
};

// A whole /metrics page.
struct PrometheusScrape
{
    std::vector<PrometheusFamily> families;     // in order of first appearance
    std::vector<PrometheusIssue> issues;

    const PrometheusFamily *family(QStringView name) const;
    // Every sample with exactly this name, in whichever family it was filed.
    std::vector<const PrometheusSample *> samples(QStringView sampleName) const;
    bool has(QStringView sampleName) const;
    // Over every series of a sample name, ignoring NaN values; nullopt when there is none.
    std::optional<double> sum(QStringView sampleName) const;
    std::optional<double> max(QStringView sampleName) const;
    // The family's _bucket/_sum/_count samples added up over its series; nullopt when the
    // family is missing or has no _count.
    std::optional<PrometheusHistogram> histogram(QStringView familyName) const;
    bool isEmpty() const { return families.empty(); }
};

// Parses the Prometheus text exposition format 0.0.4, and the parts of OpenMetrics 1.0 that
// servers send in it: "# HELP" (with \\ and \n escapes), "# TYPE", other comments, label
// values with \\, \" and \n escapes, a trailing comma in the label set, NaN / +Inf / -Inf,
// optional timestamps, exemplars (ignored), "# EOF", CRLF line ends and quoted metric names
// ({"name", ...}). Samples named name_total / _created (counters), name_bucket / _sum / _count
// (histograms, summaries) are filed under the family of their TYPE line. Lines that do not
// parse are skipped and listed in issues; the parser never throws.
PrometheusScrape parsePrometheusText(QByteArrayView text);

// PromQL's histogram_quantile(): linear interpolation inside the bucket the rank falls in.
// nullopt for an empty histogram.
std::optional<double> histogramQuantile(const PrometheusHistogram &histogram, double q);

} // namespace ts
