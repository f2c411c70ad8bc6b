#include "views/exercises.h"

#include "metrics/statistics.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

QString number(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

QString seconds(double s) { return number(s, 1); }
QString millis(double ms) { return number(ms, 0); }

// The first number in what the user typed ("#7", "1,200 ms", "about 4"), read in the user's
// locale first and then with a dot as the decimal separator.
std::optional<double> typedNumber(const QString &typed)
{
    static const QRegularExpression re(QStringLiteral("[-+]?\\d[\\d.,\\s]*"));
    const QRegularExpressionMatch m = re.match(typed);
    if (!m.hasMatch())
        return std::nullopt;
    QString digits = m.captured().trimmed();
    bool ok = false;
    const double local = QLocale().toDouble(digits, &ok);
    if (ok)
        return local;
    digits.remove(QLatin1Char(' '));
    digits.replace(QLatin1Char(','), QLatin1Char('.'));
    const double c = digits.toDouble(&ok);
    return ok ? std::optional<double>(c) : std::nullopt;
}

bool near(double typed, double actual, double fraction, double absolute)
{
    return std::abs(typed - actual) <= std::max(fraction * std::abs(actual), absolute);
}

ExerciseAnswer missing(const QString &text, const QString &tab)
{
    ExerciseAnswer a;
    a.text = text;
    a.tab = tab;
    return a;
}

ExerciseAnswer noRun()
{
    return missing(QCoreApplication::translate("ts::Exercises", "There is no finished run yet: set the step's values and start a run."),
                   QStringLiteral("summary"));
}

ExerciseAnswer noSweep()
{
    return missing(QCoreApplication::translate("ts::Exercises", "There is no finished sweep yet: set the step's values and start the sweep."),
                   QStringLiteral("sweep"));
}

QString ratingText(Rating r)
{
    return ratingName(r);
}

// The latest runs of the two configurations tried last, oldest first: the comparison the user
// just made, not every run of the session.
std::vector<ResultDocument> latestPerConfiguration(const std::vector<ResultDocument> &runs)
{
    std::vector<ResultDocument> picked;
    QStringList names;
    for (auto it = runs.rbegin(); it != runs.rend() && picked.size() < 2; ++it) {
        const QString name = configurationName(it->run.config);
        if (names.contains(name) || it->metrics.completed == 0)
            continue;
        names << name;
        picked.insert(picked.begin(), *it);
    }
    return picked;
}

} // namespace

