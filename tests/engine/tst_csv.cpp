#include "results/csv.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ts;

namespace {

RunResult csvRun()
{
    RunResult run;
    run.config.target.backend = QStringLiteral("openai");
    run.config.target.model = QStringLiteral("m");
    run.config.load.numPrompts = 2;
    run.config.metrics.percentileMetrics = {QStringLiteral("ttft")};
    run.config.metrics.percentiles = {99.0};
    run.date = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5));

    RequestRecord ok;
    ok.index = 0;
    ok.success = true;
    ok.httpStatus = 200;
    ok.startTime = 0.25;
    ok.queueTime = 0.002;
    ok.ttft = 0.1;
    ok.itl = {0.02, 0.04};
    ok.latency = 0.16;
    ok.promptTokens = 12;
    ok.promptTokenSource = TokenCountSource::Server;
    ok.outputTokens = 4;
    ok.outputTokenSource = TokenCountSource::Server;
    ok.contentChunks = 3;

    RequestRecord bad;
    bad.index = 1;
    bad.success = false;
    bad.httpStatus = 400;
    bad.error = QStringLiteral("bad, \"quoted\"\nsecond line");
    bad.startTime = 0.5;
    bad.latency = 0.01;
    bad.promptTokens = 7;
    bad.outputTokenSource = TokenCountSource::Chunks;

    run.records = {bad, ok};   // finished out of order
    run.duration = 1.0;
    return run;
}

} // namespace

class TestCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void field_data();
    void field();
    void requests();
    void summary();
    void writesAtomically();
};

void TestCsv::field_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addRow("plain") << QStringLiteral("abc") << QStringLiteral("abc");
    QTest::addRow("empty") << QString() << QString();
    QTest::addRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
    QTest::addRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
    QTest::addRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
    QTest::addRow("carriage return") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
    QTest::addRow("unicode") << QStringLiteral("超时") << QStringLiteral("超时");
}

void TestCsv::field()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(csvField(text), expected);
}

void TestCsv::requests()
{
    const QString csv = QString::fromUtf8(requestsCsv(csvRun().records));
    QVERIFY(csv.endsWith(QStringLiteral("\r\n")));
    const QStringList lines = csv.split(QStringLiteral("\r\n"));
    QCOMPARE(lines.size(), 4);   // header, two rows, empty after the last CRLF
    QCOMPARE(lines[0], QStringLiteral("index,success,error,http_status,start_time_s,queue_time_ms,ttft_ms,"
                                      "tpot_ms,itl_mean_ms,e2el_ms,input_tokens,output_tokens,"
                                      "output_tokens_source,input_tokens_source,content_chunks"));
    // TPOT (0.16-0.1)/3 = 20 ms, mean gap 30 ms.
    QCOMPARE(lines[1], QStringLiteral("0,true,,200,0.25,2.0,100.0,20.0,30.0,160.0,"
                                      "12,4,server,server,3"));
    QCOMPARE(lines[2], QStringLiteral("1,false,\"bad, \"\"quoted\"\"\nsecond line\",400,0.5,0.0,,,,10.0,7,0,"
                                      "chunks,dataset,0"));

    // A multi-turn run adds which conversation and turn each request was.
    std::vector<RequestRecord> turns = csvRun().records;
    for (RequestRecord &r : turns) {
        r.conversation = 3;
        r.turn = r.index;
    }
    const QStringList multi = QString::fromUtf8(requestsCsv(turns)).split(QStringLiteral("\r\n"));
    QVERIFY(multi[0].endsWith(QStringLiteral(",content_chunks,conversation,turn")));
    QVERIFY(multi[1].endsWith(QStringLiteral(",server,server,3,3,0")));
    QVERIFY(multi[2].endsWith(QStringLiteral(",chunks,dataset,0,3,1")));

    // A request that reasoned adds when its reasoning and its answer began, and how long it
    // thought; the failed one leaves them empty.
    std::vector<RequestRecord> reasoned = csvRun().records;
    reasoned[1].ttfrt = 0.1;
    reasoned[1].ttfat = 0.12;
    reasoned[1].reasoningTokens = 1;
    const QStringList withReasoning = QString::fromUtf8(requestsCsv(reasoned)).split(QStringLiteral("\r\n"));
    QVERIFY(withReasoning[0].endsWith(QStringLiteral(",content_chunks,ttfrt_ms,ttfat_ms,reasoning_tokens")));
    QVERIFY2(withReasoning[1].endsWith(QStringLiteral(",server,server,3,100.0,120.0,1")), qPrintable(withReasoning[1]));
    QVERIFY2(withReasoning[2].endsWith(QStringLiteral(",chunks,dataset,0,,,")), qPrintable(withReasoning[2]));
    QVERIFY(!lines[0].contains(QStringLiteral("ttfrt")));
}

void TestCsv::summary()
{
    const RunResult run = csvRun();
    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, run.config.metrics);
    const QStringList lines = QString::fromUtf8(summaryCsv(run, m)).split(QStringLiteral("\r\n"));
    QCOMPARE(lines[0], QStringLiteral("metric,value"));
    QCOMPARE(lines[1], QStringLiteral("date,20260102-030405"));
    QVERIFY(lines.contains(QStringLiteral("label,")));               // null: empty
    QVERIFY(lines.contains(QStringLiteral("request_rate,inf")));
    QVERIFY(lines.contains(QStringLiteral("completed,1")));
    QVERIFY(lines.contains(QStringLiteral("failed,1")));
    QVERIFY(lines.contains(QStringLiteral("mean_ttft_ms,100.0")));
    QVERIFY(lines.contains(QStringLiteral("stopped,false")));
    QVERIFY(!lines.contains(QStringLiteral("reasoning_requests,0")));
    for (const QString &line : lines)
        QVERIFY2(!line.startsWith(QStringLiteral("latencies")) && !line.startsWith(QStringLiteral("queue_times")),
                 qPrintable(line));
}

void TestCsv::writesAtomically()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const RunResult run = csvRun();
    QString error;
    const QString path = dir.filePath(QStringLiteral("requests.csv"));
    QVERIFY2(writeRequestsCsv(path, run.records, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), requestsCsv(run.records));

    const QString bad = dir.filePath(QStringLiteral("missing/summary.csv"));
    const BenchmarkMetrics m = computeMetrics(run.records, run.duration, run.config.metrics);
    QVERIFY(!writeSummaryCsv(bad, run, m, &error));
    QVERIFY2(error.contains(QStringLiteral("summary.csv")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestCsv)
#include "tst_csv.moc"
