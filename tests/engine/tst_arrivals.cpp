#include "load/arrivals.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <numeric>

using namespace ts;

class TestArrivals : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void infiniteRateReleasesAllAtOnce();
    void sameSeedSameTimes();
    void rateAndBurstiness_data();
    void rateAndBurstiness();
    void streamContinuesArrivalTimes();
    void rampUpRateMovesFromStartToEnd_data();
    void rampUpRateMovesFromStartToEnd();
    void rampFollowsItsRate_data();
    void rampFollowsItsRate();
    void rampSameSeedSameTimes();
    void exponentialRampStaysSlowLonger();
    void rampUpValidation_data();
    void rampUpValidation();
    void durationValidation_data();
    void durationValidation();
};

namespace {

LoadConfig ramp(RampUpStrategy strategy, int start, int end, double burstiness = 1.0, std::uint64_t seed = 0)
{
    LoadConfig load;
    load.rampUpStrategy = strategy;
    load.rampUpStartRps = start;
    load.rampUpEndRps = end;
    load.burstiness = burstiness;
    load.seed = seed;
    return load;
}

BenchmarkConfig runnable()
{
    BenchmarkConfig config;
    config.target.model = QStringLiteral("m");
    return config;
}

} // namespace

void TestArrivals::infiniteRateReleasesAllAtOnce()
{
    const auto times = arrivalTimes(50, std::numeric_limits<double>::infinity(), 1.0, 0);
    QCOMPARE(times.size(), std::size_t(50));
    for (double t : times)
        QCOMPARE(t, 0.0);
}

void TestArrivals::sameSeedSameTimes()
{
    QCOMPARE(arrivalTimes(100, 5.0, 0.5, 42), arrivalTimes(100, 5.0, 0.5, 42));
    QVERIFY(arrivalTimes(100, 5.0, 0.5, 42) != arrivalTimes(100, 5.0, 0.5, 43));
}

void TestArrivals::rateAndBurstiness_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("burstiness");
    QTest::addRow("poisson 10/s") << 10.0 << 1.0;
    QTest::addRow("bursty 4/s") << 4.0 << 0.25;
    QTest::addRow("regular 50/s") << 50.0 << 8.0;
}

// Gaps of Gamma(b, 1/(r b)) have mean 1/r and coefficient of variation 1/sqrt(b). With 20,000
// gaps the sample mean is within 4 standard errors of the truth with near certainty, and the
// same seed makes the check repeatable.
void TestArrivals::rateAndBurstiness()
{
    QFETCH(double, rate);
    QFETCH(double, burstiness);
    constexpr int n = 20000;
    const auto times = arrivalTimes(n, rate, burstiness, 7);
    QVERIFY(times.front() > 0.0); // the first gap is drawn too
    std::vector<double> gaps(n);
    std::adjacent_difference(times.begin(), times.end(), gaps.begin());
    for (double g : gaps)
        QVERIFY(g >= 0.0);
    const double mean = std::accumulate(gaps.begin(), gaps.end(), 0.0) / n;
    double var = 0;
    for (double g : gaps)
        var += (g - mean) * (g - mean);
    var /= n;
    const double cv = std::sqrt(var) / mean;

    const double trueMean = 1.0 / rate;
    const double trueCv = 1.0 / std::sqrt(burstiness);
    const double standardError = trueMean * trueCv / std::sqrt(double(n));
    QVERIFY2(std::abs(mean - trueMean) < 4 * standardError,
             qPrintable(QStringLiteral("mean gap %1 vs %2").arg(mean).arg(trueMean)));
    QVERIFY2(std::abs(cv - trueCv) < 0.05 * trueCv,
             qPrintable(QStringLiteral("coefficient of variation %1 vs %2").arg(cv).arg(trueCv)));
}

// A timed run draws its arrivals one by one; they are the same as a counted run's.
void TestArrivals::streamContinuesArrivalTimes()
{
    ArrivalStream stream(5.0, 0.5, 42);
    for (double expected : arrivalTimes(200, 5.0, 0.5, 42))
        QCOMPARE(stream.next(), expected);
    ArrivalStream unlimited(std::numeric_limits<double>::infinity(), 1.0, 1);
    QCOMPARE(unlimited.next(), 0.0);
}

