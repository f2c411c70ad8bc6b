#include "anatomy/anatomyview.h"
#include "datasets/randomdataset.h"
#include "load/benchmarkrunner.h"
#include "results/chunks.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "records.h"
#include "simrun.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace ts;

namespace {

using ts::test::chineseChunkedRecord;

// A longer answer, one chunk per sentence piece, with gaps of every colour.
RequestRecord longChineseRecord()
{
    const QStringList pieces = { QStringLiteral("大"), QStringLiteral("语言"), QStringLiteral("模型"), QStringLiteral("的"),
                                 QStringLiteral("推理"), QStringLiteral("服务"), QStringLiteral("，"), QStringLiteral("首"),
                                 QStringLiteral("个"), QStringLiteral("词元"), QStringLiteral("要"), QStringLiteral("等"),
                                 QStringLiteral("预填充"), QStringLiteral("完成"), QStringLiteral("；"), QStringLiteral("之后"),
                                 QStringLiteral("每"), QStringLiteral("个"), QStringLiteral("词元"), QStringLiteral("的"),
                                 QStringLiteral("间隔"), QStringLiteral("就是"), QStringLiteral(" ITL"), QStringLiteral("。\n"),
                                 QStringLiteral("压测"), QStringLiteral("时"), QStringLiteral("看"), QStringLiteral("它"),
                                 QStringLiteral("稳"), QStringLiteral("不稳"), QStringLiteral("。") };
    const double gapsMs[] = { 30, 40, 35, 32, 28, 61, 22, 24, 45, 31, 29, 33, 120, 27, 26,
                              30, 34, 38, 22, 21, 55, 30, 29, 33, 47, 26, 25, 24, 52, 30 };
    RequestRecord r;
    r.index = 17;
    r.success = true;
    r.httpStatus = 200;
    r.ttft = 0.125;
    r.latency = r.ttft;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        r.generatedText += pieces[i];
        r.chunkTextEnds.push_back(std::uint32_t(r.generatedText.size()));
        r.chunkTokens.push_back(std::uint16_t(pieces[i].size() > 1 ? 2 : 1));
        r.outputTokens += r.chunkTokens.back();
        if (i > 0) {
            r.itl.push_back(gapsMs[i - 1] / 1000.0);
            r.latency += r.itl.back();
        }
    }
    r.contentChunks = int(pieces.size());
    r.outputTokenSource = TokenCountSource::Server;
    return r;
}

// One request as a live run against the built-in server measures it.
RequestRecord builtInServerRecord()
{
    SimServerThread server;
    if (!server.start(ts::test::fixedServer(30, 5)).ok())
        return {};
    BenchmarkConfig config;
    config.target.baseUrl = server.baseUrl();
    config.target.model = QStringLiteral("tokenstorm-sim");
    config.random.inputLen = 16;
    config.random.outputLen = 10;
    config.load.numPrompts = 1;
    config.load.maxConcurrency = 1;
    const RunResult result = ts::test::runToEnd(config);
    return result.records.empty() ? RequestRecord() : result.records.front();
}

bool shown(const QWidget *w, const QWidget *window)
{
    return w->isVisibleTo(window);
}

} // namespace

class TestAnatomyView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nothingSelectedShowsHint();
    void showsTheRecordsNumbers();
    void chunkBoxesFollowTheText();
    void recordWithoutChunkTexts();
    void failedRecordSaysWhy();
    void replayRevealsChunksAtScaledTimes();
    void switchingRecordsStopsReplay();
    void stopShowsEverything();
    void screenshotOfChineseRecord();
};

void TestAnatomyView::nothingSelectedShowsHint()
{
    AnatomyView view;
    view.resize(700, 600);
    const RequestRecord r = chineseChunkedRecord();
    view.setRecord(&r);
    view.setRecord(nullptr);
    QVERIFY(!view.hasRecord());
    QCOMPARE(view.chunkBoxCount(), 0);
    QVERIFY(view.formulasText().isEmpty());
    bool hint = false;
    for (const QLabel *label : view.findChildren<QLabel *>()) {
        if (shown(label, &view) && label->text().contains(QStringLiteral("timeline")))
            hint = true;
        if (shown(label, &view))
            QVERIFY2(!label->text().contains(QStringLiteral("TTFT =")), qPrintable(label->text()));
    }
    QVERIFY(hint);
    QVERIFY(!view.findChild<QPushButton *>()->isVisibleTo(&view));
}

