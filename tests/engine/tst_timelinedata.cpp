#include "views/resultdocument.h"
#include "views/timelinedata.h"

#include <QTest>

#include <vector>

using ts::OpenRequest;
using ts::RequestRecord;
using ts::TimelineData;
using ts::TimelineOrder;

namespace {

RequestRecord makeRecord(int index, double start, double queue, double ttft, std::vector<double> itl,
                         double latency, QString error = {})
{
    RequestRecord r;
    r.index = index;
    r.startTime = start;
    r.queueTime = queue;
    r.ttft = ttft;
    r.itl = std::move(itl);
    r.latency = latency;
    r.error = std::move(error);
    r.success = r.error.isEmpty();
    r.contentChunks = r.success ? int(r.itl.size()) + 1 : 0;
    r.outputTokens = r.contentChunks;
    return r;
}

// Four requests in the order they finished (record 0..3 are workload requests 0, 2, 3, 1):
//   workload 0: sent 0.00, TTFT 0.10, ends 0.15
//   workload 1: released 0.00, sent 0.05, TTFT 0.30, ends 0.41
//   workload 2: sent 0.15, fails at 0.20 without a token
//   workload 3: released 0.10, sent 0.20, TTFT 0.05, ends 0.28
std::vector<RequestRecord> fourRequests()
{
    return {
        makeRecord(0, 0.00, 0.00, 0.10, {0.02, 0.03}, 0.15),
        makeRecord(2, 0.15, 0.00, 0.00, {}, 0.05, QStringLiteral("HTTP 500")),
        makeRecord(3, 0.20, 0.10, 0.05, {0.01, 0.01, 0.01}, 0.08),
        makeRecord(1, 0.05, 0.05, 0.30, {0.06}, 0.36),
    };
}

std::vector<int> rowsOf(const TimelineData &data)
{
    std::vector<int> rows;
    for (int row = 0; row < data.rowCount(); ++row)
        rows.push_back(data.rowAt(row).record);
    return rows;
}

} // namespace