void TestArrivals::rampUpRateMovesFromStartToEnd_data()
{
    QTest::addColumn<int>("strategy");
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("rate");
    QTest::addRow("linear first") << int(RampUpStrategy::Linear) << 0 << 101 << 1.0;
    QTest::addRow("linear middle") << int(RampUpStrategy::Linear) << 50 << 101 << 50.5;
    QTest::addRow("linear last") << int(RampUpStrategy::Linear) << 100 << 101 << 100.0;
    QTest::addRow("exponential first") << int(RampUpStrategy::Exponential) << 0 << 101 << 1.0;
    QTest::addRow("exponential middle") << int(RampUpStrategy::Exponential) << 50 << 101 << 10.0;
    QTest::addRow("exponential last") << int(RampUpStrategy::Exponential) << 100 << 101 << 100.0;
    // vLLM divides by max(n - 1, 1): a single request goes at the start rate.
    QTest::addRow("one request") << int(RampUpStrategy::Linear) << 0 << 1 << 1.0;
}

void TestArrivals::rampUpRateMovesFromStartToEnd()
{
    QFETCH(int, strategy);
    QFETCH(int, index);
    QFETCH(int, count);
    QFETCH(double, rate);
    const double got = rampUpRate(ramp(RampUpStrategy(strategy), 1, 100), index, count);
    QVERIFY2(std::abs(got - rate) < 1e-9, qPrintable(QString::number(got)));
}

void TestArrivals::rampFollowsItsRate_data()
{
    QTest::addColumn<int>("strategy");
    QTest::addColumn<double>("burstiness");
    QTest::addRow("linear poisson") << int(RampUpStrategy::Linear) << 1.0;
    QTest::addRow("exponential poisson") << int(RampUpStrategy::Exponential) << 1.0;
    QTest::addRow("linear bursty") << int(RampUpStrategy::Linear) << 0.5;
    QTest::addRow("exponential regular") << int(RampUpStrategy::Exponential) << 4.0;
}

// Request i's gap is Gamma(b, 1/(r_i b)): mean 1/r_i, variance 1/(r_i^2 b). Over each tenth of
// a 20,000-request ramp the mean gap is within 4 standard errors of the mean of 1/r_i there.
void TestArrivals::rampFollowsItsRate()
{
    QFETCH(int, strategy);
    QFETCH(double, burstiness);
    constexpr int n = 20000;
    constexpr int segments = 10;
    const LoadConfig load = ramp(RampUpStrategy(strategy), 2, 200, burstiness, 11);
    const auto times = arrivalTimes(load, n);
    QCOMPARE(int(times.size()), n);
    QVERIFY(times.front() > 0.0);
    double previousMeanGap = std::numeric_limits<double>::infinity();
    for (int s = 0; s < segments; ++s) {
        const int first = s * n / segments;
        const int last = (s + 1) * n / segments;
        double expected = 0.0;
        double variance = 0.0;
        for (int i = first; i < last; ++i) {
            const double r = rampUpRate(load, i, n);
            expected += 1.0 / r;
            variance += 1.0 / (r * r * burstiness);
        }
        const double before = first == 0 ? 0.0 : times[std::size_t(first - 1)];
        const double span = times[std::size_t(last - 1)] - before;
        const double count = last - first;
        QVERIFY2(std::abs(span - expected) < 4 * std::sqrt(variance),
                 qPrintable(QStringLiteral("segment %1: %2 s vs %3 s").arg(s).arg(span).arg(expected)));
        // The rate only rises, so the mean gap only shrinks.
        QVERIFY(span / count < previousMeanGap);
        previousMeanGap = span / count;
    }
}

void TestArrivals::rampSameSeedSameTimes()
{
    const LoadConfig a = ramp(RampUpStrategy::Linear, 1, 30, 1.0, 5);
    QCOMPARE(arrivalTimes(a, 500), arrivalTimes(a, 500));
    QVERIFY(arrivalTimes(a, 500) != arrivalTimes(ramp(RampUpStrategy::Linear, 1, 30, 1.0, 6), 500));
    // Without a ramp the config form gives the plain constant-rate times.
    LoadConfig constant;
    constant.requestRate = 7.0;
    constant.burstiness = 2.0;
    constant.seed = 3;
    QCOMPARE(arrivalTimes(constant, 300), arrivalTimes(300, 7.0, 2.0, 3));
}

