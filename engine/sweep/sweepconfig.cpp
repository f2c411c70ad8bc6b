#include "sweep/sweepconfig.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

void ensureContains(std::vector<double> &values, double v)
{
    if (std::find(values.begin(), values.end(), v) == values.end()) {
        values.push_back(v);
        std::sort(values.begin(), values.end());
    }
}

} // namespace

QString sweepModeName(SweepMode mode)
{
    return mode == SweepMode::RequestRate ? QStringLiteral("rate") : QStringLiteral("concurrency");
}

double SweepConfig::promptsMultiplier() const
{
    if (promptsPerLevelMultiplier)
        return *promptsPerLevelMultiplier;
    return mode == SweepMode::RequestRate ? 30.0 : 5.0;
}

int SweepConfig::promptsForLevel(double level) const
{
    if (fixedPromptsPerLevel)
        return *fixedPromptsPerLevel;
    const double wanted = std::ceil(promptsMultiplier() * level - 1e-9);
    return std::max(int(std::min(wanted, 1e9)), minPromptsPerLevel);
}

BenchmarkConfig SweepConfig::levelConfig(int index) const
{
    BenchmarkConfig c = base;
    const double level = levels.at(std::size_t(index));
    if (mode == SweepMode::Concurrency)
        c.load.maxConcurrency = int(std::lround(level));
    else
        c.load.requestRate = level;
    c.load.numPrompts = promptsForLevel(level);
    c.load.seed = base.load.seed + std::uint64_t(index);
    MetricsConfig &m = c.metrics;
    for (const char *metric : {"ttft", "tpot", "itl", "e2el"}) {
        if (!m.percentileMetrics.contains(QLatin1String(metric)))
            m.percentileMetrics.append(QLatin1String(metric));
    }
    ensureContains(m.percentiles, 99.0);
    return c;
}

std::vector<double> defaultConcurrencyLevels()
{
    return { 1, 5, 10, 20, 50, 100, 200, 500 };
}

std::optional<std::vector<double>> parseSweepLevels(const QString &text, SweepMode mode, QString *error)
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    std::vector<double> levels;
    for (const QString &item : text.split(separators, Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = item.toDouble(&ok);
        if (mode == SweepMode::Concurrency && (!ok || v < 1 || v != std::floor(v) || v > 1e6)) {
            if (error)
                *error = QCoreApplication::translate("ts::SweepConfig", "Concurrency levels must be whole numbers of at least 1, not “%1”.").arg(item);
            return std::nullopt;
        }
        if (mode == SweepMode::RequestRate && (!ok || !std::isfinite(v) || v <= 0)) {
            if (error)
                *error = QCoreApplication::translate("ts::SweepConfig", "Request rates must be positive numbers of requests per second, not “%1”.").arg(item);
            return std::nullopt;
        }
        levels.push_back(v);
    }
    if (levels.empty()) {
        if (error)
            *error = QCoreApplication::translate("ts::SweepConfig", "The sweep needs at least one level.");
        return std::nullopt;
    }
    for (std::size_t i = 1; i < levels.size(); ++i) {
        if (!(levels[i] > levels[i - 1])) {
            if (error)
                *error = QCoreApplication::translate("ts::SweepConfig", "The levels must rise from one to the next (%1 follows %2).")
                             .arg(sweepLevelText(levels[i]), sweepLevelText(levels[i - 1]));
            return std::nullopt;
        }
    }
    return levels;
}

QString sweepValidationError(const SweepConfig &config)
{
    if (config.levels.empty())
        return QCoreApplication::translate("ts::SweepConfig", "The sweep needs at least one level.");
    for (std::size_t i = 0; i < config.levels.size(); ++i) {
        const double v = config.levels[i];
        if (config.mode == SweepMode::Concurrency && !(v >= 1 && v == std::floor(v)))
            return QCoreApplication::translate("ts::SweepConfig", "Concurrency levels must be whole numbers of at least 1, not “%1”.").arg(sweepLevelText(v));
        if (config.mode == SweepMode::RequestRate && !(std::isfinite(v) && v > 0))
            return QCoreApplication::translate("ts::SweepConfig", "Request rates must be positive numbers of requests per second, not “%1”.").arg(sweepLevelText(v));
        if (i > 0 && !(v > config.levels[i - 1]))
            return QCoreApplication::translate("ts::SweepConfig", "The levels must rise from one to the next (%1 follows %2).")
                .arg(sweepLevelText(v), sweepLevelText(config.levels[i - 1]));
    }
    // Each level's runner gets single prompts; a multi-turn setting would be dropped unseen.
    if (config.base.multiTurn)
        return QCoreApplication::translate("ts::SweepConfig", "A sweep sends single prompts: multi-turn conversations are not available in a sweep.");
    if (config.fixedPromptsPerLevel && *config.fixedPromptsPerLevel < 1)
        return QCoreApplication::translate("ts::SweepConfig", "Each level needs at least one request.");
    if (!(config.promptsMultiplier() > 0) || !std::isfinite(config.promptsMultiplier()))
        return QCoreApplication::translate("ts::SweepConfig", "The requests-per-level multiplier must be a positive number.");
    if (config.minPromptsPerLevel < 1)
        return QCoreApplication::translate("ts::SweepConfig", "Each level needs at least one request.");
    const SweepStopRules &r = config.rules;
    if (!(r.minSuccessRatePercent >= 0 && r.minSuccessRatePercent <= 100))
        return QCoreApplication::translate("ts::SweepConfig", "The success-rate limit must lie between 0 and 100 percent.");
    for (const auto &slo : { r.maxP99TtftMs, r.maxP99TpotMs, r.maxP99E2elMs }) {
        if (slo && !(*slo > 0 && std::isfinite(*slo)))
            return QCoreApplication::translate("ts::SweepConfig", "Latency limits must be positive numbers of milliseconds.");
    }
    if (!(r.minThroughputGainPercent >= 0 && std::isfinite(r.minThroughputGainPercent)))
        return QCoreApplication::translate("ts::SweepConfig", "The throughput-gain limit cannot be negative.");
    if (config.scrapeServerMetrics && !config.metricsUrl.isEmpty() && !config.metricsUrl.isValid())
        return QCoreApplication::translate("ts::SweepConfig", "The metrics address “%1” is not a valid URL.").arg(config.metricsUrl.toString());
    // The level's own settings override these, so check a level rather than the base.
    return validationError(config.levelConfig(0));
}

QString sweepLevelText(double level)
{
    return QString::number(level, 'g', 10);
}

} // namespace ts
