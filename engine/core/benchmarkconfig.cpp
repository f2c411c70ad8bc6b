#include "core/benchmarkconfig.h"

#include "backends/backendregistry.h"

#include <QCoreApplication>

#include <cmath>

namespace ts {

QUrl TargetConfig::url() const
{
    QUrl u = baseUrl;
    QString path = u.path();
    if (path.endsWith(u'/'))
        path.chop(1);
    QString ep = endpoint;
    // Triton's generate extension names the model in the path (/v2/models/{model}/...).
    ep.replace(QLatin1String("{model}"), model);
    if (!ep.isEmpty() && !ep.startsWith(u'/'))
        ep.prepend(u'/');
    u.setPath(path + ep);
    return u;
}

QString rampUpStrategyName(RampUpStrategy strategy)
{
    switch (strategy) {
    case RampUpStrategy::Linear:
        return QStringLiteral("linear");
    case RampUpStrategy::Exponential:
        return QStringLiteral("exponential");
    case RampUpStrategy::None:
        break;
    }
    return {};
}

std::optional<RampUpStrategy> rampUpStrategyFromName(QStringView name)
{
    for (RampUpStrategy s : { RampUpStrategy::Linear, RampUpStrategy::Exponential }) {
        if (name == rampUpStrategyName(s))
            return s;
    }
    return std::nullopt;
}

namespace {

// vLLM's rules for the ramp-up flags, in its order.
QString rampUpError(const LoadConfig &l)
{
    if (!l.hasRampUp()) {
        if (l.rampUpStartRps || l.rampUpEndRps)
            return QCoreApplication::translate("ts::BenchmarkConfig", "A ramp-up start or end rate needs a ramp-up strategy (linear or exponential).");
        return {};
    }
    if (l.hasFiniteRate())
        return QCoreApplication::translate("ts::BenchmarkConfig", "With a ramp-up, do not give a request rate: the ramp-up sets it.");
    if (!l.rampUpStartRps || !l.rampUpEndRps)
        return QCoreApplication::translate("ts::BenchmarkConfig", "A ramp-up needs both a start and an end rate.");
    const int start = *l.rampUpStartRps;
    const int end = *l.rampUpEndRps;
    if (start < 0 || end < 0)
        return QCoreApplication::translate("ts::BenchmarkConfig", "The ramp-up start and end rates cannot be negative.");
    if (start > end)
        return QCoreApplication::translate("ts::BenchmarkConfig", "The ramp-up start rate must not be above the end rate.");
    if (l.rampUpStrategy == RampUpStrategy::Exponential && start == 0)
        return QCoreApplication::translate("ts::BenchmarkConfig", "An exponential ramp-up cannot start at 0 requests per second.");
    // vLLM accepts a linear ramp from 0 and then fails at its first request, whose rate is 0.
    if (start == 0)
        return QCoreApplication::translate("ts::BenchmarkConfig", "A ramp-up cannot start at 0 requests per second: the first request would never be sent.");
    return {};
}

QString durationError(const BenchmarkConfig &config)
{
    const LoadConfig &l = config.load;
    if (std::isnan(l.durationS) || l.durationS < 0 || std::isinf(l.durationS))
        return QCoreApplication::translate("ts::BenchmarkConfig", "The duration must be a positive number of seconds.");
    if (!l.hasDurationLimit()) {
        if (l.durationCancel)
            return QCoreApplication::translate("ts::BenchmarkConfig", "Cancelling at the end of the duration needs a duration.");
        return {};
    }
    // A ramp moves over the run's requests, and a timed run has no fixed number of them.
    if (l.hasRampUp())
        return QCoreApplication::translate("ts::BenchmarkConfig", "A ramp-up cannot be combined with a duration.");
    if (!l.hasFiniteRate() && l.maxConcurrency <= 0)
        return QCoreApplication::translate("ts::BenchmarkConfig", "A run limited by a duration needs a finite request rate or a maximum concurrency; otherwise it would release endless requests at once.");
    if (config.multiTurn)
        return QCoreApplication::translate("ts::BenchmarkConfig", "Multi-turn runs cannot be limited by a duration.");
    return {};
}

// A trace brings its own send times: nothing else may set them.
QString traceError(const BenchmarkConfig &config)
{
    const LoadConfig &l = config.load;
    if (!isTraceDataset(config.datasetName))
        return {};
    if (!(l.traceTimeScale > 0) || !std::isfinite(l.traceTimeScale))
        return QCoreApplication::translate("ts::BenchmarkConfig", "The trace time scale must be a positive number (0.5 replays twice as fast).");
    if (l.hasFiniteRate())
        return QCoreApplication::translate("ts::BenchmarkConfig", "A trace sends each request at its own time: do not give a request rate.");
    if (l.hasRampUp())
        return QCoreApplication::translate("ts::BenchmarkConfig", "A trace sends each request at its own time: it cannot be combined with a ramp-up.");
    if (l.hasDurationLimit())
        return QCoreApplication::translate("ts::BenchmarkConfig", "A trace ends with its last request: it cannot be limited by a duration.");
    if (config.multiTurn)
        return QCoreApplication::translate("ts::BenchmarkConfig", "A trace cannot be sent as multi-turn conversations.");
    return {};
}

} // namespace

bool isTraceDataset(const QString &datasetName)
{
    return datasetName == QLatin1String("mooncake");
}

QString validationError(const BenchmarkConfig &config)
{
    const TargetConfig &t = config.target;
    const BackendInfo *backend = findBackend(t.backend);
    if (!backend)
        return QCoreApplication::translate("ts::BenchmarkConfig", "Unknown backend “%1”. Choose one of: %2.").arg(t.backend, backendNames().join(QLatin1String(", ")));
    const QString scheme = t.baseUrl.scheme();
    if (!t.baseUrl.isValid() || t.baseUrl.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return QCoreApplication::translate("ts::BenchmarkConfig", "The server address “%1” is not a valid http:// or https:// URL.")
            .arg(t.baseUrl.toString());
    if (t.requestTimeoutS < 0)
        return QCoreApplication::translate("ts::BenchmarkConfig", "The request timeout cannot be negative.");

    const LoadConfig &l = config.load;
    // A trace takes all its records when no number is given.
    if (l.numPrompts < 1 && !isTraceDataset(config.datasetName))
        return QCoreApplication::translate("ts::BenchmarkConfig", "The number of requests must be at least 1.");
    if (std::isnan(l.requestRate) || l.requestRate <= 0)
        return QCoreApplication::translate("ts::BenchmarkConfig", "The request rate must be a positive number of requests per second, or inf.");
    if (!(l.burstiness > 0) || !std::isfinite(l.burstiness))
        return QCoreApplication::translate("ts::BenchmarkConfig", "Burstiness must be a positive number (1 means a Poisson process).");
    if (l.maxConcurrency < 0)
        return QCoreApplication::translate("ts::BenchmarkConfig", "The maximum concurrency cannot be negative.");
    if (l.numWarmups < 0)
        return QCoreApplication::translate("ts::BenchmarkConfig", "The number of warm-up requests cannot be negative.");
    if (QString error = traceError(config); !error.isEmpty())
        return error;
    if (QString error = rampUpError(l); !error.isEmpty())
        return error;
    if (QString error = durationError(config); !error.isEmpty())
        return error;

    if (config.datasetName == QLatin1String("random")) {
        const RandomDatasetConfig &r = config.random;
        if (r.inputLen < 1 || r.outputLen < 1)
            return QCoreApplication::translate("ts::BenchmarkConfig", "Input and output lengths must be at least 1 token.");
        if (r.prefixLen < 0)
            return QCoreApplication::translate("ts::BenchmarkConfig", "The prefix length cannot be negative.");
        if (!(r.rangeRatio >= 0.0 && r.rangeRatio < 1.0))
            return QCoreApplication::translate("ts::BenchmarkConfig", "The range ratio must be at least 0 and less than 1.");
    }
    if (config.multiTurn) {
        if (config.datasetName != QLatin1String("sharegpt"))
            return QCoreApplication::translate("ts::BenchmarkConfig", "Multi-turn runs need a ShareGPT file of conversations.");
        // Each turn carries the conversation so far, which only a chat API can take.
        if (!backend->sendsChatMessages())
            return QCoreApplication::translate("ts::BenchmarkConfig", "Multi-turn runs send chat messages: choose the openai-chat backend.");
    }

    const MetricsConfig &m = config.metrics;
    static const QStringList known { QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl"),
                                     QStringLiteral("e2el") };
    for (const QString &metric : m.percentileMetrics) {
        if (!known.contains(metric))
            return QCoreApplication::translate("ts::BenchmarkConfig", "Unknown metric “%1” in the percentile metrics. Choose from: ttft, tpot, itl, e2el.").arg(metric);
    }
    for (double p : m.percentiles) {
        if (!(p >= 0.0 && p <= 100.0))
            return QCoreApplication::translate("ts::BenchmarkConfig", "Percentiles must lie between 0 and 100.");
    }
    for (const auto &slo : { m.goodputTtftMs, m.goodputTpotMs, m.goodputE2elMs }) {
        if (slo && !(*slo > 0))
            return QCoreApplication::translate("ts::BenchmarkConfig", "Goodput limits must be positive numbers of milliseconds.");
    }
    return {};
}

} // namespace ts
