#include "datasets/randomdataset.h"
#include "load/benchmarkrunner.h"
#include "render/palette.h"
#include "render/timelinepainter.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "timeline/timelineview.h"
#include "simrun.h"

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

using ts::RequestRecord;
using ts::TimelineView;

namespace {

RequestRecord makeRecord(int index, double start, double ttft, std::vector<double> itl)
{
    RequestRecord r;
    r.index = index;
    r.startTime = start;
    r.ttft = ttft;
    r.itl = std::move(itl);
    r.latency = r.ttft;
    for (double gap : r.itl)
        r.latency += gap;
    r.success = true;
    r.contentChunks = int(r.itl.size()) + 1;
    r.outputTokens = r.contentChunks;
    return r;
}

// Requests sent 0.1 s apart, each 0.5 s long.
std::vector<RequestRecord> staggered(int count)
{
    std::vector<RequestRecord> records;
    for (int i = 0; i < count; ++i)
        records.push_back(makeRecord(i, 0.1 * i, 0.1, std::vector<double>(8, 0.05)));
    return records;
}

std::vector<RequestRecord> synthetic(int count)
{
    std::mt19937 random(7);
    std::uniform_real_distribution<double> ttft(0.02, 0.4);
    std::uniform_real_distribution<double> gap(0.005, 0.07);
    std::vector<RequestRecord> records;
    records.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i) {
        std::vector<double> itl(16);
        for (double &g : itl)
            g = gap(random);
        records.push_back(makeRecord(i, 0.003 * i, ttft(random), std::move(itl)));
        if (i % 97 == 0) {
            records.back().success = false;
            records.back().error = QStringLiteral("HTTP 503");
        }
    }
    return records;
}

std::unique_ptr<TimelineView> shownView(QSize size = QSize(900, 560))
{
    auto view = std::make_unique<TimelineView>();
    view->resize(size);
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get()))
        return nullptr;
    return view;
}

bool hasPaintedRows(const QImage &image, const ts::TimelineViewport &v)
{
    const QRgb background = qRgb(255, 255, 255);
    for (int y = int(v.rows.top()) + 1; y < int(v.rows.bottom()); y += 3) {
        for (int x = int(v.rows.left()) + 4; x < int(v.rows.right()); x += 3) {
            const QRgb pixel = image.pixel(x, y);
            if (pixel != background && qAlpha(pixel) == 255 && qRed(pixel) != qGreen(pixel))
                return true;
        }
    }
    return false;
}

} // namespace

class TestTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clickSelectsTheRecordUnderIt()
    {
        auto view = shownView();
        QVERIFY(view);
        // Records arrive in completion order, so positions differ from workload indices.
        std::vector<RequestRecord> records = staggered(20);
        std::reverse(records.begin(), records.end());
        view->addRecords(records);
        QSignalSpy selected(view.get(), &TimelineView::requestSelected);

        const int record = 6;   // workload request 13, sent at 1.3 s
        const ts::TimelineViewport v = view->currentViewport();
        const int row = view->data().rowOfRecord(record);
        QCOMPARE(row, 13);
        const QPoint inside(int(v.xOf(1.3 + 0.25)), int(v.yOf(row + 0.5)));
        QTest::mouseClick(view->canvasWidget(), Qt::LeftButton, {}, inside);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.constFirst().constFirst().toInt(), record);
        QCOMPARE(view->selectedRequest(), record);

        // Left of its bar on the same row, nothing is there.
        const QPoint before(int(v.xOf(0.2)), int(v.yOf(row + 0.5)));
        QTest::mouseClick(view->canvasWidget(), Qt::LeftButton, {}, before);
        QCOMPARE(selected.count(), 1);
    }

    void thresholdsColourAGap_data()
    {
        QTest::addColumn<int>("mediumMs");
        QTest::addColumn<int>("slowMs");
        QTest::addColumn<QColor>("expected");
        QTest::addRow("vLLM's defaults: 30 ms is medium") << 25 << 50 << ts::palette::itlMedium();
        QTest::addRow("medium from 40 ms: fast") << 40 << 80 << ts::palette::itlFast();
        QTest::addRow("slow from 30 ms: slow") << 10 << 30 << ts::palette::itlSlow();
    }

    void thresholdsColourAGap()
    {
        QFETCH(int, mediumMs);
        QFETCH(int, slowMs);
        QFETCH(QColor, expected);
        auto view = shownView();
        QVERIFY(view);
        // The third chunk comes 30 ms after the second, from 0.11 s to 0.14 s.
        view->addRecords({makeRecord(0, 0.0, 0.1, {0.01, 0.03, 0.06, 0.01})});
        auto *medium = view->findChild<QSpinBox *>(QStringLiteral("mediumItl"));
        auto *slow = view->findChild<QSpinBox *>(QStringLiteral("slowItl"));
        QVERIFY(medium && slow);
        medium->setValue(mediumMs);
        slow->setValue(slowMs);

        const QSize size(800, 300);
        const QImage image = view->renderImage(size);
        const ts::TimelineViewport v = view->imageViewport(size);
        const QPoint gap(int(v.xOf(0.125)), int(v.yOf(0.5)));
        QCOMPARE(image.pixelColor(gap).rgb(), expected.rgb());
        // The wait for the first token does not depend on them.
        QCOMPARE(image.pixelColor(int(v.xOf(0.05)), gap.y()).rgb(), ts::palette::firstTokenWait().rgb());
    }

    void zoomNarrowsTheVisibleTimeRange()
    {
        auto view = shownView();
        QVERIFY(view);
        view->addRecords(staggered(50));
        const auto [begin, end] = view->visibleTimeRange();
        QCOMPARE(begin, 0.0);
        QCOMPARE(end, 0.1 * 49 + 0.5);

        view->zoomIn();
        const auto [zoomedBegin, zoomedEnd] = view->visibleTimeRange();
        QVERIFY(zoomedEnd - zoomedBegin < (end - begin) * 0.9);
        QVERIFY(zoomedBegin >= begin && zoomedEnd <= end);

        QTest::keyClick(view->canvasWidget()->parentWidget(), Qt::Key_Plus);
        const auto [keyBegin, keyEnd] = view->visibleTimeRange();
        QVERIFY(keyEnd - keyBegin < (zoomedEnd - zoomedBegin) * 0.9);

        QTest::keyClick(view->canvasWidget()->parentWidget(), Qt::Key_0);
        QCOMPARE(view->visibleTimeRange(), std::make_pair(begin, end));
    }

    void hundredThousandRowsBuildAndPaint()
    {
        auto view = shownView();
        QVERIFY(view);
        const std::vector<RequestRecord> records = synthetic(100000);
        // As a live run delivers them: in batches, painted from the timer.
        view->startRun();
        for (std::size_t i = 0; i < records.size(); i += 1000) {
            view->addRecords(std::vector<RequestRecord>(records.begin() + std::ptrdiff_t(i),
                                                        records.begin() + std::ptrdiff_t(i + 1000)));
        }
        view->finishRun();
        QCOMPARE(view->data().rowCount(), 100000);

        const QSize size(1200, 700);
        const QImage whole = view->renderImage(size);
        QVERIFY(hasPaintedRows(whole, view->imageViewport(size)));
        // Rows far outnumber pixels: they are drawn aggregated.
        QVERIFY(view->imageViewport(size).rowHeight < ts::TimelinePainter::individualRowsFromPx);

        for (int i = 0; i < 30; ++i)
            view->zoomIn();
        view->selectRequest(54321);
        const ts::TimelineViewport v = view->currentViewport();
        QVERIFY(v.rowHeight >= ts::TimelinePainter::individualRowsFromPx);
        const int row = view->data().rowOfRecord(54321);
        QVERIFY(row >= v.firstRow && row < v.firstRow + v.visibleRows());
        QVERIFY(hasPaintedRows(view->renderImage(size), view->imageViewport(size)));
        QVERIFY(!view->grab().isNull());
    }

    void savesPngAndSvg()
    {
        auto view = shownView();
        QVERIFY(view);
        view->addRecords(staggered(30));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString error;
        const QString png = dir.filePath(view->exportName() + QStringLiteral(".png"));
        QVERIFY2(view->saveImage(png, QSize(1000, 600), &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1000, 600));

        const QString svg = dir.filePath(view->exportName() + QStringLiteral(".svg"));
        QVERIFY2(view->saveImage(svg, QSize(1000, 600), &error), qPrintable(error));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(content.contains("<svg"));
        QVERIFY(content.contains("<rect") || content.contains("<path"));

        const QString nowhere = dir.filePath(QStringLiteral("missing/timeline.png"));
        QVERIFY(!view->saveImage(nowhere, QSize(100, 100), &error));
        QVERIFY2(error.contains(QStringLiteral("timeline.png")), qPrintable(error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(dir.filePath(QStringLiteral("missing")))), qPrintable(error));
        QVERIFY(!QFile::exists(nowhere));
    }

    void followsALiveRunOnTheBuiltInServer()
    {
        ts::SimServerThread server;
        QVERIFY(server.start(ts::test::fixedServer(30, 5)).ok());
        ts::BenchmarkConfig config;
        config.target.baseUrl = server.baseUrl();
        config.target.model = QStringLiteral("tokenstorm-sim");
        config.random.inputLen = 16;
        config.random.outputLen = 12;
        config.load.numPrompts = 40;
        config.load.maxConcurrency = 8;
        ts::BenchmarkRunner runner(config, ts::makeRandomPrompts(config.random, config.load.numPrompts, config.load.seed));

        auto view = shownView();
        QVERIFY(view);
        view->startRun();
        connect(&runner, &ts::BenchmarkRunner::requestFinished, view.get(),
                [&view](const RequestRecord &record) { view->addRecords({record}); });
        connect(&runner, &ts::BenchmarkRunner::progressChanged, view.get(), &TimelineView::addProgress);
        QSignalSpy finished(&runner, &ts::BenchmarkRunner::finished);
        runner.start();
        QVERIFY(finished.wait(60000));
        view->finishRun();

        QCOMPARE(view->data().rowCount(), 40);
        QVERIFY(!view->data().alignedAtZero());
        // At most the concurrency limit was ever in flight, and at some point more than one.
        QVERIFY(view->data().maxInFlight() <= 8);
        QVERIFY(view->data().maxInFlight() > 1);
        QVERIFY(view->visibleTimeRange().second >= view->data().timeEnd() - 1e-9);
        QVERIFY(hasPaintedRows(view->renderImage(QSize(800, 500)), view->imageViewport(QSize(800, 500))));
    }
};

QTEST_MAIN(TestTimeline)
#include "tst_timeline.moc"
