#include "prometheus/prometheustext.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace ts {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t'; }
bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }
bool isLabelStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isLabelChar(char c) { return isLabelStart(c) || (c >= '0' && c <= '9'); }

std::optional<double> parseNumber(QByteArrayView token)
{
    if (token.isEmpty())
        return std::nullopt;
    const QByteArray lower = token.toByteArray().toLower();
    if (lower == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    if (lower == "+inf" || lower == "inf" || lower == "+infinity" || lower == "infinity")
        return std::numeric_limits<double>::infinity();
    if (lower == "-inf" || lower == "-infinity")
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double v = lower.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return v;
}

PrometheusType typeFromName(QByteArrayView name)
{
    if (name == "counter")
        return PrometheusType::Counter;
    if (name == "gauge" || name == "info" || name == "stateset")
        return PrometheusType::Gauge;
    if (name == "histogram" || name == "gaugehistogram")
        return PrometheusType::Histogram;
    if (name == "summary")
        return PrometheusType::Summary;
    return PrometheusType::Untyped;  // "untyped", OpenMetrics' "unknown", anything else
}

// A position in one line.
struct Cursor
{
    QByteArrayView text;
    qsizetype pos = 0;

    bool atEnd() const { return pos >= text.size(); }
    char peek() const { return atEnd() ? '\0' : text[pos]; }
    void skipSpace()
    {
        while (!atEnd() && isSpace(text[pos]))
            ++pos;
    }
    QByteArrayView token()
    {
        const qsizetype start = pos;
        while (!atEnd() && !isSpace(text[pos]))
            ++pos;
        return text.sliced(start, pos - start);
    }
    QByteArrayView rest() const { return text.sliced(pos); }
    template<typename Pred>
    QByteArrayView span(Pred pred)
    {
        const qsizetype start = pos;
        while (!atEnd() && pred(text[pos]))
            ++pos;
        return text.sliced(start, pos - start);
    }
    // A double-quoted string with \\, \" and \n escapes; the cursor stands on the quote.
    std::optional<QString> quoted()
    {
        if (peek() != '"')
            return std::nullopt;
        ++pos;
        QByteArray out;
        while (!atEnd()) {
            const char c = text[pos++];
            if (c == '"')
                return QString::fromUtf8(out);
            if (c == '\\' && !atEnd()) {
                const char e = text[pos++];
                if (e == 'n')
                    out += '\n';
                else if (e == '\\' || e == '"')
                    out += e;
                else {
                    out += '\\';   // not an escape the format knows: kept as written
                    out += e;
                }
                continue;
            }
            out += c;
        }
        return std::nullopt;
    }
};

QString unescapeHelp(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
            const char e = text[i + 1];
            if (e == 'n' || e == '\\') {
                out += e == 'n' ? '\n' : '\\';
                ++i;
                continue;
            }
        }
        out += c;
    }
    return QString::fromUtf8(out);
}

class Parser
{
public:
    PrometheusScrape run(QByteArrayView text)
    {
        int lineNo = 0;
        qsizetype start = 0;
        while (start <= text.size()) {
            qsizetype end = text.indexOf('\n', start);
            if (end < 0)
                end = text.size();
            QByteArrayView line = text.sliced(start, end - start);
            if (line.endsWith('\r'))
                line.chop(1);
            ++lineNo;
            if (!parseLine(line, lineNo))
                break;   // # EOF
            start = end + 1;
        }
        return std::move(m_scrape);
    }

private:
    // False at "# EOF".
    bool parseLine(QByteArrayView line, int lineNo)
    {
        Cursor c { line };
        c.skipSpace();
        if (c.atEnd())
            return true;
        if (c.peek() == '#')
            return parseComment(c, lineNo);
        parseSample(c, lineNo);
        return true;
    }

    bool parseComment(Cursor &c, int lineNo)
    {
        ++c.pos;
        c.skipSpace();
        const QByteArrayView keyword = c.token();
        c.skipSpace();
        if (keyword == "EOF" && c.atEnd())
            return false;
        if (keyword != "HELP" && keyword != "TYPE")
            return true;   // an ordinary comment
        const QByteArrayView name = c.token();
        if (!validName(name)) {
            issue(lineNo, QCoreApplication::translate("ts::Prometheus", "A %1 line without a valid metric name.").arg(QString::fromLatin1(keyword)));
            return true;
        }
        PrometheusFamily &family = familyNamed(QString::fromUtf8(name));
        if (keyword == "HELP") {
            // The text starts after the one blank that separates it from the name.
            if (!c.atEnd())
                ++c.pos;
            family.help = unescapeHelp(c.rest());
        } else {
            c.skipSpace();
            family.type = typeFromName(c.token());
        }
        return true;
    }

