#include "load/arrivals.h"
#include "views/livedata.h"

#include <QTest>

#include <cmath>
#include <limits>

using ts::LiveData;
using ts::LoadConfig;
using ts::RampUpStrategy;

namespace {

LoadConfig ramp(RampUpStrategy strategy, int start, int end, int count)
{
    LoadConfig load;
    load.numPrompts = count;
    load.rampUpStrategy = strategy;
    load.rampUpStartRps = start;
    load.rampUpEndRps = end;
    load.seed = 7;
    return load;
}

} // namespace

class TestLiveData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void targetFollowsTheRampAtThePlannedTimes_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("end");
        QTest::addRow("linear 1 to 20") << int(RampUpStrategy::Linear) << 1 << 20;
        QTest::addRow("exponential 2 to 64") << int(RampUpStrategy::Exponential) << 2 << 64;
    }

    void targetFollowsTheRampAtThePlannedTimes()
    {
        QFETCH(int, strategy);
        QFETCH(int, start);
        QFETCH(int, end);
        const int count = 80;
        const LoadConfig load = ramp(RampUpStrategy(strategy), start, end, count);
        LiveData data;
        data.setPlan(load);
        const std::vector<double> times = ts::arrivalTimes(load, count);
        const QList<QPointF> &target = data.targetRate();
        QCOMPARE(target.size(), qsizetype(count));
        for (int i = 0; i < count; ++i) {
            QCOMPARE(target.at(i).x(), times[std::size_t(i)]);
            QCOMPARE(target.at(i).y(), ts::rampUpRate(load, i, count));
        }
        QCOMPARE(target.first().y(), double(start));
        QCOMPARE(target.last().y(), double(end));
        // The ramp rises: later requests are planned at a higher rate.
        QVERIFY(target.at(count / 2).y() > target.first().y());
    }

    void longRampKeepsItsEndsWithinTheLinePoints()
    {
        const int count = 100'001;
        const LoadConfig load = ramp(RampUpStrategy::Linear, 5, 500, count);
        LiveData data(600);
        data.setPlan(load);
        const QList<QPointF> &target = data.targetRate();
        QVERIFY2(target.size() <= 600, qPrintable(QString::number(target.size())));
        QVERIFY(target.size() > 300);
        const std::vector<double> times = ts::arrivalTimes(load, count);
        QCOMPARE(target.first(), QPointF(times.front(), 5.0));
        QCOMPARE(target.last(), QPointF(times.back(), 500.0));
    }

    void traceSendTimesGivePerSecondBuckets()
    {
        LiveData data;
        LoadConfig constant;
        constant.requestRate = 10.0;
        data.setPlan(constant);
        // Unsorted, three in the first second, none in the second, two in the third (2.0 opens it).
        data.setPlannedSendTimes({ 0.9, 0.0, 2.0, 0.5, 2.99 });
        const QList<QPointF> expected { { 0.0, 3.0 }, { 1.0, 3.0 }, { 1.0, 0.0 }, { 2.0, 0.0 },
                                        { 2.0, 2.0 }, { 3.0, 2.0 } };
        QCOMPARE(data.targetRate(), expected);

        data.setPlannedSendTimes({});
        QVERIFY(data.targetRate().isEmpty());
    }

    void longTraceWidensItsBucketsWithinTheLinePoints()
    {
        // One request every 0.1 s for an hour: 10 per second whatever the bucket width.
        std::vector<double> times;
        for (int i = 0; i < 36'000; ++i)
            times.push_back(i * 0.1);
        LiveData data(600);
        data.setPlannedSendTimes(times);
        const QList<QPointF> &target = data.targetRate();
        QVERIFY2(target.size() <= 600, qPrintable(QString::number(target.size())));
        QVERIFY(target.size() > 300);
        QCOMPARE(target.first().x(), 0.0);
        QVERIFY(target.last().x() >= times.back());
        double sent = 0.0;
        for (qsizetype i = 0; i + 1 < target.size(); i += 2) {
            QCOMPARE(target[i].y(), target[i + 1].y());
            sent += target[i].y() * (target[i + 1].x() - target[i].x());
        }
        QCOMPARE(qRound(sent), 36'000);
        for (qsizetype i = 0; i + 3 < target.size(); i += 2)
            QVERIFY2(std::abs(target[i].y() - 10.0) < 0.2, qPrintable(QString::number(target[i].y())));
    }

    void constantRateAndTimeLimitAndInfinity()
    {
        LiveData data;
        LoadConfig load;
        load.numPrompts = 200;
        load.requestRate = 10.0;
        data.setPlan(load);
        QCOMPARE(data.targetRate().size(), qsizetype(2));
        QCOMPARE(data.targetRate().first(), QPointF(0.0, 10.0));
        QCOMPARE(data.targetRate().last(), QPointF(ts::arrivalTimes(load, 200).back(), 10.0));

        load.durationS = 30.0;
        data.setPlan(load);
        QCOMPARE(data.targetRate().last(), QPointF(30.0, 10.0));

        load.durationS = 0.0;
        load.requestRate = std::numeric_limits<double>::infinity();
        data.setPlan(load);
        QVERIFY(data.targetRate().isEmpty());

        load.requestRate = 10.0;
        data.setPlan(load);
        data.clear();
        QVERIFY(data.targetRate().isEmpty());
    }

    void sentRateIsTakenOverTheLastSecond()
    {
        LiveData data;
        ts::RunProgress p;
        p.total = 1000;
        // 50 sent per second, 30 finished per second, 0.1 s between snapshots.
        for (int i = 0; i <= 40; ++i) {
            p.elapsed = i * 0.1;
            p.sent = i * 5;
            p.succeeded = i * 3;
            data.addProgress(p);
            data.sample();
        }
        QVERIFY(!data.sentPerSecond().isEmpty());
        QCOMPARE(qRound(data.sentPerSecond().points().last().y()), 50);
        QCOMPARE(qRound(data.requestsPerSecond().points().last().y()), 30);
        QCOMPARE(data.sentPerSecond().points().last().x(), 4.0);
    }
};

QTEST_GUILESS_MAIN(TestLiveData)
#include "tst_livedata.moc"
