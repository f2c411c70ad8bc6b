#include "metrics/rating.h"

#include <QTest>

using namespace ts;

class TestRating : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults_data();
    void defaults();
    void editedThresholds();
};

void TestRating::defaults_data()
{
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("value");
    QTest::addColumn<Rating>("expected");
    // The guide's table: TTFT <100 excellent, <200 good; TPOT <50, <100; throughput >20, >10 req/s;
    // success >99 %, >95 %. The limits themselves fall into the worse class.
    QTest::addRow("ttft 99") << QStringLiteral("ttft") << 99.0 << Rating::Excellent;
    QTest::addRow("ttft 100") << QStringLiteral("ttft") << 100.0 << Rating::Good;
    QTest::addRow("ttft 199") << QStringLiteral("ttft") << 199.0 << Rating::Good;
    QTest::addRow("ttft 300") << QStringLiteral("ttft") << 300.0 << Rating::NeedsWork;
    QTest::addRow("tpot 20") << QStringLiteral("tpot") << 20.0 << Rating::Excellent;
    QTest::addRow("tpot 50") << QStringLiteral("tpot") << 50.0 << Rating::Good;
    QTest::addRow("tpot 100") << QStringLiteral("tpot") << 100.0 << Rating::NeedsWork;
    QTest::addRow("throughput 25") << QStringLiteral("throughput") << 25.0 << Rating::Excellent;
    QTest::addRow("throughput 20") << QStringLiteral("throughput") << 20.0 << Rating::Good;
    QTest::addRow("throughput 10") << QStringLiteral("throughput") << 10.0 << Rating::NeedsWork;
    QTest::addRow("success 99.5") << QStringLiteral("success") << 99.5 << Rating::Excellent;
    QTest::addRow("success 97") << QStringLiteral("success") << 97.0 << Rating::Good;
    QTest::addRow("success 90") << QStringLiteral("success") << 90.0 << Rating::NeedsWork;
}

void TestRating::defaults()
{
    QFETCH(QString, metric);
    QFETCH(double, value);
    QFETCH(Rating, expected);
    Rating got = Rating::NeedsWork;
    if (metric == u"ttft")
        got = rateTtft(value);
    else if (metric == u"tpot")
        got = rateTpot(value);
    else if (metric == u"throughput")
        got = rateRequestThroughput(value);
    else
        got = rateSuccessRate(value);
    QCOMPARE(got, expected);
}

void TestRating::editedThresholds()
{
    RatingThresholds t;
    t.ttftExcellentMs = 500;
    t.ttftGoodMs = 1000;
    QCOMPARE(rateTtft(300, t), Rating::Excellent);
    QCOMPARE(rateTtft(700, t), Rating::Good);
    QVERIFY(!ratingName(Rating::NeedsWork).isEmpty());
}

QTEST_GUILESS_MAIN(TestRating)
#include "tst_rating.moc"
