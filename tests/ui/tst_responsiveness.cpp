#include "forms/configpanel.h"
#include "forms/demoserverform.h"
#include "forms/loadform.h"
#include "forms/workloadform.h"
#include "mainwindow.h"
#include "results/resulttab.h"
#include "runpanel.h"
#include "settings.h"
#include "shownwindow.h"
#include "sim/fdlimit.h"
#include "stallmonitor.h"

#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

// How long the GUI thread's event loop stalls while the whole window runs a benchmark against
// the built-in server: at concurrency 500 with the Live tab in front, and at 1,000 with the
// Timeline tab in front (its rows and the requests in flight redrawn live); at the end the
// results (metrics, distributions, a table of every request). A 10 ms precise timer measures
// its own lateness; the longest lateness is the longest stall. Printed, not asserted: timing
// depends on the machine.
class TestResponsiveness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stall_data()
    {
        QTest::addColumn<QString>("tab");
        QTest::addColumn<int>("concurrency");
        QTest::addRow("live tab, 500 streams") << QStringLiteral("live") << 500;
        QTest::addRow("timeline tab, 1000 streams") << QStringLiteral("timeline") << 1000;
    }

    void stall()
    {
        QFETCH(QString, tab);
        QFETCH(int, concurrency);
        ts::raiseFileDescriptorLimit();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ts::Settings settings(dir.filePath(QStringLiteral("settings.ini")));
        const std::unique_ptr<ts::MainWindow> window = ts::test::showMainWindow(&settings);
        QVERIFY(window);

        const int requests = qEnvironmentVariableIsSet("TOKENSTORM_STALL_REQUESTS")
            ? qEnvironmentVariableIntValue("TOKENSTORM_STALL_REQUESTS")
            : 2000;
        ts::ConfigPanel *form = window->configPanel();
        // The fixed-latency preset has no slot limit, so every stream runs at once on the
        // server: 20 chunks/s each reach the client.
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        form->workloadForm()->inputLenBox()->setValue(64);
        form->workloadForm()->outputLenBox()->setValue(64);
        form->loadForm()->numPromptsBox()->setValue(requests);
        form->loadForm()->requestRateBox()->setValue(0);
        form->loadForm()->maxConcurrencyBox()->setValue(concurrency);

        ts::StallMonitor monitor(10);
        QSignalSpy shown(window.get(), &ts::MainWindow::documentShown);
        int peakInFlight = 0;
        connect(window->controller(), &ts::RunController::progressChanged, this,
                [&peakInFlight](const ts::RunProgress &p) { peakInFlight = std::max(peakInFlight, p.inFlight); });
        monitor.start();
        QTest::mouseClick(window->runPanel()->startButton(), Qt::LeftButton);
        // Starting shows the Live tab; bring the measured one to the front.
        QTRY_VERIFY(window->controller()->state() != ts::RunState::Idle);
        window->tabs()->setCurrentWidget(window->resultTab(tab));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 240000);
        // Let the results view paint once.
        QTest::qWait(300);
        monitor.stop();

        const ts::ResultDocument *doc = window->document();
        QVERIFY(doc);
        QCOMPARE(doc->metrics.completed + doc->metrics.failed, requests);
        QVERIFY(monitor.ticks() > 10);
        const QByteArray line = QStringLiteral("GUI event-loop stall, %10 tab in front, concurrency %11 (peak in flight %1, %2 requests, %3 s): "
                                               "longest %4 ms (the GUI thread ran %8 ms of it); longest busy stretch %9 ms; "
                                               "stalls over 50 ms: %5, over 100 ms: %6; TTFT mean %7 ms")
                                    .arg(peakInFlight)
                                    .arg(requests)
                                    .arg(doc->metrics.duration, 0, 'f', 1)
                                    .arg(monitor.maxStallMs(), 0, 'f', 1)
                                    .arg(monitor.stallsOver50Ms())
                                    .arg(monitor.stallsOver100Ms())
                                    .arg(doc->metrics.ttftMs.mean, 0, 'f', 1)
                                    .arg(monitor.maxStallCpuMs(), 0, 'f', 1)
                                    .arg(monitor.maxBusyMs(), 0, 'f', 1)
                                    .arg(tab)
                                    .arg(concurrency)
                                    .toUtf8();
        std::printf("%s\n", line.constData());
        QVERIFY(peakInFlight > concurrency * 8 / 10);
    }
};

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