    void parseSample(Cursor &c, int lineNo)
    {
        PrometheusSample sample;
        if (c.peek() == '{') {
            // Newer form with a quoted (UTF-8) metric name inside the braces.
            if (!parseLabels(c, sample, lineNo))
                return;
        } else {
            const QByteArrayView name = c.span(isNameChar);
            if (!validName(name)) {
                issue(lineNo, QCoreApplication::translate("ts::Prometheus", "A sample line without a valid metric name."));
                return;
            }
            sample.name = QString::fromUtf8(name);
            c.skipSpace();
            if (c.peek() == '{' && !parseLabels(c, sample, lineNo))
                return;
        }
        if (sample.name.isEmpty()) {
            issue(lineNo, QCoreApplication::translate("ts::Prometheus", "A sample line without a metric name."));
            return;
        }
        c.skipSpace();
        const std::optional<double> value = parseNumber(c.token());
        if (!value) {
            issue(lineNo, QCoreApplication::translate("ts::Prometheus", "The value of %1 is not a number.").arg(sample.name));
            return;
        }
        sample.value = *value;
        c.skipSpace();
        if (!c.atEnd() && c.peek() != '#') {
            const std::optional<double> timestamp = parseNumber(c.token());
            if (!timestamp) {
                issue(lineNo, QCoreApplication::translate("ts::Prometheus", "The timestamp of %1 is not a number.").arg(sample.name));
                return;
            }
            sample.timestamp = timestamp;
            c.skipSpace();
        }
        // Anything after a '#' is an OpenMetrics exemplar, which a scrape does not need.
        if (!c.atEnd() && c.peek() != '#') {
            issue(lineNo, QCoreApplication::translate("ts::Prometheus", "Unexpected text after the value of %1.").arg(sample.name));
            return;
        }
        familyForSample(sample.name).samples.push_back(std::move(sample));
    }

    // The cursor stands on '{'.
    bool parseLabels(Cursor &c, PrometheusSample &sample, int lineNo)
    {
        ++c.pos;
        for (;;) {
            c.skipSpace();
            if (c.peek() == '}') {
                ++c.pos;
                return true;
            }
            QString key;
            if (c.peek() == '"') {
                const std::optional<QString> quoted = c.quoted();
                if (!quoted)
                    break;
                c.skipSpace();
                if (c.peek() != '=') {
                    // A quoted string alone is the metric name.
                    sample.name = *quoted;
                    if (!expectSeparator(c))
                        break;
                    continue;
                }
                key = *quoted;
            } else {
                const QByteArrayView name = c.span(isLabelChar);
                if (name.isEmpty() || !isLabelStart(name[0]))
                    break;
                key = QString::fromUtf8(name);
                c.skipSpace();
            }
            if (c.peek() != '=')
                break;
            ++c.pos;
            c.skipSpace();
            const std::optional<QString> value = c.quoted();
            if (!value)
                break;
            sample.labels.append({ key, *value });
            if (!expectSeparator(c))
                break;
        }
        issue(lineNo, QCoreApplication::translate("ts::Prometheus", "A label set that does not parse."));
        return false;
    }

    // After a label: ',' (another may follow) or '}' (left for the caller's loop).
    static bool expectSeparator(Cursor &c)
    {
        c.skipSpace();
        if (c.peek() == ',') {
            ++c.pos;
            return true;
        }
        return c.peek() == '}';
    }

    static bool validName(QByteArrayView name)
    {
        if (name.isEmpty() || !isNameStart(name[0]))
            return false;
        return std::all_of(name.begin(), name.end(), isNameChar);
    }

    PrometheusFamily &familyNamed(const QString &name)
    {
        const auto it = m_index.constFind(name);
        if (it != m_index.constEnd())
            return m_scrape.families[std::size_t(*it)];
        m_index.insert(name, int(m_scrape.families.size()));
        m_scrape.families.push_back(PrometheusFamily { name, PrometheusType::Untyped, {}, {} });
        return m_scrape.families.back();
    }

    PrometheusFamily &familyForSample(const QString &name)
    {
        if (m_index.contains(name))
            return familyNamed(name);
        struct Suffix
        {
            QLatin1String text;
            PrometheusType types[3];
        };
        using T = PrometheusType;
        static const Suffix suffixes[] = {
            { QLatin1String("_total"), { T::Counter, T::Counter, T::Counter } },
            { QLatin1String("_created"), { T::Counter, T::Histogram, T::Summary } },
            { QLatin1String("_bucket"), { T::Histogram, T::Histogram, T::Histogram } },
            { QLatin1String("_sum"), { T::Histogram, T::Summary, T::Summary } },
            { QLatin1String("_count"), { T::Histogram, T::Summary, T::Summary } },
            { QLatin1String("_gsum"), { T::Histogram, T::Histogram, T::Histogram } },
            { QLatin1String("_gcount"), { T::Histogram, T::Histogram, T::Histogram } },
            { QLatin1String("_info"), { T::Gauge, T::Gauge, T::Gauge } },
        };
        for (const Suffix &s : suffixes) {
            if (!name.endsWith(s.text))
                continue;
            const auto it = m_index.constFind(name.chopped(s.text.size()));
            if (it == m_index.constEnd())
                continue;
            PrometheusFamily &family = m_scrape.families[std::size_t(*it)];
            if (std::find(std::begin(s.types), std::end(s.types), family.type) != std::end(s.types))
                return family;
        }
        return familyNamed(name);
    }

