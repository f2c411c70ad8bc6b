#include "compare/comparison.h"

#include "core/savefile.h"
#include "metrics/statistics.h"
#include "results/csv.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <cmath>
#include <functional>
#include <set>

namespace ts {

namespace {

QString numberText(double v)
{
    if (v == std::floor(v) && std::abs(v) < 1e15)
        return QString::number(qint64(v));
    return QString::number(v, 'f', 2);
}

void finishRow(ComparisonRow &row)
{
    const std::size_t n = row.texts.size();
    row.diffPercent.assign(n, std::nullopt);
    for (std::size_t i = 1; i < n; ++i) {
        if (row.texts[qsizetype(i)] != row.texts.constFirst())
            row.differs = true;
        if (i < row.values.size() && row.values[i] && row.values[0] && *row.values[0] != 0.0)
            row.diffPercent[i] = 100.0 * (*row.values[i] - *row.values[0]) / std::abs(*row.values[0]);
    }
}

class Builder
{
public:
    explicit Builder(const std::vector<ResultFile> &files) : m_files(files) {}

    using Text = std::function<QString(const ResultFile &)>;
    using Value = std::function<std::optional<double>(const ResultFile &)>;

    void setup(const char *key, const QString &label, const Text &text)
    {
        ComparisonRow row { QString::fromLatin1(key), label, {}, {}, {}, Better::Neutral, false };
        bool any = false;
        for (const ResultFile &f : m_files) {
            const QString t = text(f);
            any = any || !t.isEmpty();
            row.texts << t;
        }
        if (!any)
            return;
        finishRow(row);
        setupRows.push_back(std::move(row));
    }

    void metric(const QString &key, const QString &label, Better better, const Value &value)
    {
        ComparisonRow row { key, label, {}, {}, {}, better, false };
        bool any = false;
        for (const ResultFile &f : m_files) {
            const std::optional<double> v = value(f);
            any = any || v.has_value();
            row.values.push_back(v);
            row.texts << (v ? numberText(*v) : QString());
        }
        if (!any)
            return;
        finishRow(row);
        metricRows.push_back(std::move(row));
    }