class TestTimelineData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneRowPerRecord()
    {
        const TimelineData data(fourRequests());
        QCOMPARE(data.rowCount(), 4);
        QCOMPARE(data.recordCount(), 4);
        QVERIFY(!data.alignedAtZero());
        QCOMPARE(data.timeBegin(), 0.0);
        QCOMPARE(data.timeEnd(), 0.41);
        QCOMPARE(data.gaps(2).size(), std::size_t(3));
        QCOMPARE(data.error(1), QStringLiteral("HTTP 500"));
        QVERIFY(data.error(0).isEmpty());
        QVERIFY(!data.request(1).hasFirstToken());
    }

    void sortOrders_data()
    {
        QTest::addColumn<TimelineOrder>("order");
        QTest::addColumn<std::vector<int>>("expected");
        QTest::addRow("start") << TimelineOrder::Start << std::vector<int>{0, 3, 1, 2};
        // The failed request has no first token and goes last.
        QTest::addRow("ttft") << TimelineOrder::Ttft << std::vector<int>{2, 0, 3, 1};
        QTest::addRow("e2el") << TimelineOrder::E2el << std::vector<int>{1, 2, 0, 3};
    }

    void sortOrders()
    {
        QFETCH(TimelineOrder, order);
        QFETCH(std::vector<int>, expected);
        TimelineData data(fourRequests());
        data.setOrder(order);
        QCOMPARE(rowsOf(data), expected);
        for (int row = 0; row < data.rowCount(); ++row)
            QCOMPARE(data.rowOfRecord(expected[std::size_t(row)]), row);

        // Arriving in batches, with the order set in between, gives the same rows.
        const std::vector<RequestRecord> all = fourRequests();
        TimelineData live;
        live.append({all[0]});
        QCOMPARE(live.rowCount(), 1);
        live.setOrder(order);
        live.append({all[1], all[2]});
        QCOMPARE(live.rowCount(), 3);
        live.append({all[3]});
        QCOMPARE(rowsOf(live), expected);
    }

    void equalKeysKeepArrivalOrder()
    {
        std::vector<RequestRecord> records;
        for (int i = 0; i < 6; ++i)
            records.push_back(makeRecord(i, 0.0, 0.0, i % 2 ? 0.2 : 0.1, {}, 0.3));
        TimelineData data;
        data.setOrder(TimelineOrder::Ttft);
        data.append({records[0], records[1], records[2]});
        data.append({records[3], records[4], records[5]});
        QCOMPARE(rowsOf(data), (std::vector<int>{0, 2, 4, 1, 3, 5}));
    }

    void inFlightSteps()
    {
        const TimelineData data(fourRequests());
        // At 0.15 one request ends as another is sent, at 0.20 likewise: two stay in flight.
        const std::vector<ts::InFlightStep> &steps = data.inFlight();
        QCOMPARE(steps.size(), std::size_t(4));
        const double times[] = {0.0, 0.05, 0.28, 0.41};
        const int counts[] = {1, 2, 1, 0};
        for (std::size_t i = 0; i < steps.size(); ++i) {
            QCOMPARE(steps[i].time, times[i]);
            QCOMPARE(steps[i].count, counts[i]);
        }
        QCOMPARE(data.maxInFlight(), 2);
        QCOMPARE(data.inFlightAt(0.01), 1);
        QCOMPARE(data.inFlightAt(0.17), 2);
        QCOMPARE(data.inFlightAt(0.30), 1);
        QCOMPARE(data.inFlightAt(0.50), 0);
        QCOMPARE(data.inFlightAt(-1.0), 0);
    }

    void openRequests()
    {
        const std::vector<RequestRecord> all = fourRequests();
        TimelineData data(all);
        // Workload 1 has finished already: its open entry is stale and left out.
        data.setOpenRequests({OpenRequest{4, 0.30, 0.0, 0.02, 3}, OpenRequest{1, 0.05, 0.05, 0.30, 2}}, 0.5);
        QCOMPARE(data.openCount(), 1);
        QCOMPARE(data.rowCount(), 5);
        QCOMPARE(data.timeEnd(), 0.5);
        QCOMPARE(data.rowAt(4).open, 0);
        QCOMPARE(data.rowAt(4).record, -1);
        QCOMPARE(data.inFlightAt(0.45), 1);
        QCOMPARE(data.maxInFlight(), 2);
        QCOMPARE(data.hitTest(4, 0.4).open, 0);
        QVERIFY(data.hitTest(4, 0.2).isNone());

        // Its record arrives: the row becomes a record.
        data.append({makeRecord(4, 0.30, 0.0, 0.02, {0.01, 0.01}, 0.04)});
        QCOMPARE(data.openCount(), 0);
        QCOMPARE(data.rowCount(), 5);
        QCOMPARE(data.rowAt(4).record, 4);
        QCOMPARE(data.inFlightAt(0.45), 0);
    }

    void hitTesting()
    {
        const TimelineData data(fourRequests());
        // Row 1 is workload 1 (record 3): released at 0.00, ends at 0.41.
        QCOMPARE(data.hitTest(1, 0.02).record, 3);
        QCOMPARE(data.hitTest(1, 0.40).record, 3);
        QVERIFY(data.hitTest(1, 0.45).isNone());
        QCOMPARE(data.hitTest(1, 0.45, 0.05).record, 3);
        QVERIFY(data.hitTest(7, 0.1).isNone());
        QVERIFY(data.hitTest(-1, 0.1).isNone());
    }

    void highlightTheSlowest()
    {
        TimelineData data(fourRequests());
        // TTFTs of the successful ones: 0.05, 0.10, 0.30; p99 lies between the last two.
        const std::vector<int> slowTtft = data.slowest(TimelineOrder::Ttft, 99.0);
        QCOMPARE(slowTtft, std::vector<int>{3});
        QCOMPARE(data.slowest(TimelineOrder::E2el, 50.0), (std::vector<int>{0, 3}));
        QVERIFY(data.slowest(TimelineOrder::Start, 99.0).empty());

        data.setHighlighted(slowTtft);
        QCOMPARE(data.highlightedCount(), 1);
        QVERIFY(data.isHighlighted(3));
        QVERIFY(!data.isHighlighted(0));
        QVERIFY(!data.isHighlighted(17));
        data.setHighlighted({});
        QVERIFY(!data.isHighlighted(3));
    }

    void vllmFileIsAlignedAtZero()
    {
        const QString path = QString::fromLocal8Bit(qgetenv("TOKENSTORM_TEST_DATA"))
            + QStringLiteral("/vllm/vllm-completions-detailed.json");
        QString error;
        const std::optional<ts::ResultDocument> document = ts::documentFromFile(path, &error);
        QVERIFY2(document, qPrintable(error));
        const TimelineData data = TimelineData::fromDocument(*document);
        QVERIFY(data.alignedAtZero());
        QCOMPARE(data.rowCount(), 24);
        for (int record = 0; record < data.recordCount(); ++record) {
            QCOMPARE(data.request(record).released(), 0.0);
            QVERIFY(data.request(record).end() > 0.0);
        }
        QCOMPARE(data.timeBegin(), 0.0);
        // Without send times, how many ran at once is not known.
        QVERIFY(data.inFlight().empty());
        QCOMPARE(data.maxInFlight(), 0);

        // A run of ours knows its send times.
        ts::RunResult run;
        run.records = fourRequests();
        const TimelineData fromRun = TimelineData::fromDocument(ts::documentFromRun(run));
        QVERIFY(!fromRun.alignedAtZero());
        QCOMPARE(fromRun.maxInFlight(), 2);
    }
};

QTEST_GUILESS_MAIN(TestTimelineData)
#include "tst_timelinedata.moc"