std::vector<Exercise> exercises()
{
    ExerciseSettings tenAtOnce;
    tenAtOnce.numPrompts = 10;
    tenAtOnce.maxConcurrency = 0;

    ExerciseSettings fourSlots = tenAtOnce;
    fourSlots.maxConcurrency = 4;

    ExerciseSettings sweep;
    sweep.kind = ExerciseSettings::Kind::ConcurrencySweep;
    sweep.outputLen = 16;
    sweep.sweepLevels = { 1, 2, 4, 8 };

    ExerciseSettings lowConcurrency;
    lowConcurrency.outputLen = 16;
    lowConcurrency.numPrompts = 12;
    lowConcurrency.maxConcurrency = 2;
    ExerciseSettings highConcurrency = lowConcurrency;
    highConcurrency.maxConcurrency = 8;

    std::vector<Exercise> list;

    Exercise basics;
    basics.id = QStringLiteral("basics");
    basics.title = QCoreApplication::translate("ts::Exercises", "Exercise 1: A first test");
    basics.goal = QCoreApplication::translate("ts::Exercises", "Send 10 requests to a slow server and read TTFT and TPOT from your own run.");
    basics.steps.push_back({
        QCoreApplication::translate("ts::Exercises", "Ten requests at once"),
        QCoreApplication::translate("ts::Exercises", "Use the built-in classroom server (4 slots): 10 requests of 128 input and 24 output tokens, all sent at once with no concurrency limit. Then start the run."),
        QCoreApplication::translate("ts::Exercises", "In the timeline, four requests get their first token after about a second and stream a token every 200 ms or so. The others wait for a free slot before their first token."),
        QCoreApplication::translate("ts::Exercises", "Which request had the longest TTFT, and why?"),
        QCoreApplication::translate("ts::Exercises", "Request number"),
        ExerciseQuestion::LongestTtftRequest, tenAtOnce, QStringLiteral("timeline") });
    basics.steps.push_back({
        QCoreApplication::translate("ts::Exercises", "At most four at once"),
        QCoreApplication::translate("ts::Exercises", "Run the same 10 requests again, but with at most 4 in flight, as many as the server has slots."),
        QCoreApplication::translate("ts::Exercises", "In the summary: the mean TTFT and TPOT and their ratings. Requests now wait on the client (queue time) instead of on the server, so TTFT is shorter."),
        QCoreApplication::translate("ts::Exercises", "What was the mean TTFT in milliseconds, and how does it rate?"),
        QCoreApplication::translate("ts::Exercises", "Milliseconds"),
        ExerciseQuestion::MeanTtft, fourSlots, QStringLiteral("summary") });
    list.push_back(basics);

    Exercise load;
    load.id = QStringLiteral("load");
    load.title = QCoreApplication::translate("ts::Exercises", "Exercise 2: Load test");
    load.goal = QCoreApplication::translate("ts::Exercises", "Raise the load step by step and find where the server stops keeping up: the knee.");
    load.steps.push_back({
        QCoreApplication::translate("ts::Exercises", "Concurrency sweep"),
        QCoreApplication::translate("ts::Exercises", "Run a concurrency sweep on the classroom server over 1, 2, 4 and 8 requests at once, with twice as many requests as the level."),
        QCoreApplication::translate("ts::Exercises", "In the sweep view: the output throughput per level, and how TTFT grows once the level passes the server's 4 slots."),
        QCoreApplication::translate("ts::Exercises", "Where is the knee: from which concurrency on does the throughput stop growing?"),
        QCoreApplication::translate("ts::Exercises", "Concurrency"),
        ExerciseQuestion::KneeLevel, sweep, QStringLiteral("sweep") });
    load.steps.push_back({
        QCoreApplication::translate("ts::Exercises", "The setting to keep"),
        QCoreApplication::translate("ts::Exercises", "Look at the same sweep again."),
        QCoreApplication::translate("ts::Exercises", "The verdict under the sweep chart: the highest stable level and the rule the next level broke."),
        QCoreApplication::translate("ts::Exercises", "What is the highest stable concurrency, the one to write down as the best setting?"),
        QCoreApplication::translate("ts::Exercises", "Concurrency"),
        ExerciseQuestion::MaxStableLevel, std::nullopt, QStringLiteral("sweep") });
    list.push_back(load);

    Exercise tuning;
    tuning.id = QStringLiteral("tuning");
    tuning.title = QCoreApplication::translate("ts::Exercises", "Exercise 3: Compare configurations");
    tuning.goal = QCoreApplication::translate("ts::Exercises", "Run the same workload with two settings and weigh throughput against waiting time.");
    tuning.steps.push_back({
        QCoreApplication::translate("ts::Exercises", "Concurrency 2"),
        QCoreApplication::translate("ts::Exercises", "Run 12 requests on the classroom server with at most 2 in flight."),
        QCoreApplication::translate("ts::Exercises", "In the summary: the output throughput and the p99 TTFT."),
        QCoreApplication::translate("ts::Exercises", "What output throughput did this run reach, in tokens per second?"),
        QCoreApplication::translate("ts::Exercises", "Tokens per second"),
        ExerciseQuestion::OutputThroughput, lowConcurrency, QStringLiteral("summary") });
    tuning.steps.push_back({
        QCoreApplication::translate("ts::Exercises", "Concurrency 8"),
        QCoreApplication::translate("ts::Exercises", "Run the same 12 requests with at most 8 in flight, twice the server's slots."),
        QCoreApplication::translate("ts::Exercises", "In the comparison: output throughput and p99 TTFT of both runs side by side."),
        QCoreApplication::translate("ts::Exercises", "Which concurrency gave the higher output throughput? Which one had the lower p99 TTFT?"),
        QCoreApplication::translate("ts::Exercises", "Concurrency with more throughput"),
        ExerciseQuestion::HigherThroughputConfig, highConcurrency, QStringLiteral("compare") });
    list.push_back(tuning);
    return list;
}

int inFlightAtSend(const std::vector<RequestRecord> &records, std::size_t i)
{
    const RequestRecord &r = records[i];
    int n = 0;
    for (std::size_t j = 0; j < records.size(); ++j) {
        const RequestRecord &o = records[j];
        if (j == i)
            continue;
        const bool sentBefore = o.startTime < r.startTime || (o.startTime == r.startTime && o.index < r.index);
        if (sentBefore && o.startTime + o.latency > r.startTime)
            ++n;
    }
    return n;
}

