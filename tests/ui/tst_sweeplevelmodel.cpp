#include "i18n.h"
#include "models/sweeplevelmodel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using ts::SweepLevelModel;
using ts::SweepLevelResult;

namespace {

SweepLevelResult level(int index, double value, double throughput, QStringList broken = {})
{
    SweepLevelResult l;
    l.index = index;
    l.level = value;
    ts::BenchmarkMetrics &m = l.metrics;
    m.completed = 40;
    m.failed = broken.contains(QStringLiteral("success_rate")) ? 10 : 0;
    m.duration = 10.0;
    m.outputThroughput = throughput;
    m.requestThroughput = throughput / 100.0;
    const auto summary = [&](double median, double p99) {
        ts::MetricSummary s;
        s.count = m.completed;
        s.mean = median;
        s.median = median;
        s.percentiles = { { 99.0, p99 } };
        return s;
    };
    m.ttftMs = summary(120.0 + value, 300.0 + 2 * value);
    m.tpotMs = summary(20.0, 31.4);
    m.e2elMs = summary(3000.0, 4200.0);
    l.successRatePercent = m.successRatePercent();
    l.brokenRules = broken;
    if (index > 0)
        l.throughputGainPercent = broken.contains(QStringLiteral("throughput_plateau")) ? 1.5 : 80.0;
    l.run.records.resize(50);   // the model must not keep these
    return l;
}

} // namespace

// The sweep's level table: one row per level, numbers formatted for people and raw for
// sorting, the verdict's marks in the last column, and a model that passes Qt's checks while
// rows arrive one by one.
class TestSweepLevelModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        ts::i18n::installTranslators(QLocale(QLocale::English));
        // Numbers without group separators, whatever the machine's locale.
        QLocale plain = QLocale::c();
        plain.setNumberOptions(QLocale::OmitGroupSeparator);
        QLocale::setDefault(plain);
    }

    void passesTheModelTesterWhileLevelsArrive()
    {
        SweepLevelModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.addLevel(level(0, 1, 100));
        model.addLevel(level(1, 4, 380));
        model.addLevel(level(2, 16, 1400));
        model.addLevel(level(3, 32, 1420, { QStringLiteral("throughput_plateau") }));
        QCOMPARE(inserted.count(), 4);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(SweepLevelModel::ColumnCount));
        QVERIFY(model.level(0).run.records.empty());
        model.setMarks(16.0, 16.0);
        model.retranslate();
        model.setMode(ts::SweepMode::RequestRate);
        model.setLevels({ level(0, 2, 10), level(1, 4, 20) });
        QCOMPARE(model.rowCount(), 2);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void showsEachLevelsNumbers_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("sortValue");
        QTest::addRow("level") << int(SweepLevelModel::LevelColumn) << QStringLiteral("16") << 16.0;
        QTest::addRow("requests") << int(SweepLevelModel::RequestsColumn) << QStringLiteral("40") << 40.0;
        QTest::addRow("success") << int(SweepLevelModel::SuccessColumn) << QStringLiteral("100.0") << 100.0;
        QTest::addRow("output tok/s") << int(SweepLevelModel::OutputThroughputColumn) << QStringLiteral("1400.0") << 1400.0;
        QTest::addRow("gain") << int(SweepLevelModel::GainColumn) << QStringLiteral("+80.0") << 80.0;
        QTest::addRow("ttft median") << int(SweepLevelModel::TtftMedianColumn) << QStringLiteral("136") << 136.0;
        QTest::addRow("ttft p99") << int(SweepLevelModel::TtftP99Column) << QStringLiteral("332") << 332.0;
        QTest::addRow("tpot p99") << int(SweepLevelModel::TpotP99Column) << QStringLiteral("31.4") << 31.4;
        QTest::addRow("e2el p99") << int(SweepLevelModel::E2elP99Column) << QStringLiteral("4200") << 4200.0;
    }

    void showsEachLevelsNumbers()
    {
        QFETCH(int, column);
        QFETCH(QString, text);
        QFETCH(double, sortValue);
        SweepLevelModel model;
        model.addLevel(level(0, 1, 100));
        model.addLevel(level(1, 16, 1400));
        const QModelIndex index = model.index(1, column);
        QCOMPARE(index.data().toString(), text);
        QCOMPARE(index.data(SweepLevelModel::SortRole).toDouble(), sortValue);
    }

    void marksTheVerdictsLevels()
    {
        SweepLevelModel model;
        model.addLevel(level(0, 1, 100));
        model.addLevel(level(1, 16, 1400));
        model.addLevel(level(2, 32, 1420, { QStringLiteral("throughput_plateau") }));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setMarks(16.0, 16.0);
        QCOMPARE(changed.count(), 1);
        const auto status = [&](int row) { return model.index(row, SweepLevelModel::StatusColumn).data().toString(); };
        QCOMPARE(status(0), QStringLiteral("stable"));
        QVERIFY2(status(1).contains(QStringLiteral("highest stable")) && status(1).contains(QStringLiteral("knee")), qPrintable(status(1)));
        QVERIFY2(status(2).contains(QStringLiteral("throughput plateau")), qPrintable(status(2)));
        // The stable row stands out; the broken one is red.
        QVERIFY(model.index(1, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model.index(0, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(model.index(2, SweepLevelModel::StatusColumn).data(Qt::ForegroundRole).isValid());
    }

    void headerFollowsTheMode()
    {
        SweepLevelModel model;
        QCOMPARE(model.headerData(SweepLevelModel::LevelColumn, Qt::Horizontal).toString(), QStringLiteral("Concurrency"));
        QSignalSpy header(&model, &QAbstractItemModel::headerDataChanged);
        model.setMode(ts::SweepMode::RequestRate);
        QCOMPARE(header.count(), 1);
        QVERIFY(model.headerData(SweepLevelModel::LevelColumn, Qt::Horizontal).toString().contains(QStringLiteral("req/s")));
    }
};

QTEST_MAIN(TestSweepLevelModel)
#include "tst_sweeplevelmodel.moc"
