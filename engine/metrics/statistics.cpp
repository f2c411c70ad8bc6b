#include "metrics/statistics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace ts {

namespace {

// numpy sums float64 arrays pairwise in blocks of 128 with eight accumulators; doing the same
// keeps our means bit-identical to those in vLLM's result files.
constexpr std::size_t PairwiseBlock = 128;

double mean(const std::vector<double> &values)
{
    return pairwiseSum(values.data(), values.size()) / double(values.size());
}

} // namespace

double pairwiseSum(const double *a, std::size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            res += a[i];
        return res;
    }
    if (n <= PairwiseBlock) {
        double r[8];
        for (int j = 0; j < 8; ++j)
            r[j] = a[j];
        std::size_t i = 8;
        for (; i < n - (n % 8); i += 8) {
            for (int j = 0; j < 8; ++j)
                r[j] += a[i + j];
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i)
            res += a[i];
        return res;
    }
    std::size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, n2) + pairwiseSum(a + n2, n - n2);
}

double percentile(const std::vector<double> &sorted, double p)
{
    const std::size_t n = sorted.size();
    if (n == 0)
        return 0.0;
    // The same steps as numpy's "linear" method, so that rounding matches too.
    const double q = p / 100.0;
    const double index = double(n - 1) * q;
    if (!(index > 0.0))
        return sorted.front();
    if (index >= double(n - 1))
        return sorted.back();
    const double below = std::floor(index);
    const double gamma = index - below;
    const double a = sorted[std::size_t(below)];
    const double b = sorted[std::size_t(below) + 1];
    const double diff = b - a;
    return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

MetricSummary summarize(std::vector<double> values, const std::vector<double> &percentiles)
{
    MetricSummary s;
    s.count = int(values.size());
    s.percentiles.reserve(percentiles.size());
    if (values.empty()) {
        for (double p : percentiles)
            s.percentiles.emplace_back(p, 0.0);
        return s;
    }

    // Mean and std over the values in the order given: numpy does not sort first either.
    s.mean = mean(values);
    std::vector<double> squares;
    squares.reserve(values.size());
    for (double v : values) {
        const double d = v - s.mean;
        squares.push_back(d * d);
    }
    s.std = std::sqrt(mean(squares));

    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    s.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    for (double p : percentiles)
        s.percentiles.emplace_back(p, percentile(values, p));
    return s;
}

std::optional<double> MetricSummary::valueAt(double p) const
{
    for (const auto &[q, v] : percentiles) {
        if (q == p)
            return v;
    }
    return std::nullopt;
}

MetricSummary MetricSummary::scaled(double factor) const
{
    MetricSummary s = *this;
    s.mean *= factor;
    s.median *= factor;
    s.std *= factor;
    for (auto &pv : s.percentiles)
        pv.second *= factor;
    return s;
}

QString pythonFloatRepr(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    if (value == 0.0)
        return std::signbit(value) ? QStringLiteral("-0.0") : QStringLiteral("0.0");

    // Shortest round-trip digits, then laid out the way Python's float repr does.
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, std::abs(value), std::chars_format::scientific);
    const std::string sci(buf, res.ptr);
    const auto ePos = sci.find('e');
    std::string digits;
    for (std::size_t i = 0; i < ePos; ++i) {
        if (sci[i] != '.')
            digits += sci[i];
    }
    const int exp10 = std::atoi(sci.c_str() + ePos + 1);

    std::string out = value < 0 ? "-" : "";
    if (exp10 < -4 || exp10 >= 16) {
        out += digits.substr(0, 1);
        if (digits.size() > 1)
            out += '.' + digits.substr(1);
        char expBuf[16];
        std::snprintf(expBuf, sizeof expBuf, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
        out += expBuf;
    } else if (exp10 < 0) {
        out += "0." + std::string(std::size_t(-exp10 - 1), '0') + digits;
    } else {
        const std::size_t intDigits = std::size_t(exp10) + 1;
        if (digits.size() <= intDigits)
            out += digits + std::string(intDigits - digits.size(), '0') + ".0";
        else
            out += digits.substr(0, intDigits) + '.' + digits.substr(intDigits);
    }
    return QString::fromLatin1(out);
}

QString percentileName(double p)
{
    // vLLM: str(int(p)) if int(p) == p else str(p)
    if (std::isfinite(p) && std::trunc(p) == p && std::abs(p) < 1e15)
        return QString::number(qint64(p));
    return pythonFloatRepr(p);
}

} // namespace ts
