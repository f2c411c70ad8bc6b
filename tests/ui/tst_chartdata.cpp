#include "views/boundedseries.h"
#include "views/distributiondata.h"
#include "charts/livecharts.h"
#include "views/livedata.h"

#include <QTest>

#include <random>

class TestChartData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void boundedSeriesStaysWithinCapacity_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("appended");
        QTest::addRow("fewer than capacity") << 100 << 60;
        QTest::addRow("exactly capacity") << 100 << 100;
        QTest::addRow("many times capacity") << 100 << 100000;
        QTest::addRow("odd capacity") << 7 << 1001;
    }

    void boundedSeriesStaysWithinCapacity()
    {
        QFETCH(int, capacity);
        QFETCH(int, appended);
        ts::BoundedSeries series(capacity);
        for (int i = 0; i < appended; ++i)
            series.append(QPointF(i, i * 2));
        QVERIFY(series.size() <= capacity);
        QCOMPARE(series.size() == appended, appended <= capacity);
        // The first point survives every halving, and points stay in order.
        QCOMPARE(series.points().first(), QPointF(0, 0));
        for (qsizetype i = 1; i < series.size(); ++i)
            QVERIFY(series.points().at(i).x() > series.points().at(i - 1).x());
        // After many halvings the series still covers most of the range.
        QVERIFY(series.points().last().x() >= appended * 0.5 - 1);
    }

    void histogramCountsEveryValue()
    {
        std::vector<double> values;
        for (int i = 0; i < 1000; ++i)
            values.push_back(10.0 + i % 100);
        values.push_back(100000.0);   // one outlier
        const ts::Histogram h = ts::makeHistogram(values, 20);
        QCOMPARE(h.total(), int(values.size()));
        QCOMPARE(int(h.counts.size()), 20);
        QVERIFY(h.clipped >= 1);
        // The outlier does not stretch the bins.
        QVERIFY(h.upper() < 1000.0);
        QCOMPARE(h.outline().size(), qsizetype(2 * 20 + 2));
    }

    void histogramOfNothingIsEmpty()
    {
        QVERIFY(ts::makeHistogram({}).counts.empty());
        QVERIFY(ts::makeDistribution({}).cdf.isEmpty());
        QCOMPARE(ts::makeDistribution({}).count, 0);
    }

    void distributionCdfRisesToTheShownShare()
    {
        std::mt19937 rng(7);
        std::exponential_distribution<double> exp(0.05);
        std::vector<double> values;
        for (int i = 0; i < 20000; ++i)
            values.push_back(exp(rng));
        const ts::Distribution d = ts::makeDistribution(values, 40, 300);
        QCOMPARE(d.count, 20000);
        QVERIFY(d.cdf.size() <= 302);
        for (qsizetype i = 1; i < d.cdf.size(); ++i) {
            QVERIFY(d.cdf.at(i).x() >= d.cdf.at(i - 1).x());
            QVERIFY(d.cdf.at(i).y() >= d.cdf.at(i - 1).y());
        }
        QVERIFY(d.cdf.last().y() >= 99.0);
        QVERIFY(d.cdf.last().y() <= 100.0);
        QVERIFY(d.p50 < d.p99);
    }

    void liveDataRollsMedianAndRates()
    {
        ts::LiveData data;
        ts::RunProgress p;
        p.total = 300;
        for (int i = 0; i < 300; ++i) {
            ts::RequestRecord r;
            r.index = i;
            r.success = i % 50 != 0;
            r.startTime = i * 0.01;
            r.ttft = r.success ? 0.1 : 0.0;
            r.latency = 0.5;
            r.outputTokens = 10;
            data.addRecord(r);
            p.elapsed = i * 0.01;
            p.succeeded += r.success ? 1 : 0;
            p.failed += r.success ? 0 : 1;
            p.outputChunks += 10;
            if (i % 10 == 0) {
                data.addProgress(p);
                data.sample();
            }
        }
        QCOMPARE(data.failedCount(), 6);
        QCOMPARE(data.failures().size(), 6);
        QVERIFY(!data.ttftMedian().isEmpty());
        QCOMPARE(data.ttftMedian().points().last().y(), 100.0);
        QCOMPARE(int(data.tpotsMs().size()), 294);
        // 10 chunks every 10 ms: 1000 tokens/s, 100 requests/s.
        QVERIFY(!data.outputTokensPerSecond().isEmpty());
        QCOMPARE(qRound(data.outputTokensPerSecond().points().last().y()), 1000);
        QCOMPARE(qRound(data.requestsPerSecond().points().last().y()), 100);
    }

    void liveChartsKeepPointCountsBounded()
    {
        ts::LiveCharts charts;
        charts.resize(900, 600);
        charts.startRun();
        ts::RunProgress p;
        p.total = 100000;
        for (int i = 0; i < 100000; ++i) {
            ts::RequestRecord r;
            r.index = i;
            r.success = true;
            r.startTime = i * 0.001;
            r.ttft = 0.05 + (i % 97) * 0.001;
            r.latency = r.ttft + 0.3;
            r.outputTokens = 20;
            charts.addRecord(r);
            if (i % 100 == 0) {
                p.elapsed = i * 0.001;
                p.succeeded = i;
                p.outputChunks = qint64(i) * 20;
                charts.addProgress(p);
                QTest::qWait(0);
            }
        }
        charts.finishRun();
        QVERIFY(charts.data().ttft().size() <= 2000);
        QVERIFY2(charts.shownPointCount() <= 2000 + 8 * 600 + 62, qPrintable(QString::number(charts.shownPointCount())));
        QVERIFY(charts.shownPointCount() > 100);
    }
};

QTEST_MAIN(TestChartData)
#include "tst_chartdata.moc"