std::optional<LongestTtft> longestTtft(const std::vector<RequestRecord> &records)
{
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (records[i].success && (!best || records[i].ttft > records[*best].ttft))
            best = i;
    }
    if (!best)
        return std::nullopt;
    const RequestRecord &r = records[*best];
    LongestTtft l;
    l.recordIndex = int(*best);
    l.requestNumber = r.index;
    l.ttft = r.ttft;
    l.queueTime = r.queueTime;
    l.inFlightAtSend = inFlightAtSend(records, *best);
    return l;
}

QString longestTtftExplanation(const LongestTtft &longest, std::optional<int> serverSlots)
{
    const QString request = QString::number(longest.requestNumber);
    QString text;
    if (serverSlots && longest.inFlightAtSend >= *serverSlots) {
        text = QCoreApplication::translate("ts::Exercises", "Request #%1 waited %2 s for its first token: %n request(s) were already in flight when it was sent, and the server has %3 slots, so it queued until one was free.",
                  nullptr, longest.inFlightAtSend)
                   .arg(request, seconds(longest.ttft))
                   .arg(*serverSlots);
    } else if (serverSlots) {
        text = QCoreApplication::translate("ts::Exercises", "Request #%1 waited %2 s for its first token. %n other request(s) were in flight when it was sent, fewer than the server's %3 slots: it shared the prefill and decode steps with them.",
                  nullptr, longest.inFlightAtSend)
                   .arg(request, seconds(longest.ttft))
                   .arg(*serverSlots);
    } else {
        text = QCoreApplication::translate("ts::Exercises", "Request #%1 waited %2 s for its first token; %n other request(s) were in flight when it was sent.",
                  nullptr, longest.inFlightAtSend)
                   .arg(request, seconds(longest.ttft));
    }
    if (longest.queueTime >= 0.01) {
        text += QLatin1Char(' ')
            + QCoreApplication::translate("ts::Exercises", "Before it was sent, it waited %1 s on the client for a concurrency slot; TTFT does not count that.")
                  .arg(seconds(longest.queueTime));
    }
    return text;
}

RunRatings rateRun(const BenchmarkMetrics &metrics, const RatingThresholds &thresholds)
{
    RunRatings r;
    r.meanTtftMs = metrics.ttftMs.mean;
    r.meanTpotMs = metrics.tpotMs.mean;
    r.ttft = rateTtft(r.meanTtftMs, thresholds);
    r.tpot = rateTpot(r.meanTpotMs, thresholds);
    return r;
}

QString runRatingsText(const RunRatings &ratings, const RatingThresholds &t)
{
    return QCoreApplication::translate("ts::Exercises", "Mean TTFT %1 ms: %2. Mean TPOT %3 ms: %4. The guide's limits: TTFT below %5 ms is excellent and below %6 ms good; TPOT below %7 ms is excellent and below %8 ms good.")
        .arg(millis(ratings.meanTtftMs), ratingText(ratings.ttft), millis(ratings.meanTpotMs),
             ratingText(ratings.tpot), millis(t.ttftExcellentMs), millis(t.ttftGoodMs),
             millis(t.tpotExcellentMs), millis(t.tpotGoodMs));
}

bool withinOneLevel(const std::vector<double> &levels, double typed, double target)
{
    const auto position = [&](double v) {
        const auto it = std::find_if(levels.begin(), levels.end(),
                                     [v](double l) { return std::abs(l - v) < 1e-9; });
        return it == levels.end() ? -1 : int(it - levels.begin());
    };
    const int t = position(target);
    const int y = position(typed);
    if (t < 0 || y < 0)
        return std::abs(typed - target) < 1e-9;
    return std::abs(t - y) <= 1;
}

QString configurationName(const BenchmarkConfig &config)
{
    QString name = config.load.maxConcurrency > 0
        ? QCoreApplication::translate("ts::Exercises", "concurrency %1").arg(config.load.maxConcurrency)
        : QCoreApplication::translate("ts::Exercises", "no concurrency limit");
    if (config.load.hasFiniteRate())
        name += QCoreApplication::translate("ts::Exercises", ", %1 requests/s").arg(number(config.load.requestRate, 1));
    return name;
}

double p99TtftMs(const ResultDocument &doc)
{
    std::vector<double> ttfts;
    for (const RequestRecord &r : doc.run.records) {
        if (r.success)
            ttfts.push_back(r.ttft * 1000.0);
    }
    if (ttfts.empty())
        return doc.metrics.ttftMs.valueAt(99.0).value_or(doc.metrics.ttftMs.mean);
    std::sort(ttfts.begin(), ttfts.end());
    return percentile(ttfts, 99.0);
}

