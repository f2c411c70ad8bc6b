#include "sweep/sweepverdict.h"

#include <QCoreApplication>

#include <cmath>

namespace ts {

namespace {

QString num(double v, int decimals = 1)
{
    return QString::number(v, 'f', decimals);
}

const QLatin1String KvCache("kv_cache");
const QLatin1String ServerQueue("server_queue");
const QLatin1String ClientQueue("client_queue");

// A server whose cache is this full evicts or queues sequences.
constexpr double KvCacheFull = 0.95;
// Client estimate of queueing: the median TTFT grew by more than this share of the median
// decode time (E2EL - TTFT) over the first level. Prefill of a bigger batch makes TTFT grow a
// little; waiting for a slot makes it grow by a good part of another request's whole decode.
constexpr double ClientQueueShare = 0.2;
// ... or the requests generating at once grew by less than this factor while the load grew by half.
constexpr double ClientStallGrowth = 1.15;

std::optional<double> gainPerDoubling(const SweepLevelResult &from, const SweepLevelResult &to)
{
    const double t0 = from.metrics.outputThroughput;
    const double t1 = to.metrics.outputThroughput;
    if (!(t0 > 0.0) || !(t1 > 0.0) || !(to.level > from.level))
        return std::nullopt;
    return 100.0 * (std::pow(t1 / t0, 1.0 / std::log2(to.level / from.level)) - 1.0);
}

// The client's estimate that requests queued at `level`, used only when the server publishes
// no metrics. Either sign will do:
// - the median TTFT grew by more than ClientQueueShare of the median decode time over the first
//   level (waiting for a slot costs a good part of another request's whole decode; prefill of
//   a bigger batch costs far less when outputs are long);
// - the load rose by half or more over the previous level, but the number of requests
//   generating at once (Little's law) did not follow: the server serves no more at a time.
bool clientQueued(const SweepLevelResult &level, const SweepLevelResult &first, const SweepLevelResult *previous)
{
    if (level.index == first.index || level.metrics.completed == 0 || first.metrics.completed == 0)
        return false;
    const double extraWaitMs = level.metrics.ttftMs.median - first.metrics.ttftMs.median;
    const double decodeMs = level.metrics.e2elMs.median - level.metrics.ttftMs.median;
    if (decodeMs > 0.0 && extraWaitMs > ClientQueueShare * decodeMs)
        return true;
    return previous && previous->meanGenerating > 0.0 && level.meanInFlight >= 1.5 * previous->meanInFlight
        && level.meanGenerating < ClientStallGrowth * previous->meanGenerating;
}

void addLimit(std::vector<SweepLimitHit> &limits, const QString &key, const SweepLevelResult &level)
{
    for (const SweepLimitHit &hit : limits) {
        if (hit.key == key)
            return;
    }
    limits.push_back({ key, level.index, level.level });
}

const SweepLevelResult *levelAt(const std::vector<SweepLevelResult> &levels, std::optional<int> index)
{
    if (!index)
        return nullptr;
    for (const SweepLevelResult &l : levels) {
        if (l.index == *index)
            return &l;
    }
    return nullptr;
}

} // namespace

SweepVerdict computeVerdict(const SweepConfig &config, const std::vector<SweepLevelResult> &levels,
                            bool userStopped)
{
    SweepVerdict v;
    v.mode = config.mode;

    std::vector<const SweepLevelResult *> evaluated;
    for (const SweepLevelResult &l : levels) {
        if (l.evaluated())
            evaluated.push_back(&l);
    }
    v.evaluatedLevels = int(evaluated.size());

    // Why the sweep ended.
    const SweepLevelResult *firstBroken = nullptr;
    for (const SweepLevelResult *l : evaluated) {
        if (!l->brokenRules.isEmpty()) {
            firstBroken = l;
            break;
        }
    }
    const SweepLevelResult *failed = nullptr;
    for (const SweepLevelResult &l : levels) {
        if (!l.run.error.isEmpty()) {
            failed = &l;
            break;
        }
    }
    if (firstBroken && (!failed || firstBroken->index < failed->index)) {
        v.stopReason = firstBroken->brokenRules.constFirst();
        v.stopLevelIndex = firstBroken->index;
    } else if (failed) {
        v.stopReason = QStringLiteral("error");
        v.stopLevelIndex = failed->index;
    } else if (userStopped || (!levels.empty() && levels.back().partial)) {
        v.stopReason = QStringLiteral("stopped");
        if (!levels.empty() && levels.back().partial)
            v.stopLevelIndex = levels.back().index;
    } else {
        v.stopReason = QStringLiteral("completed");
    }

    // Peak and knee.
    for (const SweepLevelResult *l : evaluated) {
        if (!v.peakOutputThroughput || l->metrics.outputThroughput > *v.peakOutputThroughput) {
            v.peakOutputThroughput = l->metrics.outputThroughput;
            v.peakAtLevel = l->level;
        }
    }
    const SweepLevelResult *knee = nullptr;
    if (v.peakOutputThroughput && *v.peakOutputThroughput > 0.0) {
        for (std::size_t i = 0; i + 1 < evaluated.size(); ++i) {
            if (evaluated[i]->metrics.outputThroughput >= SweepVerdict::KneeFraction * *v.peakOutputThroughput) {
                knee = evaluated[i];
                break;
            }
        }
    }
    if (knee) {
        v.kneeLevel = knee->level;
        v.gainPerDoublingBeforeKneePercent = gainPerDoubling(*evaluated.front(), *knee);
        v.gainPerDoublingAfterKneePercent = gainPerDoubling(*knee, *evaluated.back());
    } else if (evaluated.size() >= 2) {
        v.gainPerDoublingBeforeKneePercent = gainPerDoubling(*evaluated.front(), *evaluated.back());
    }

    // Where requests began to wait: the server's word when it gives it, else the client's estimate.
    bool serverSpoke = false;
    for (const SweepLevelResult *l : evaluated) {
        if (!l->server)
            continue;
        if (l->server->medianWaiting)
            serverSpoke = true;
        if (l->server->maxRunning)
            v.serverMaxRunning = std::max(v.serverMaxRunning.value_or(0.0), *l->server->maxRunning);
    }
    for (std::size_t i = 0; i < evaluated.size(); ++i) {
        const SweepLevelResult *l = evaluated[i];
        const bool queued = serverSpoke ? (l->server && l->server->queueGrew(l->meanInFlight))
                                        : clientQueued(*l, *evaluated.front(), i > 0 ? evaluated[i - 1] : nullptr);
        if (queued) {
            v.saturationLevel = l->level;
            v.saturationSource = serverSpoke ? SaturationSource::Server : SaturationSource::Client;
            break;
        }
    }

    // Every limit, first reached first; at one level, causes (cache, queue) before symptoms.
    for (const SweepLevelResult *l : evaluated) {
        if (l->server && l->server->maxKvCacheUsage && *l->server->maxKvCacheUsage >= KvCacheFull)
            addLimit(v.limits, KvCache, *l);
        if (v.saturationLevel && l->level == *v.saturationLevel)
            addLimit(v.limits, serverSpoke ? ServerQueue : ClientQueue, *l);
        for (const QString &rule : l->brokenRules)
            addLimit(v.limits, rule, *l);
    }

    // The highest stable level lies below the first limit of any kind: a level where requests
    // queue or the cache fills is not stable, even when it breaks no stop rule.
    for (const SweepLevelResult *l : evaluated) {
        if (!v.limits.empty() && l->index >= v.limits.front().levelIndex)
            break;
        v.maxStableLevel = l->level;
    }
    return v;
}

QString sweepLevelPhrase(SweepMode mode, double level)
{
    if (mode == SweepMode::RequestRate)
        return QCoreApplication::translate("ts::Sweep", "%1 requests/s").arg(sweepLevelText(level));
    return QCoreApplication::translate("ts::Sweep", "concurrency %1").arg(sweepLevelText(level));
}

QString sweepLimitName(const QString &key)
{
    if (key == SweepRule::SuccessRate)
        return QCoreApplication::translate("ts::Sweep", "the success rate");
    if (key == SweepRule::SloTtft)
        return QCoreApplication::translate("ts::Sweep", "the p99 TTFT limit");
    if (key == SweepRule::SloTpot)
        return QCoreApplication::translate("ts::Sweep", "the p99 TPOT limit");
    if (key == SweepRule::SloE2el)
        return QCoreApplication::translate("ts::Sweep", "the p99 E2EL limit");
    if (key == SweepRule::ThroughputPlateau)
        return QCoreApplication::translate("ts::Sweep", "the throughput plateau");
    if (key == KvCache)
        return QCoreApplication::translate("ts::Sweep", "the server's KV cache");
    if (key == ServerQueue)
        return QCoreApplication::translate("ts::Sweep", "the server's request queue");
    if (key == ClientQueue)
        return QCoreApplication::translate("ts::Sweep", "requests waiting for the server");
    return key;
}

namespace {

// Why a level broke a rule, as a clause: "only 91.0% of requests succeeded (the limit is 95%)".
QString ruleClause(const QString &rule, const SweepLevelResult &level, const SweepStopRules &rules)
{
    const auto p99 = [&](QStringView metric) { return p99Ms(level.metrics, metric).value_or(0.0); };
    if (rule == SweepRule::SuccessRate)
        return QCoreApplication::translate("ts::Sweep", "only %1% of requests succeeded (the limit is %2%)")
            .arg(num(level.successRatePercent), num(rules.minSuccessRatePercent, 0));
    if (rule == SweepRule::SloTtft)
        return QCoreApplication::translate("ts::Sweep", "p99 time to first token was %1 ms (the limit is %2 ms)")
            .arg(num(p99(u"ttft"), 0), num(rules.maxP99TtftMs.value_or(0.0), 0));
    if (rule == SweepRule::SloTpot)
        return QCoreApplication::translate("ts::Sweep", "p99 time per output token was %1 ms (the limit is %2 ms)")
            .arg(num(p99(u"tpot"), 1), num(rules.maxP99TpotMs.value_or(0.0), 1));
    if (rule == SweepRule::SloE2el)
        return QCoreApplication::translate("ts::Sweep", "p99 end-to-end latency was %1 ms (the limit is %2 ms)")
            .arg(num(p99(u"e2el"), 0), num(rules.maxP99E2elMs.value_or(0.0), 0));
    if (rule == SweepRule::ThroughputPlateau) {
        const double gain = level.throughputGainPercent.value_or(0.0);
        if (gain < 0.0)
            return QCoreApplication::translate("ts::Sweep", "output throughput fell by %1% below the best earlier level (a gain of %2% was needed)")
                .arg(num(-gain), num(rules.minThroughputGainPercent, 0));
        return QCoreApplication::translate("ts::Sweep", "output throughput rose by only %1% over the best earlier level (the limit is %2%)")
            .arg(num(gain), num(rules.minThroughputGainPercent, 0));
    }
    return rule;
}

QString firstLimitSentence(const SweepVerdict &v, const SweepLimitHit &hit, const SweepLevelResult *level)
{
    const QString where = sweepLevelPhrase(v.mode, hit.level);
    if (hit.key == ServerQueue && level && level->server) {
        const double running = level->server->maxRunning.value_or(v.serverMaxRunning.value_or(0.0));
        return QCoreApplication::translate("ts::Sweep", "First limit reached: the server's own request queue, at %1. The server ran at most %2 requests at once; the others waited in its queue (about %3 at a time).")
            .arg(where, num(running, 0), num(level->server->medianWaiting.value_or(0.0), 0));
    }
    if (hit.key == KvCache && level && level->server)
        return QCoreApplication::translate("ts::Sweep", "First limit reached: the server's KV cache, at %1, where it was %2% full.")
            .arg(where, num(100.0 * level->server->maxKvCacheUsage.value_or(0.0), 0));
    if (hit.key == ClientQueue && level)
        return QCoreApplication::translate("ts::Sweep", "First limit reached at %1: about %2 requests were in flight, but only about %3 were generating at once on average; the others waited for their first token. (The client's estimate: the server publishes no metrics.)")
            .arg(where, num(level->meanInFlight), num(level->meanGenerating));
    return QCoreApplication::translate("ts::Sweep", "First limit reached: %1, at %2.").arg(sweepLimitName(hit.key), where);
}

} // namespace

QString sweepVerdictText(const SweepConfig &config, const std::vector<SweepLevelResult> &levels,
                         const SweepVerdict &v)
{
    QStringList lines;
    const bool rate = v.mode == SweepMode::RequestRate;
    const auto phrase = [&](double level) { return sweepLevelPhrase(v.mode, level); };

    if (v.maxStableLevel) {
        lines << (rate ? QCoreApplication::translate("ts::Sweep", "Highest stable request rate: %1 requests/s.").arg(sweepLevelText(*v.maxStableLevel))
                       : QCoreApplication::translate("ts::Sweep", "Highest stable concurrency: %1.").arg(sweepLevelText(*v.maxStableLevel)));
    } else if (v.evaluatedLevels > 0) {
        lines << QCoreApplication::translate("ts::Sweep", "No level was stable.");
    }

    const SweepLevelResult *stopLevel = levelAt(levels, v.stopLevelIndex);
    if (v.stopReason == QLatin1String("completed")) {
        if (!levels.empty() && v.limits.empty())
            lines << QCoreApplication::translate("ts::Sweep", "Every level stayed within the limits; the server may hold more than %1.").arg(phrase(levels.back().level));
        else if (!levels.empty())
            lines << QCoreApplication::translate("ts::Sweep", "Every level up to %1 kept to the stop rules, but the server reached a limit on the way (below).").arg(phrase(levels.back().level));
    } else if (v.stopReason == QLatin1String("stopped")) {
        lines << (stopLevel ? QCoreApplication::translate("ts::Sweep", "You stopped the sweep during %1; the finished levels are kept.").arg(phrase(stopLevel->level))
                            : QCoreApplication::translate("ts::Sweep", "You stopped the sweep; the finished levels are kept."));
    } else if (v.stopReason == QLatin1String("error") && stopLevel) {
        lines << QCoreApplication::translate("ts::Sweep", "The sweep stopped at %1 because the run could not go on: %2").arg(phrase(stopLevel->level), stopLevel->run.error);
    } else if (stopLevel) {
        const QString clause = ruleClause(v.stopReason, *stopLevel, config.rules);
        lines << (config.rules.stopAtLimit ? QCoreApplication::translate("ts::Sweep", "The sweep stopped at %1: %2.").arg(phrase(stopLevel->level), clause)
                                           : QCoreApplication::translate("ts::Sweep", "The first level past a limit was %1: %2.").arg(phrase(stopLevel->level), clause));
    }

    if (v.peakOutputThroughput && v.peakAtLevel)
        lines << QCoreApplication::translate("ts::Sweep", "Peak output throughput: %1 tokens/s, at %2.").arg(num(*v.peakOutputThroughput), phrase(*v.peakAtLevel));

    if (v.kneeLevel && v.peakOutputThroughput && *v.peakOutputThroughput > 0.0) {
        double kneeThroughput = 0.0;
        for (const SweepLevelResult &l : levels) {
            if (l.evaluated() && l.level == *v.kneeLevel)
                kneeThroughput = l.metrics.outputThroughput;
        }
        lines << QCoreApplication::translate("ts::Sweep", "The knee is at %1: it already reached %2% of the peak throughput. Beyond it, more load mostly adds waiting time.")
                     .arg(phrase(*v.kneeLevel), num(100.0 * kneeThroughput / *v.peakOutputThroughput, 0));
    } else if (v.evaluatedLevels >= 2) {
        lines << QCoreApplication::translate("ts::Sweep", "No knee yet: throughput was still rising at the last level.");
    }

    if (v.gainPerDoublingBeforeKneePercent) {
        const QString before = num(*v.gainPerDoublingBeforeKneePercent, 0);
        if (v.kneeLevel && v.gainPerDoublingAfterKneePercent) {
            lines << (rate ? QCoreApplication::translate("ts::Sweep", "Scaling: up to the knee, each doubling of the request rate raised output throughput by %1% on average (100% would be perfect); beyond it, by %2%.")
                           : QCoreApplication::translate("ts::Sweep", "Concurrency efficiency: up to the knee, each doubling of concurrency raised output throughput by %1% on average (100% would be perfect); beyond it, by %2%."))
                         .arg(before, num(*v.gainPerDoublingAfterKneePercent, 0));
        } else if (v.kneeLevel) {
            lines << (rate ? QCoreApplication::translate("ts::Sweep", "Scaling: up to the knee, each doubling of the request rate raised output throughput by %1% on average (100% would be perfect).")
                           : QCoreApplication::translate("ts::Sweep", "Concurrency efficiency: up to the knee, each doubling of concurrency raised output throughput by %1% on average (100% would be perfect)."))
                         .arg(before);
        } else {
            lines << (rate ? QCoreApplication::translate("ts::Sweep", "Scaling: each doubling of the request rate raised output throughput by %1% on average (100% would be perfect).")
                           : QCoreApplication::translate("ts::Sweep", "Concurrency efficiency: each doubling of concurrency raised output throughput by %1% on average (100% would be perfect)."))
                         .arg(before);
        }
    }

    if (!v.limits.empty()) {
        const SweepLimitHit &first = v.limits.front();
        lines << firstLimitSentence(v, first, levelAt(levels, first.levelIndex));
    } else if (v.evaluatedLevels > 0) {
        lines << QCoreApplication::translate("ts::Sweep", "No limit was reached.");
    }
    return lines.join(u'\n');
}

} // namespace ts