    std::vector<ComparisonRow> setupRows;
    std::vector<ComparisonRow> metricRows;

private:
    const std::vector<ResultFile> &m_files;
};

QString metricTitle(const QString &metric)
{
    if (metric == QLatin1String("ttft"))
        return QStringLiteral("TTFT");
    if (metric == QLatin1String("tpot"))
        return QStringLiteral("TPOT");
    if (metric == QLatin1String("itl"))
        return QStringLiteral("ITL");
    if (metric == QLatin1String("e2el"))
        return QStringLiteral("E2EL");
    return QCoreApplication::translate("ts::Comparison", "Queue time");
}

// Pads to a display width, counting wide (CJK) characters as two columns.
QString pad(const QString &text, int width)
{
    int w = 0;
    for (const QChar c : text)
        w += c.unicode() >= 0x1100 ? 2 : 1;
    return text + QString(std::max(0, width - w), u' ');
}

QString diffText(const std::optional<double> &d)
{
    if (!d)
        return QString();
    return (*d >= 0 ? QStringLiteral("+") : QString()) + QString::number(*d, 'f', 1) + u'%';
}

} // namespace

Comparison compareResults(std::vector<ResultFile> files)
{
    Comparison c;
    for (const ResultFile &f : files)
        c.names << (f.path.isEmpty() ? QString() : QFileInfo(f.path).fileName());
    Builder b(files);

    const auto s = [](QString ResultSetup::*field) {
        return [field](const ResultFile &f) { return f.setup.*field; };
    };
    b.setup("date", QCoreApplication::translate("ts::Comparison", "Date"), s(&ResultSetup::date));
    b.setup("backend", QCoreApplication::translate("ts::Comparison", "Backend"), s(&ResultSetup::backend));
    b.setup("endpoint_type", QCoreApplication::translate("ts::Comparison", "Endpoint type"), s(&ResultSetup::endpointType));
    b.setup("label", QCoreApplication::translate("ts::Comparison", "Label"), s(&ResultSetup::label));
    b.setup("model_id", QCoreApplication::translate("ts::Comparison", "Model"), s(&ResultSetup::modelId));
    b.setup("tokenizer_id", QCoreApplication::translate("ts::Comparison", "Tokenizer"), s(&ResultSetup::tokenizerId));
    b.setup("num_prompts", QCoreApplication::translate("ts::Comparison", "Number of prompts"), [](const ResultFile &f) { return QString::number(f.setup.numPrompts); });
    b.setup("request_rate", QCoreApplication::translate("ts::Comparison", "Request rate (req/s)"), [](const ResultFile &f) {
        return f.setup.requestRate ? pythonFloatRepr(*f.setup.requestRate) : QStringLiteral("inf");
    });
    b.setup("burstiness", QCoreApplication::translate("ts::Comparison", "Burstiness"), [](const ResultFile &f) { return pythonFloatRepr(f.setup.burstiness); });
    b.setup("max_concurrency", QCoreApplication::translate("ts::Comparison", "Maximum concurrency"), [](const ResultFile &f) {
        return f.setup.maxConcurrency ? QString::number(*f.setup.maxConcurrency) : QCoreApplication::translate("ts::Comparison", "none");
    });
    // Metadata keys, in the order first seen.
    QStringList metadataKeys;
    for (const ResultFile &f : files) {
        for (const auto &[key, value] : f.setup.metadata) {
            if (!metadataKeys.contains(key))
                metadataKeys << key;
        }
    }
    for (const QString &key : std::as_const(metadataKeys)) {
        const QByteArray latin = key.toUtf8();
        b.setup(latin.constData(), key, [key](const ResultFile &f) {
            for (const auto &[k, v] : f.setup.metadata) {
                if (k == key)
                    return v;
            }
            return QString();
        });
        b.setupRows.back().key = key;
    }

    using M = BenchmarkMetrics;
    const auto always = [](auto field) {
        return [field](const ResultFile &f) -> std::optional<double> { return double(f.metrics.*field); };
    };
    b.metric(QStringLiteral("completed"), QCoreApplication::translate("ts::Comparison", "Successful requests"), Better::Higher, always(&M::completed));
    b.metric(QStringLiteral("failed"), QCoreApplication::translate("ts::Comparison", "Failed requests"), Better::Lower, [](const ResultFile &f) {
        return f.hasFailed ? std::optional<double>(f.metrics.failed) : std::nullopt;
    });
    b.metric(QStringLiteral("duration"), QCoreApplication::translate("ts::Comparison", "Benchmark duration (s)"), Better::Neutral, always(&M::duration));
    b.metric(QStringLiteral("total_input_tokens"), QCoreApplication::translate("ts::Comparison", "Total input tokens"), Better::Neutral, always(&M::totalInputTokens));
    b.metric(QStringLiteral("total_output_tokens"), QCoreApplication::translate("ts::Comparison", "Total generated tokens"), Better::Neutral, always(&M::totalOutputTokens));
    b.metric(QStringLiteral("request_throughput"), QCoreApplication::translate("ts::Comparison", "Request throughput (req/s)"), Better::Higher, always(&M::requestThroughput));
    b.metric(QStringLiteral("request_goodput"), QCoreApplication::translate("ts::Comparison", "Request goodput (req/s)"), Better::Higher,
             [](const ResultFile &f) { return f.metrics.requestGoodput; });
    b.metric(QStringLiteral("output_throughput"), QCoreApplication::translate("ts::Comparison", "Output token throughput (tok/s)"), Better::Higher, always(&M::outputThroughput));
    b.metric(QStringLiteral("max_output_tokens_per_s"), QCoreApplication::translate("ts::Comparison", "Peak output token throughput (tok/s)"), Better::Higher,
             [](const ResultFile &f) {
                 return f.hasMaxOutputTokensPerS ? std::optional<double>(f.metrics.maxOutputTokensPerS) : std::nullopt;
             });
    b.metric(QStringLiteral("max_concurrent_requests"), QCoreApplication::translate("ts::Comparison", "Peak concurrent requests"), Better::Neutral,
             [](const ResultFile &f) {
                 return f.hasMaxConcurrentRequests ? std::optional<double>(f.metrics.maxConcurrentRequests) : std::nullopt;
             });
    b.metric(QStringLiteral("total_token_throughput"), QCoreApplication::translate("ts::Comparison", "Total token throughput (tok/s)"), Better::Higher,
             always(&M::totalTokenThroughput));

    // Percentiles any file has, ascending.
    std::set<double> percentiles;
    for (const ResultFile &f : files)
        percentiles.insert(f.percentiles.begin(), f.percentiles.end());
    for (const char *name : { "ttft", "tpot", "itl", "e2el", "queue" }) {
        const QString metric = QString::fromLatin1(name);
        const QString title = metricTitle(metric);
        const auto summaryOf = [metric](const ResultFile &f) -> const MetricSummary * {
            return f.percentileMetrics.contains(metric) ? f.metrics.summary(metric) : nullptr;
        };
        b.metric(QStringLiteral("mean_%1_ms").arg(metric), QCoreApplication::translate("ts::Comparison", "Mean %1 (ms)").arg(title), Better::Lower,
                 [summaryOf](const ResultFile &f) -> std::optional<double> {
                     const MetricSummary *s = summaryOf(f);
                     return s ? std::optional<double>(s->mean) : std::nullopt;
                 });
        b.metric(QStringLiteral("median_%1_ms").arg(metric), QCoreApplication::translate("ts::Comparison", "Median %1 (ms)").arg(title), Better::Lower,
                 [summaryOf](const ResultFile &f) -> std::optional<double> {
                     const MetricSummary *s = summaryOf(f);
                     return s ? std::optional<double>(s->median) : std::nullopt;
                 });
        b.metric(QStringLiteral("std_%1_ms").arg(metric), QCoreApplication::translate("ts::Comparison", "Std %1 (ms)").arg(title), Better::Lower,
                 [summaryOf](const ResultFile &f) -> std::optional<double> {
                     const MetricSummary *s = summaryOf(f);
                     return s ? std::optional<double>(s->std) : std::nullopt;
                 });
        for (double p : percentiles) {
            const QString pName = percentileName(p);
            b.metric(QStringLiteral("p%1_%2_ms").arg(pName, metric), QCoreApplication::translate("ts::Comparison", "P%1 %2 (ms)").arg(pName, title), Better::Lower,
                     [summaryOf, p](const ResultFile &f) -> std::optional<double> {
                         const MetricSummary *s = summaryOf(f);
                         return s ? s->valueAt(p) : std::nullopt;
                     });
        }
    }

    c.setupRows = std::move(b.setupRows);
    c.metricRows = std::move(b.metricRows);
    c.files = std::move(files);
    return c;
}

std::optional<Comparison> compareResultFiles(const QStringList &paths, QString *error)
{
    if (paths.size() < 2) {
        if (error)
            *error = QCoreApplication::translate("ts::Comparison", "A comparison needs at least two result files.");
        return std::nullopt;
    }
    std::vector<ResultFile> files;
    for (const QString &path : paths) {
        std::optional<ResultFile> file = readResultFile(path, error);
        if (!file)
            return std::nullopt;
        files.push_back(std::move(*file));
    }
    return compareResults(std::move(files));
}

QByteArray comparisonCsv(const Comparison &c)
{
    const auto row = [](const QStringList &fields) -> QString {
        QStringList quoted;
        for (const QString &f : fields)
            quoted << csvField(f);
        return quoted.join(u',') + QStringLiteral("\r\n");
    };
    QStringList header { QStringLiteral("section"), QStringLiteral("key"), QStringLiteral("label") };
    for (const QString &name : c.names)
        header << name;
    for (qsizetype i = 1; i < c.names.size(); ++i)
        header << QStringLiteral("%1 vs %2 (%)").arg(c.names[i], c.names.constFirst());
    QString out = row(header);
    const auto addRows = [&](const std::vector<ComparisonRow> &rows, const QString &section) {
        for (const ComparisonRow &r : rows) {
            QStringList fields { section, r.key, r.label };
            for (qsizetype i = 0; i < r.texts.size(); ++i) {
                const std::size_t at = std::size_t(i);
                fields << (at < r.values.size() && r.values[at] ? pythonFloatRepr(*r.values[at]) : r.texts[i]);
            }
            for (std::size_t i = 1; i < r.diffPercent.size(); ++i)
                fields << (r.diffPercent[i] ? pythonFloatRepr(*r.diffPercent[i]) : QString());
            out += row(fields);
        }
    };
    addRows(c.setupRows, QStringLiteral("setup"));
    addRows(c.metricRows, QStringLiteral("metric"));
    return out.toUtf8();
}

bool writeComparisonCsv(const QString &path, const Comparison &comparison, QString *error)
{
    return saveFile(path, comparisonCsv(comparison), error);
}

QString formatComparison(const Comparison &c)
{
    constexpr int LabelWidth = 40;
    constexpr int ValueWidth = 16;
    constexpr int DiffWidth = 10;
    QString out;
    for (qsizetype i = 0; i < c.names.size(); ++i)
        out += QStringLiteral("[%1] %2\n").arg(QString::number(i + 1), c.files[std::size_t(i)].path);
    const auto header = [&](const QString &title, bool withDiff) -> QString {
        QString line = pad(title, LabelWidth);
        for (qsizetype i = 0; i < c.names.size(); ++i) {
            line += pad(QStringLiteral("[%1]").arg(i + 1), ValueWidth);
            if (i > 0 && withDiff)
                line += pad(QCoreApplication::translate("ts::Comparison", "vs [1]"), DiffWidth);
        }
        return line.trimmed() + u'\n';
    };
    const auto body = [&](const std::vector<ComparisonRow> &rows, bool withDiff) -> QString {
        QString text;
        for (const ComparisonRow &r : rows) {
            QString line = pad(r.label, LabelWidth);
            for (qsizetype i = 0; i < r.texts.size(); ++i) {
                QString value = r.texts[i].isEmpty() ? QStringLiteral("-") : r.texts[i];
                line += pad(value, ValueWidth - 1) + u' ';
                if (i > 0 && withDiff)
                    line += pad(diffText(r.diffPercent[std::size_t(i)]), DiffWidth);
            }
            text += line.trimmed() + u'\n';
        }
        return text;
    };
    out += u'\n' + header(QCoreApplication::translate("ts::Comparison", "Setup"), false) + body(c.setupRows, false);
    out += u'\n' + header(QCoreApplication::translate("ts::Comparison", "Metric"), true) + body(c.metricRows, true);
    return out;
}

} // namespace ts