std::optional<ConfigurationComparison> compareConfigurations(const std::vector<ResultDocument> &runs)
{
    if (runs.size() < 2)
        return std::nullopt;
    ConfigurationComparison c;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        c.names.push_back(configurationName(runs[i].run.config));
        c.outputThroughput.push_back(runs[i].metrics.outputThroughput);
        c.p99TtftMs.push_back(p99TtftMs(runs[i]));
        if (c.higherThroughput < 0 || c.outputThroughput[i] > c.outputThroughput[std::size_t(c.higherThroughput)])
            c.higherThroughput = int(i);
        if (c.lowerP99Ttft < 0 || c.p99TtftMs[i] < c.p99TtftMs[std::size_t(c.lowerP99Ttft)])
            c.lowerP99Ttft = int(i);
    }
    return c;
}

QString comparisonText(const ConfigurationComparison &c)
{
    const auto t = std::size_t(c.higherThroughput);
    const auto l = std::size_t(c.lowerP99Ttft);
    if (t == l) {
        return QCoreApplication::translate("ts::Exercises", "%1 gave both the higher output throughput (%2 tokens/s) and the lower p99 TTFT (%3 ms): no trade-off between these settings.")
            .arg(c.names[t], number(c.outputThroughput[t], 1), millis(c.p99TtftMs[t]));
    }
    return QCoreApplication::translate("ts::Exercises", "%1 gave the higher output throughput (%2 against %3 tokens/s), %4 the lower p99 TTFT (%5 against %6 ms). The trade-off: more requests at once keep the server busier, but each user waits longer for the first token.")
        .arg(c.names[t], number(c.outputThroughput[t], 1), number(c.outputThroughput[l], 1), c.names[l],
             millis(c.p99TtftMs[l]), millis(c.p99TtftMs[t]));
}

ExerciseAnswer answerFrom(ExerciseQuestion question, const ExerciseEvidence &evidence)
{
    ExerciseAnswer a;
    switch (question) {
    case ExerciseQuestion::LongestTtftRequest: {
        const ResultDocument *doc = evidence.lastRun();
        if (!doc)
            return noRun();
        const std::optional<LongestTtft> longest = longestTtft(doc->run.records);
        if (!longest)
            return missing(QCoreApplication::translate("ts::Exercises", "Your last run has no successful request."), QStringLiteral("timeline"));
        a.text = longestTtftExplanation(*longest, evidence.serverSlots);
        a.recordIndex = longest->recordIndex;
        a.tab = QStringLiteral("timeline");
        break;
    }
    case ExerciseQuestion::MeanTtft: {
        const ResultDocument *doc = evidence.lastRun();
        if (!doc)
            return noRun();
        if (doc->metrics.completed == 0)
            return missing(QCoreApplication::translate("ts::Exercises", "Your last run has no successful request."), QStringLiteral("summary"));
        a.text = runRatingsText(rateRun(doc->metrics));
        a.tab = QStringLiteral("summary");
        break;
    }
    case ExerciseQuestion::KneeLevel:
    case ExerciseQuestion::MaxStableLevel: {
        if (!evidence.sweep)
            return noSweep();
        const SweepVerdict &v = evidence.sweep->verdict;
        a.tab = QStringLiteral("sweep");
        if (question == ExerciseQuestion::KneeLevel) {
            if (!v.kneeLevel || !v.peakOutputThroughput || !v.peakAtLevel)
                return missing(QCoreApplication::translate("ts::Exercises", "Your sweep found no knee: the throughput still grew at its last level. Add a higher level and sweep again."),
                               a.tab);
            a.text = QCoreApplication::translate("ts::Exercises", "The knee is at %1: the lowest level that reached 90% of the peak throughput (%2 tokens/s at %3). Above it, more requests at once only wait longer.")
                         .arg(sweepLevelPhrase(v.mode, *v.kneeLevel), number(*v.peakOutputThroughput, 1),
                              sweepLevelPhrase(v.mode, *v.peakAtLevel));
        } else {
            if (!v.maxStableLevel)
                return missing(QCoreApplication::translate("ts::Exercises", "No level of your sweep was stable: even the first one broke a rule."), a.tab);
            const QString level = sweepLevelPhrase(v.mode, *v.maxStableLevel);
            if (v.stopReason == QLatin1String("completed"))
                a.text = QCoreApplication::translate("ts::Exercises", "The highest stable level is %1: every level of the sweep kept to the rules.").arg(level);
            else if (v.stopReason == QLatin1String("stopped") || v.stopReason == QLatin1String("error"))
                a.text = QCoreApplication::translate("ts::Exercises", "The highest stable level so far is %1; the sweep ended before a rule was broken.").arg(level);
            else
                a.text = QCoreApplication::translate("ts::Exercises", "The highest stable level is %1: the next level broke %2.").arg(level, sweepLimitName(v.stopReason));
        }
        break;
    }
    case ExerciseQuestion::OutputThroughput: {
        const ResultDocument *doc = evidence.lastRun();
        if (!doc)
            return noRun();
        a.text = QCoreApplication::translate("ts::Exercises", "Your last run (%1) reached %2 output tokens/s and %3 requests/s; its p99 TTFT was %4 ms.")
                     .arg(configurationName(doc->run.config), number(doc->metrics.outputThroughput, 1),
                          number(doc->metrics.requestThroughput, 2), millis(p99TtftMs(*doc)));
        a.tab = QStringLiteral("summary");
        break;
    }
    case ExerciseQuestion::HigherThroughputConfig: {
        const std::optional<ConfigurationComparison> c = compareConfigurations(latestPerConfiguration(evidence.runs));
        if (!c)
            return missing(QCoreApplication::translate("ts::Exercises", "Run the workload with at least two different settings first."), QStringLiteral("compare"));
        a.text = comparisonText(*c);
        a.tab = QStringLiteral("compare");
        break;
    }
    }
    a.available = true;
    return a;
}

