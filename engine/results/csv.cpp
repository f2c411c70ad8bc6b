#include "results/csv.h"

#include "core/savefile.h"
#include "results/resultjson.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStringList>

#include <algorithm>
#include <numeric>

namespace ts {

namespace {

const QString Eol = QStringLiteral("\r\n");

QString num(double v) { return pythonFloatRepr(v); }
QString ms(double seconds) { return pythonFloatRepr(seconds * 1000.0); }

QString row(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString &f : fields)
        quoted.append(csvField(f));
    return quoted.join(u',') + Eol;
}

QString jsonValueText(const nlohmann::ordered_json &v)
{
    if (v.is_null())
        return {};
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.is_number_float())
        return pythonFloatRepr(v.get<double>());
    return QString::fromStdString(v.dump());
}

} // namespace

QString csvField(QStringView text)
{
    const bool needsQuotes = text.contains(u',') || text.contains(u'"') || text.contains(u'\n')
        || text.contains(u'\r');
    if (!needsQuotes)
        return text.toString();
    QString quoted = text.toString();
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QByteArray requestsCsv(const std::vector<RequestRecord> &records)
{
    // The names need no quoting.
    QString out = QStringLiteral("index,success,error,http_status,start_time_s,queue_time_ms,ttft_ms,tpot_ms,"
                                 "itl_mean_ms,e2el_ms,input_tokens,output_tokens,output_tokens_source,"
                                 "input_tokens_source,content_chunks");
    // A multi-turn run says which conversation and turn each request was.
    const bool multiTurn = std::any_of(records.begin(), records.end(), [](const RequestRecord &r) { return r.conversation >= 0; });
    // So does a run with a reasoning model, and when its requests began to answer.
    const bool reasoning = std::any_of(records.begin(), records.end(), [](const RequestRecord &r) {
        return r.ttfrt >= 0.0 || r.reasoningTokens > 0;
    });
    out += (multiTurn ? QStringLiteral(",conversation,turn") : QString())
        + (reasoning ? QStringLiteral(",ttfrt_ms,ttfat_ms,reasoning_tokens") : QString()) + Eol;

    std::vector<const RequestRecord *> sorted;
    for (const RequestRecord &r : records)
        sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const RequestRecord *a, const RequestRecord *b) { return a->index < b->index; });

    for (const RequestRecord *r : sorted) {
        const bool gotFirstChunk = r->success || r->contentChunks > 0;
        const double itlMean = r->itl.empty()
            ? 0.0
            : std::accumulate(r->itl.begin(), r->itl.end(), 0.0) / double(r->itl.size());
        QStringList fields {QString::number(r->index),
                    r->success ? QStringLiteral("true") : QStringLiteral("false"),
                    r->error,
                    QString::number(r->httpStatus),
                    num(r->startTime),
                    ms(r->queueTime),
                    gotFirstChunk ? ms(r->ttft) : QString(),
                    r->success && r->outputTokens > 1 ? ms(r->tpot()) : QString(),
                    r->itl.empty() ? QString() : ms(itlMean),
                    ms(r->latency),
                    QString::number(r->promptTokens),
                    QString::number(r->outputTokens),
                    tokenCountSourceName(r->outputTokenSource),
                    tokenCountSourceName(r->promptTokenSource),
                    QString::number(r->contentChunks)};
        if (multiTurn)
            fields << QString::number(r->conversation) << QString::number(r->turn);
        if (reasoning) {
            fields << (r->ttfrt >= 0.0 ? ms(r->ttfrt) : QString()) << (r->ttfat >= 0.0 ? ms(r->ttfat) : QString())
                   << (r->reasoningTokens >= 0 ? QString::number(r->reasoningTokens) : QString());
        }
        out += row(fields);
    }
    return out.toUtf8();
}

QByteArray summaryCsv(const RunResult &run, const BenchmarkMetrics &metrics)
{
    const nlohmann::ordered_json j = toResultJson(run, metrics, false);
    QString out = row({QStringLiteral("metric"), QStringLiteral("value")});
    for (const auto &[key, value] : j.items()) {
        if (value.is_structured())   // per-request arrays and the goodput object
            continue;
        out += row({QString::fromStdString(key), jsonValueText(value)});
    }
    return out.toUtf8();
}

bool writeRequestsCsv(const QString &path, const std::vector<RequestRecord> &records, QString *error)
{
    return saveFile(path, requestsCsv(records), error);
}

bool writeSummaryCsv(const QString &path, const RunResult &run, const BenchmarkMetrics &metrics,
                     QString *error)
{
    return saveFile(path, summaryCsv(run, metrics), error);
}

} // namespace ts