void TestAnatomyView::showsTheRecordsNumbers()
{
    AnatomyView view;
    view.resize(700, 600);
    const RequestRecord r = chineseChunkedRecord();
    view.setRecord(&r);
    const QString text = view.formulasText();
    QVERIFY2(text.contains(QStringLiteral("TTFT = t(first chunk) − t(sent) = 125.0 ms")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("(262.0 − 125.0) / (7 − 1) = 22.8 ms")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("ITL = [30.0, 40.0, 35.0, 32.0] ms")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("E2EL = t(last chunk) − t(sent) = 262.0 ms")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("pool")), qPrintable(text));
}

void TestAnatomyView::chunkBoxesFollowTheText()
{
    AnatomyView view;
    view.resize(700, 600);
    const RequestRecord r = chineseChunkedRecord();
    view.setRecord(&r);
    QCOMPARE(view.chunkBoxCount(), 5);
    QCOMPARE(view.revealedChunkCount(), 5);
    const QStringList expected = { QStringLiteral("你"), QStringLiteral("好，"), QStringLiteral("我"),
                                   QStringLiteral("是"), QStringLiteral("助手") };
    QCOMPARE(view.chunkTexts(), expected);
    // The whole-text fallback is for records without chunk texts only.
    QVERIFY(!view.findChild<QPlainTextEdit *>()->isVisibleTo(&view));

    const RequestRecord longer = longChineseRecord();
    view.setRecord(&longer);
    QCOMPARE(view.chunkBoxCount(), longer.contentChunks);
    QCOMPARE(view.chunkTexts().join(QString()), longer.generatedText);
}

void TestAnatomyView::recordWithoutChunkTexts()
{
    const RequestRecord live = builtInServerRecord();
    QVERIFY2(live.success, qPrintable(live.error));
    AnatomyView view;
    view.resize(700, 600);
    view.setRecord(&live);
    QCOMPARE(view.chunkBoxCount(), int(chunksOf(live).size()));
    QCOMPARE(view.chunkBoxCount(), 10);

    // As vLLM's files keep it: the times without the texts, and the whole text below.
    RequestRecord wholeOnly = live;
    wholeOnly.chunkTextEnds.clear();
    wholeOnly.chunkTokens.clear();
    view.setRecord(&wholeOnly);
    QCOMPARE(view.chunkBoxCount(), 10);
    for (const QString &t : view.chunkTexts())
        QVERIFY(t.isEmpty());
    const auto *whole = view.findChild<QPlainTextEdit *>();
    QVERIFY(whole->isVisibleTo(&view));
    QCOMPARE(whole->toPlainText(), live.generatedText);
    bool note = false;
    for (const QLabel *label : view.findChildren<QLabel *>())
        note = note || (label->isVisibleTo(&view) && label->text().contains(QStringLiteral("whole answer")));
    QVERIFY(note);
    QVERIFY2(view.formulasText().contains(QStringLiteral("(10 − 1)")), qPrintable(view.formulasText()));
}

void TestAnatomyView::failedRecordSaysWhy()
{
    RequestRecord r = chineseChunkedRecord();
    r.success = false;
    r.error = QStringLiteral("The server closed the connection in the middle of the answer.");
    r.itl.resize(1);
    r.chunkTextEnds.resize(2);
    r.chunkTokens.resize(2);
    r.latency = 0.2;
    AnatomyView view;
    view.resize(700, 600);
    view.setRecord(&r);
    QCOMPARE(view.chunkBoxCount(), 2);
    const QString text = view.formulasText();
    QVERIFY2(text.contains(r.error), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("2 chunks arrived")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("TPOT =")), qPrintable(text));
}