    void issue(int line, const QString &message) { m_scrape.issues.push_back({ line, message }); }

    PrometheusScrape m_scrape;
    QHash<QString, int> m_index;
};

} // namespace

QString prometheusTypeName(PrometheusType type)
{
    switch (type) {
    case PrometheusType::Counter:
        return QStringLiteral("counter");
    case PrometheusType::Gauge:
        return QStringLiteral("gauge");
    case PrometheusType::Histogram:
        return QStringLiteral("histogram");
    case PrometheusType::Summary:
        return QStringLiteral("summary");
    case PrometheusType::Untyped:
        break;
    }
    return QStringLiteral("untyped");
}

QString PrometheusSample::label(QStringView key) const
{
    for (const auto &[k, v] : labels) {
        if (k == key)
            return v;
    }
    return {};
}

const PrometheusFamily *PrometheusScrape::family(QStringView name) const
{
    for (const PrometheusFamily &f : families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

std::vector<const PrometheusSample *> PrometheusScrape::samples(QStringView sampleName) const
{
    std::vector<const PrometheusSample *> out;
    for (const PrometheusFamily &f : families) {
        if (!sampleName.startsWith(f.name))
            continue;   // a family's samples all start with its name
        for (const PrometheusSample &s : f.samples) {
            if (s.name == sampleName)
                out.push_back(&s);
        }
    }
    return out;
}

bool PrometheusScrape::has(QStringView sampleName) const
{
    return !samples(sampleName).empty();
}

std::optional<double> PrometheusScrape::sum(QStringView sampleName) const
{
    std::optional<double> total;
    for (const PrometheusSample *s : samples(sampleName)) {
        if (!std::isnan(s->value))
            total = total.value_or(0.0) + s->value;
    }
    return total;
}

std::optional<double> PrometheusScrape::max(QStringView sampleName) const
{
    std::optional<double> best;
    for (const PrometheusSample *s : samples(sampleName)) {
        if (!std::isnan(s->value))
            best = best ? std::max(*best, s->value) : s->value;
    }
    return best;
}

std::optional<PrometheusHistogram> PrometheusScrape::histogram(QStringView familyName) const
{
    const PrometheusFamily *f = family(familyName);
    if (!f)
        return std::nullopt;
    const QString bucketName = f->name + QLatin1String("_bucket");
    const QString sumName = f->name + QLatin1String("_sum");
    const QString countName = f->name + QLatin1String("_count");
    std::map<double, double> buckets;
    PrometheusHistogram h;
    bool hasCount = false;
    for (const PrometheusSample &s : f->samples) {
        if (s.name == bucketName) {
            const std::optional<double> le = parseNumber(s.label(u"le").toUtf8());
            if (le)
                buckets[*le] += s.value;
        } else if (s.name == sumName) {
            h.sum += s.value;
        } else if (s.name == countName) {
            h.count += s.value;
            hasCount = true;
        }
    }
    if (!hasCount)
        return std::nullopt;
    for (const auto &[le, count] : buckets)
        h.buckets.push_back({ le, count });
    return h;
}

std::optional<double> histogramQuantile(const PrometheusHistogram &h, double q)
{
    if (h.buckets.empty() || !(q >= 0.0 && q <= 1.0))
        return std::nullopt;
    const double total = h.buckets.back().second;
    if (!(total > 0.0))
        return std::nullopt;
    const double rank = q * total;
    double lowerBound = 0.0;
    double lowerCount = 0.0;
    for (std::size_t i = 0; i < h.buckets.size(); ++i) {
        const auto [le, count] = h.buckets[i];
        if (count >= rank) {
            if (std::isinf(le))
                return i > 0 ? h.buckets[i - 1].first : 0.0;   // PromQL: the highest finite bound
            if (i == 0 && le <= 0.0)
                return le;
            const double inBucket = count - lowerCount;
            if (inBucket <= 0.0)
                return le;
            return lowerBound + (le - lowerBound) * (rank - lowerCount) / inBucket;
        }
        lowerBound = le;
        lowerCount = count;
    }
    return h.buckets.back().first;
}

PrometheusScrape parsePrometheusText(QByteArrayView text)
{
    return Parser().run(text);
}

} // namespace ts
