#include "models/requesttablemodel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using ts::RequestRecord;
using ts::RequestTableModel;

namespace {

RequestRecord record(int index, bool success, double ttft, int outputTokens, const QString &error = {})
{
    RequestRecord r;
    r.index = index;
    r.success = success;
    r.error = error;
    r.httpStatus = success ? 200 : 503;
    r.promptTokens = 100 + index;
    r.outputTokens = success ? outputTokens : 0;
    r.startTime = 0.1 * index;
    r.ttft = success ? ttft : 0.0;
    r.latency = success ? ttft + 0.01 * (outputTokens - 1) : 0.2;
    for (int i = 1; success && i < outputTokens; ++i)
        r.itl.push_back(0.01);
    return r;
}

std::vector<RequestRecord> sample()
{
    // Out of workload order, as records arrive in order of completion.
    return { record(3, true, 0.300, 10), record(0, true, 0.050, 10), record(2, false, 0, 0, QStringLiteral("HTTP 503: overloaded")),
             record(1, true, 0.120, 1), record(4, true, 0.900, 5) };
}

} // namespace

class TestRequestTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passesTheModelTester()
    {
        RequestTableModel model;
        ts::RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRecords(sample());
        proxy.sort(RequestTableModel::TtftColumn);
        proxy.setFailedOnly(true);
        proxy.setFailedOnly(false);
        model.retranslate();
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void rowsAreInWorkloadOrder()
    {
        RequestTableModel model;
        model.setRecords(sample());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(RequestTableModel::ColumnCount));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.index(row, RequestTableModel::IndexColumn).data().toInt(), row);
    }

    void cellsShowMilliseconds()
    {
        QLocale::setDefault(QLocale::c());
        RequestTableModel model;
        model.setRecords(sample());
        QCOMPARE(model.index(0, RequestTableModel::TtftColumn).data().toString(), QStringLiteral("50.0"));
        // One output token: no TPOT.
        QCOMPARE(model.index(1, RequestTableModel::TpotColumn).data().toString(), QString());
        // A failed request shows no latencies, but its error.
        QCOMPARE(model.index(2, RequestTableModel::TtftColumn).data().toString(), QString());
        QCOMPARE(model.index(2, RequestTableModel::ErrorColumn).data().toString(), QStringLiteral("HTTP 503: overloaded"));
        QCOMPARE(model.index(2, RequestTableModel::HttpStatusColumn).data().toInt(), 503);
        // Not a multi-turn run: no conversation.
        QCOMPARE(model.index(0, RequestTableModel::ConversationColumn).data().toString(), QString());
    }

    void reasoningColumns()
    {
        QLocale::setDefault(QLocale::c());
        RequestTableModel model;
        model.setRecords(sample());
        QVERIFY(!model.hasReasoning());
        QCOMPARE(model.index(0, RequestTableModel::TtfrtColumn).data().toString(), QString());
        QCOMPARE(model.index(0, RequestTableModel::ReasoningTokensColumn).data().toString(), QString());

        std::vector<ts::RequestRecord> records = sample();
        records[0].ttfrt = 0.300;      // index 3
        records[0].ttfat = 0.450;
        records[0].reasoningTokens = 6;
        records[1].ttfrt = 0.050;      // index 0: reasoned to the end, no answer
        model.setRecords(records);
        QVERIFY(model.hasReasoning());
        QCOMPARE(model.index(3, RequestTableModel::TtfrtColumn).data().toString(), QStringLiteral("300.0"));
        QCOMPARE(model.index(3, RequestTableModel::TtfatColumn).data().toString(), QStringLiteral("450.0"));
        QCOMPARE(model.index(3, RequestTableModel::ReasoningTokensColumn).data().toInt(), 6);
        QCOMPARE(model.index(0, RequestTableModel::TtfatColumn).data().toString(), QString());
        QCOMPARE(model.headerData(RequestTableModel::TtfatColumn, Qt::Horizontal).toString(), QStringLiteral("TTFAT (ms)"));
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(RequestTableModel::SortRole);
        proxy.sort(RequestTableModel::TtfrtColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, RequestTableModel::IndexColumn).data().toInt(), 0);
        QCOMPARE(proxy.index(1, RequestTableModel::IndexColumn).data().toInt(), 3);
    }

    void multiTurnRowsNameTheirTurn()
    {
        QLocale::setDefault(QLocale::c());
        std::vector<ts::RequestRecord> records = sample();
        for (ts::RequestRecord &r : records) {
            r.conversation = r.index / 2;
            r.turn = r.index % 2;
        }
        RequestTableModel model;
        model.setRecords(records);
        QCOMPARE(model.index(3, RequestTableModel::ConversationColumn).data().toString(), QStringLiteral("1, turn 1"));
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(RequestTableModel::SortRole);
        proxy.sort(RequestTableModel::ConversationColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, RequestTableModel::IndexColumn).data().toInt(), 4);   // conversation 2, turn 0
        QCOMPARE(proxy.index(1, RequestTableModel::IndexColumn).data().toInt(), 3);   // conversation 1, turn 1
    }

    void sortsNumerically_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QList<int>>("expectedIndexes");
        QTest::addRow("ttft ascending, failed last") << int(RequestTableModel::TtftColumn) << int(Qt::AscendingOrder)
                                                     << QList<int> { 0, 1, 3, 4, 2 };
        QTest::addRow("ttft descending") << int(RequestTableModel::TtftColumn) << int(Qt::DescendingOrder)
                                         << QList<int> { 2, 4, 3, 1, 0 };
        QTest::addRow("input tokens") << int(RequestTableModel::InputTokensColumn) << int(Qt::DescendingOrder)
                                      << QList<int> { 4, 3, 2, 1, 0 };
        QTest::addRow("status, failed first") << int(RequestTableModel::StatusColumn) << int(Qt::AscendingOrder)
                                              << QList<int> { 2, 0, 1, 3, 4 };
    }

    void sortsNumerically()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QList<int>, expectedIndexes);
        RequestTableModel model;
        model.setRecords(sample());
        ts::RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(column, Qt::SortOrder(order));
        QList<int> indexes;
        for (int row = 0; row < proxy.rowCount(); ++row)
            indexes << proxy.index(row, RequestTableModel::IndexColumn).data().toInt();
        QCOMPARE(indexes, expectedIndexes);
    }

    void failedOnlyShowsErrors()
    {
        RequestTableModel model;
        model.setRecords(sample());
        ts::RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setFailedOnly(true);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, RequestTableModel::ErrorColumn).data().toString(), QStringLiteral("HTTP 503: overloaded"));
        proxy.setFailedOnly(false);
        QCOMPARE(proxy.rowCount(), 5);
    }

    void headersHaveTextForEveryColumn()
    {
        RequestTableModel model;
        for (int c = 0; c < model.columnCount(); ++c)
            QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRequestTableModel)
#include "tst_requesttablemodel.moc"
