#include "metrics/statistics.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace ts;

namespace {

bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

} // namespace

class TestStatistics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void percentile_data();
    void percentile();
    void emptyReportsZero();
    void populationStd();
    void median_data();
    void median();
    void summaryOrder();
    void pairwiseSum();
    void scaled();
    void pythonFloatRepr_data();
    void pythonFloatRepr();
    void percentileName_data();
    void percentileName();
};

// Expected values: numpy's linear method by hand, index = p/100 * (n-1),
// value = s[floor] + (s[floor+1] - s[floor]) * fraction.
void TestStatistics::percentile_data()
{
    QTest::addColumn<std::vector<double>>("sorted");
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("expected");

    const std::vector<double> five {15, 20, 35, 40, 50};
    QTest::addRow("p0 is the minimum") << five << 0.0 << 15.0;
    QTest::addRow("p100 is the maximum") << five << 100.0 << 50.0;
    QTest::addRow("p50 on an element") << five << 50.0 << 35.0;
    QTest::addRow("p25 on an element") << five << 25.0 << 20.0;
    QTest::addRow("p40 interpolates") << five << 40.0 << 29.0;            // idx 1.6: 20 + 15*0.6
    QTest::addRow("p99.9 interpolates") << five << 99.9 << 49.96;         // idx 3.996: 40 + 10*0.996
    QTest::addRow("p99 of four") << std::vector<double> {1, 2, 3, 4} << 99.0 << 3.97;   // idx 2.97
    QTest::addRow("p10 of two") << std::vector<double> {10, 20} << 10.0 << 11.0;
    QTest::addRow("single value") << std::vector<double> {7} << 99.0 << 7.0;
    QTest::addRow("empty") << std::vector<double> {} << 99.0 << 0.0;
}

void TestStatistics::percentile()
{
    QFETCH(std::vector<double>, sorted);
    QFETCH(double, p);
    QFETCH(double, expected);
    const double got = ts::percentile(sorted, p);
    QVERIFY2(near(got, expected), qPrintable(QString::number(got, 'g', 17)));
}

void TestStatistics::emptyReportsZero()
{
    const MetricSummary s = summarize({}, {50.0, 99.0});
    QCOMPARE(s.count, 0);
    QCOMPARE(s.mean, 0.0);
    QCOMPARE(s.median, 0.0);
    QCOMPARE(s.std, 0.0);
    QCOMPARE(s.percentiles.size(), std::size_t(2));
    QCOMPARE(s.percentiles[0].first, 50.0);
    QCOMPARE(s.percentiles[0].second, 0.0);
    QCOMPARE(s.percentiles[1].second, 0.0);
}

void TestStatistics::populationStd()
{
    // Mean 5, squared deviations sum to 32 over 8 values: population std 2 (sample std would be 2.138).
    const MetricSummary s = summarize({2, 4, 4, 4, 5, 5, 7, 9}, {});
    QCOMPARE(s.count, 8);
    QVERIFY(near(s.mean, 5.0));
    QVERIFY(near(s.std, 2.0));
}

void TestStatistics::median_data()
{
    QTest::addColumn<std::vector<double>>("values");
    QTest::addColumn<double>("expected");
    QTest::addRow("odd, unsorted") << std::vector<double> {9, 1, 5} << 5.0;
    QTest::addRow("even averages the middle two") << std::vector<double> {4, 1, 3, 2} << 2.5;
    QTest::addRow("one") << std::vector<double> {3} << 3.0;
}

void TestStatistics::median()
{
    QFETCH(std::vector<double>, values);
    QFETCH(double, expected);
    QVERIFY(near(summarize(values, {}).median, expected));
}

void TestStatistics::summaryOrder()
{
    // Percentiles come back in the order asked, on sorted data: 100,200,50,300 -> 50,100,200,300.
    const MetricSummary s = summarize({100, 200, 50, 300}, {99.0, 50.0});
    QCOMPARE(s.percentiles.size(), std::size_t(2));
    QCOMPARE(s.percentiles[0].first, 99.0);
    QVERIFY(near(s.percentiles[0].second, 297.0));
    QVERIFY(near(s.percentiles[1].second, 150.0));
    QVERIFY(s.valueAt(99.0).has_value());
    QVERIFY(!s.valueAt(90.0).has_value());
}