ExerciseAnswer checkAnswer(ExerciseQuestion question, const QString &typed, const ExerciseEvidence &evidence)
{
    ExerciseAnswer a = answerFrom(question, evidence);
    if (!a.available)
        return a;
    const std::optional<double> value = typedNumber(typed);
    if (!value) {
        a.text = QCoreApplication::translate("ts::Exercises", "Type a number first.");
        a.recordIndex = -1;
        return a;
    }
    const QString right = QCoreApplication::translate("ts::Exercises", "Right.") + QLatin1Char(' ');
    switch (question) {
    case ExerciseQuestion::LongestTtftRequest: {
        const std::vector<RequestRecord> &records = evidence.lastRun()->run.records;
        const auto it = std::find_if(records.begin(), records.end(), [&](const RequestRecord &r) {
            return r.success && double(r.index) == *value;
        });
        if (it == records.end()) {
            a.text = QCoreApplication::translate("ts::Exercises", "Your last run has no successful request #%1.").arg(typed.trimmed());
            a.recordIndex = -1;
            return a;
        }
        const LongestTtft longest = *longestTtft(records);
        // Requests released together wait about as long: any of the last group is right.
        a.correct = it->ttft >= 0.95 * longest.ttft;
        if (a.correct) {
            a.text = right + a.text;
        } else {
            a.text = QCoreApplication::translate("ts::Exercises", "Not quite: request #%1 waited %2 s for its first token. Look for a longer wait in the timeline.")
                         .arg(QString::number(it->index), seconds(it->ttft));
            a.recordIndex = int(it - records.begin());
        }
        return a;
    }
    case ExerciseQuestion::MeanTtft:
        a.correct = near(*value, evidence.lastRun()->metrics.ttftMs.mean, 0.1, 20.0);
        break;
    case ExerciseQuestion::KneeLevel:
    case ExerciseQuestion::MaxStableLevel: {
        const SweepVerdict &v = evidence.sweep->verdict;
        const double target = question == ExerciseQuestion::KneeLevel ? *v.kneeLevel : *v.maxStableLevel;
        a.correct = withinOneLevel(evidence.sweep->config.levels, *value, target);
        break;
    }
    case ExerciseQuestion::OutputThroughput:
        a.correct = near(*value, evidence.lastRun()->metrics.outputThroughput, 0.1, 0.5);
        break;
    case ExerciseQuestion::HigherThroughputConfig: {
        const std::vector<ResultDocument> runs = latestPerConfiguration(evidence.runs);
        const ConfigurationComparison c = *compareConfigurations(runs);
        a.correct = double(runs[std::size_t(c.higherThroughput)].run.config.load.maxConcurrency) == *value;
        break;
    }
    }
    if (a.correct)
        a.text = right + a.text;
    else
        a.text = QCoreApplication::translate("ts::Exercises", "Not quite. Look again at the view this step points to, or show the answer from your run.");
    return a;
}

} // namespace ts