// From 1 to 100 req/s, the exponential ramp is at 10 req/s halfway, the linear one at 50.5:
// with the same draws, every exponential gap is at least as long, and the run much longer.
void TestArrivals::exponentialRampStaysSlowLonger()
{
    constexpr int n = 1001;
    const auto linear = arrivalTimes(ramp(RampUpStrategy::Linear, 1, 100, 1.0, 9), n);
    const auto exponential = arrivalTimes(ramp(RampUpStrategy::Exponential, 1, 100, 1.0, 9), n);
    for (int i = 1; i < n; ++i) {
        const std::size_t k = std::size_t(i);
        QVERIFY(exponential[k] - exponential[k - 1] >= linear[k] - linear[k - 1] - 1e-12);
    }
    QCOMPARE(exponential.front(), linear.front()); // both start at 1 req/s
    QVERIFY2(exponential.back() > 2.0 * linear.back(),
             qPrintable(QStringLiteral("%1 s vs %2 s").arg(exponential.back()).arg(linear.back())));
}

void TestArrivals::rampUpValidation_data()
{
    QTest::addColumn<int>("strategy");
    QTest::addColumn<int>("start");   // -1: not given
    QTest::addColumn<int>("end");
    QTest::addColumn<double>("rate");
    QTest::addColumn<bool>("valid");
    constexpr double inf = std::numeric_limits<double>::infinity();
    const int linear = int(RampUpStrategy::Linear);
    const int exponential = int(RampUpStrategy::Exponential);
    QTest::addRow("linear") << linear << 1 << 10 << inf << true;
    QTest::addRow("exponential") << exponential << 2 << 50 << inf << true;
    QTest::addRow("constant ramp") << linear << 5 << 5 << inf << true;
    QTest::addRow("with a request rate") << linear << 1 << 10 << 5.0 << false;
    QTest::addRow("no start") << linear << -1 << 10 << inf << false;
    QTest::addRow("no end") << linear << 1 << -1 << inf << false;
    QTest::addRow("negative") << linear << -3 << 10 << inf << false;
    QTest::addRow("start above end") << linear << 10 << 1 << inf << false;
    QTest::addRow("exponential from 0") << exponential << 0 << 10 << inf << false;
    QTest::addRow("linear from 0") << linear << 0 << 10 << inf << false;
    QTest::addRow("rates without a strategy") << int(RampUpStrategy::None) << 1 << 10 << inf << false;
}

void TestArrivals::rampUpValidation()
{
    QFETCH(int, strategy);
    QFETCH(int, start);
    QFETCH(int, end);
    QFETCH(double, rate);
    QFETCH(bool, valid);
    BenchmarkConfig config = runnable();
    QVERIFY(validationError(config).isEmpty());
    config.load.rampUpStrategy = RampUpStrategy(strategy);
    if (start != -1)
        config.load.rampUpStartRps = start;
    if (end != -1)
        config.load.rampUpEndRps = end;
    config.load.requestRate = rate;
    QCOMPARE(validationError(config).isEmpty(), valid);
}

void TestArrivals::durationValidation_data()
{
    QTest::addColumn<double>("duration");
    QTest::addColumn<bool>("cancel");
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("concurrency");
    QTest::addColumn<bool>("valid");
    constexpr double inf = std::numeric_limits<double>::infinity();
    QTest::addRow("finite rate") << 1.5 << false << 4.0 << 0 << true;
    QTest::addRow("concurrency, cancel") << 1.5 << true << inf << 4 << true;
    QTest::addRow("endless burst") << 1.5 << false << inf << 0 << false;
    QTest::addRow("negative") << -1.0 << false << 4.0 << 0 << false;
    QTest::addRow("cancel without duration") << 0.0 << true << 4.0 << 0 << false;
}

void TestArrivals::durationValidation()
{
    QFETCH(double, duration);
    QFETCH(bool, cancel);
    QFETCH(double, rate);
    QFETCH(int, concurrency);
    QFETCH(bool, valid);
    BenchmarkConfig config = runnable();
    config.load.durationS = duration;
    config.load.durationCancel = cancel;
    config.load.requestRate = rate;
    config.load.maxConcurrency = concurrency;
    QCOMPARE(validationError(config).isEmpty(), valid);
    // A ramp moves over a known number of requests: a timed run has none.
    if (valid && !config.load.hasFiniteRate()) {
        config.load.rampUpStrategy = RampUpStrategy::Linear;
        config.load.rampUpStartRps = 1;
        config.load.rampUpEndRps = 2;
        QVERIFY(!validationError(config).isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestArrivals)
#include "tst_arrivals.moc"
