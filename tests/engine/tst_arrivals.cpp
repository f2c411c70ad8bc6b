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
};

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

QTEST_GUILESS_MAIN(TestArrivals)
#include "tst_arrivals.moc"