void TestStatistics::pairwiseSum()
{
    // Exact integers, so every summation order gives the same answer: n(n+1)/2.
    for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 127u, 128u, 129u, 1000u}) {
        std::vector<double> v(n);
        for (std::size_t i = 0; i < n; ++i)
            v[i] = double(i + 1);
        QCOMPARE(ts::pairwiseSum(v.data(), n), double(n * (n + 1) / 2));
    }
    // Eight accumulators differ from a running sum. Near 1e16 doubles are 2 apart, so adding
    // ones in order loses every one. numpy's scheme (worked by hand): accumulator 0 gets
    // 1e16 + 1 (lost), accumulators 1..7 get 1 + 1 = 2 each, and 2+2+...: 1e16 + 14 survives.
    std::vector<double> v {1e16, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    double running = 0;
    for (double x : v)
        running += x;
    QCOMPARE(running, 1e16);
    QCOMPARE(ts::pairwiseSum(v.data(), v.size()), 1e16 + 14);
}

void TestStatistics::scaled()
{
    const MetricSummary s = summarize({0.1, 0.2}, {50.0}).scaled(1000.0);
    QVERIFY(near(s.mean, 150.0));
    QVERIFY(near(s.median, 150.0));
    QVERIFY(near(s.std, 50.0));
    QVERIFY(near(s.percentiles[0].second, 150.0));
    QCOMPARE(s.count, 2);
}

void TestStatistics::pythonFloatRepr_data()
{
    // Expected strings are what Python 3 prints for str(x).
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");
    QTest::addRow("integral") << 4.0 << QStringLiteral("4.0");
    QTest::addRow("half") << 0.5 << QStringLiteral("0.5");
    QTest::addRow("99.9") << 99.9 << QStringLiteral("99.9");
    QTest::addRow("shortest") << 0.1 + 0.2 << QStringLiteral("0.30000000000000004");
    QTest::addRow("1e-4 fixed") << 0.0001 << QStringLiteral("0.0001");
    QTest::addRow("1e-5 exponent") << 0.00001 << QStringLiteral("1e-05");
    QTest::addRow("2.5e-07") << 2.5e-7 << QStringLiteral("2.5e-07");
    QTest::addRow("1e15 fixed") << 1e15 << QStringLiteral("1000000000000000.0");
    QTest::addRow("1e16 exponent") << 1e16 << QStringLiteral("1e+16");
    QTest::addRow("1.5e300") << 1.5e300 << QStringLiteral("1.5e+300");
    QTest::addRow("negative") << -1234.5678 << QStringLiteral("-1234.5678");
    QTest::addRow("zero") << 0.0 << QStringLiteral("0.0");
    QTest::addRow("inf") << std::numeric_limits<double>::infinity() << QStringLiteral("inf");
}

void TestStatistics::pythonFloatRepr()
{
    QFETCH(double, value);
    QFETCH(QString, expected);
    QCOMPARE(ts::pythonFloatRepr(value), expected);
}

void TestStatistics::percentileName_data()
{
    QTest::addColumn<double>("p");
    QTest::addColumn<QString>("expected");
    QTest::addRow("99") << 99.0 << QStringLiteral("99");
    QTest::addRow("99.9") << 99.9 << QStringLiteral("99.9");
    QTest::addRow("50") << 50.0 << QStringLiteral("50");
    QTest::addRow("99.99") << 99.99 << QStringLiteral("99.99");
    QTest::addRow("0.1") << 0.1 << QStringLiteral("0.1");
    QTest::addRow("100") << 100.0 << QStringLiteral("100");
}

void TestStatistics::percentileName()
{
    QFETCH(double, p);
    QFETCH(QString, expected);
    QCOMPARE(ts::percentileName(p), expected);
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