void TestAnatomyView::replayRevealsChunksAtScaledTimes()
{
    AnatomyView view;
    view.resize(700, 600);
    const RequestRecord r = chineseChunkedRecord();
    view.setRecord(&r);
    view.setReplaySpeed(0.1);
    QCOMPARE(view.replaySpeed(), 0.1);
    QSignalSpy finished(&view, &AnatomyView::replayFinished);
    view.startReplay();
    QVERIFY(view.isReplaying());
    QCOMPARE(view.revealedChunkCount(), 0);

    // At 0.1×, the first chunk shows 1.25 s after the start, the second 0.3 s later.
    view.advanceReplay(1.249);
    QCOMPARE(view.revealedChunkCount(), 0);
    view.advanceReplay(0.002);
    QCOMPARE(view.revealedChunkCount(), 1);
    view.advanceReplay(0.3);
    QCOMPARE(view.revealedChunkCount(), 2);

    const double scaledDuration = r.latency / 0.1;
    view.advanceReplay(scaledDuration - 1.249 - 0.002 - 0.3);
    QCOMPARE(view.revealedChunkCount(), 5);
    view.advanceReplay(0.01);
    QVERIFY(!view.isReplaying());
    QCOMPARE(finished.count(), 1);
    QCOMPARE(view.revealedChunkCount(), 5);
}

void TestAnatomyView::switchingRecordsStopsReplay()
{
    AnatomyView view;
    view.resize(700, 600);
    const RequestRecord first = chineseChunkedRecord();
    const RequestRecord second = longChineseRecord();
    view.setRecord(&first);
    view.setReplaySpeed(0.1);
    view.startReplay();
    view.advanceReplay(0.5);
    QVERIFY(view.isReplaying());
    QCOMPARE(view.revealedChunkCount(), 0);

    view.setRecord(&second);
    QVERIFY(!view.isReplaying());
    QCOMPARE(view.revealedChunkCount(), second.contentChunks);
    // The frame timer went with the replay: nothing moves on by itself afterwards.
    QTest::qWait(150);
    QVERIFY(!view.isReplaying());
    QCOMPARE(view.revealedChunkCount(), second.contentChunks);

    view.startReplay();
    view.setRecord(nullptr);
    QVERIFY(!view.isReplaying());
}

void TestAnatomyView::stopShowsEverything()
{
    AnatomyView view;
    view.resize(700, 600);
    const RequestRecord r = longChineseRecord();
    view.setRecord(&r);
    auto buttons = view.findChildren<QPushButton *>();
    QCOMPARE(buttons.size(), 2);
    QPushButton *replay = buttons[0];
    QPushButton *stop = buttons[1];
    QVERIFY(replay->isEnabled());
    QVERIFY(!stop->isEnabled());
    view.setReplaySpeed(1.0);
    replay->click();
    QVERIFY(view.isReplaying());
    QVERIFY(!replay->isEnabled());
    view.advanceReplay(0.2);
    QVERIFY(view.revealedChunkCount() > 0);
    QVERIFY(view.revealedChunkCount() < r.contentChunks);
    stop->click();
    QVERIFY(!view.isReplaying());
    QCOMPARE(view.revealedChunkCount(), r.contentChunks);
    QVERIFY(replay->isEnabled());
}

// Set TOKENSTORM_ANATOMY_SCREENSHOT to a PNG path to look at the view.
void TestAnatomyView::screenshotOfChineseRecord()
{
    AnatomyView view;
    view.resize(760, 720);
    const RequestRecord r = longChineseRecord();
    view.setRecord(&r);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
    const QString path = qEnvironmentVariable("TOKENSTORM_ANATOMY_SCREENSHOT");
    if (!path.isEmpty())
        QVERIFY(image.save(path));

    // Into a replay at 1×: chunks at 125, 155, 195, 230 and 262 ms, so four by 250 ms.
    view.setReplaySpeed(1.0);
    view.startReplay();
    view.advanceReplay(0.25);
    QCOMPARE(view.revealedChunkCount(), 4);
    if (!path.isEmpty())
        QVERIFY(view.grab().save(QString(path).replace(QStringLiteral(".png"), QStringLiteral("-replay.png"))));

    // The same answer cut short, as a file that kept only the whole text would show it.
    RequestRecord cut = r;
    cut.success = false;
    cut.error = QStringLiteral("The server closed the connection in the middle of the answer.");
    cut.itl.resize(11);
    cut.chunkTextEnds.clear();
    cut.chunkTokens.clear();
    cut.latency = cut.ttft + 0.5;
    cut.generatedText.truncate(16);
    view.setRecord(&cut);
    QCOMPARE(view.chunkBoxCount(), 12);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    if (!path.isEmpty())
        QVERIFY(view.grab().save(QString(path).replace(QStringLiteral(".png"), QStringLiteral("-failed.png"))));
}

QTEST_MAIN(TestAnatomyView)
#include "tst_anatomy.moc"
