#include "datasets/workloadlimits.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace ts {

namespace {

// What one request holds in memory: its prompt as UTF-16 text (about 4 bytes a token), each
// reply token as text and an inter-token gap (about 12 bytes), and its record.
constexpr double kBytesPerInputToken = 4;
constexpr double kBytesPerOutputToken = 12;
constexpr double kBytesPerRequest = 1024;

struct Lengths
{
    double input = 0;    // 0: taken from the file, whose size bounds it
    double output = 0;
};

Lengths longestRequest(const DatasetConfig &c)
{
    if (c.name == QLatin1String("random")) {
        const double spread = 1.0 + std::max(c.random.rangeRatio, 0.0);
        return { std::floor(double(c.random.inputLen) * spread) + double(c.random.prefixLen),
                 std::floor(double(c.random.outputLen) * spread) };
    }
    if (c.name == QLatin1String("sonnet"))
        return { double(c.sonnetInputLen), double(c.sonnetOutputLen) };
    if (c.name == QLatin1String("prefix_repetition"))
        return { double(c.prefixRepetitionPrefixLen) + double(c.prefixRepetitionSuffixLen), double(c.prefixRepetitionOutputLen) };
    if (c.name == QLatin1String("sharegpt"))
        return { 0, double(c.sharegptOutputLen.value_or(0)) };
    if (c.name == QLatin1String("custom"))
        return { 0, double(c.customOutputLen) };
    return {};
}

QString gigabytes(double bytes)
{
    return QString::number(bytes / (1024.0 * 1024.0 * 1024.0), 'f', 1);
}

} // namespace

qint64 defaultMemoryBudget()
{
#ifdef Q_OS_UNIX
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && pageSize > 0)
        return qint64(pages) * qint64(pageSize) / 4;
#endif
    return qint64(4) * 1024 * 1024 * 1024;
}

QString workloadSizeError(const DatasetConfig &config, qint64 memoryBudget)
{
    const Lengths longest = longestRequest(config);
    if (longest.input > kMaxRequestTokens)
        return QCoreApplication::translate("ts::WorkloadLimits", "A prompt of up to %1 tokens is more than any model takes (at most %2 tokens). Ask for shorter prompts.")
            .arg(qint64(longest.input))
            .arg(qint64(kMaxRequestTokens));
    if (longest.output > kMaxRequestTokens)
        return QCoreApplication::translate("ts::WorkloadLimits", "A reply of up to %1 tokens is more than any model gives (at most %2 tokens). Ask for shorter replies.")
            .arg(qint64(longest.output))
            .arg(qint64(kMaxRequestTokens));
    const double requests = std::max(config.numPrompts, 1);
    return workloadMemoryError(requests, requests * requestMemoryBytes(longest.input, longest.output), memoryBudget);
}

double requestMemoryBytes(double inputTokens, double outputTokens)
{
    return inputTokens * kBytesPerInputToken + outputTokens * kBytesPerOutputToken + kBytesPerRequest;
}

QString workloadMemoryError(double requests, double bytes, qint64 memoryBudget)
{
    if (bytes > double(memoryBudget))
        return QCoreApplication::translate("ts::WorkloadLimits", "%1 requests of this size need about %2 GB of memory, more than the %3 GB (a quarter of this computer's memory) a run may take. Send fewer or shorter requests.")
            .arg(qint64(requests))
            .arg(gigabytes(bytes), gigabytes(double(memoryBudget)));
    return {};
}

QString requestRateError(double requestsPerSecond, int numPrompts)
{
    if (std::isinf(requestsPerSecond) || std::isnan(requestsPerSecond) || requestsPerSecond <= 0)
        return {};   // infinity is valid; the others are validationError()'s to name
    if (requestsPerSecond < kMinRequestRate)
        return QCoreApplication::translate("ts::WorkloadLimits", "A request rate of %1 per second sends one request every %2 hours on average; give at least %3 requests per second.")
            .arg(requestsPerSecond)
            .arg(QString::number(1.0 / requestsPerSecond / 3600.0, 'f', 1))
            .arg(kMinRequestRate);
    const double seconds = double(std::max(numPrompts, 1)) / requestsPerSecond;
    if (seconds > kMaxSendSeconds)
        return QCoreApplication::translate("ts::WorkloadLimits", "At %1 requests per second, %2 requests take about %3 days to send, more than the %4 days a run may last. Raise the rate or send fewer requests.")
            .arg(requestsPerSecond)
            .arg(numPrompts)
            .arg(QString::number(seconds / 86400.0, 'f', 0))
            .arg(int(kMaxSendSeconds / 86400));
    return {};
}

} // namespace ts
