#include "charts/chartview.h"
#include "forms/configpanel.h"
#include "forms/demoserverform.h"
#include "forms/loadform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"
#include "mainwindow.h"
#include "prometheus/metricsscraper.h"
#include "runpanel.h"
#include "server/servermetricsdata.h"
#include "server/servermetricsview.h"
#include "settings.h"
#include "shownwindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QLineSeries>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace {

// A server that knows no page at all: /metrics answers 404 at once, anything else 404 after
// a while, so a run against it lasts long enough for the Server tab to ask.
class NoMetricsServer : public QTcpServer
{
public:
    NoMetricsServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection())
                serve(socket);
        });
    }

    int metricsRequests = 0;

private:
    void serve(QTcpSocket *socket)
    {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            QByteArray &buffer = m_buffers[socket];
            buffer += socket->readAll();
            const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const qsizetype length = contentLength(buffer.left(headerEnd));
            if (buffer.size() < headerEnd + 4 + length)
                return;
            const bool metrics = buffer.startsWith("GET /metrics");
            buffer.clear();
            if (metrics)
                ++metricsRequests;
            QPointer<QTcpSocket> guard(socket);
            QTimer::singleShot(metrics ? 0 : 1500, socket, [guard] {
                if (!guard)
                    return;
                guard->write("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found");
                guard->flush();
            });
        });
    }

    static qsizetype contentLength(const QByteArray &headers)
    {
        for (const QByteArray &line : headers.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                return line.mid(15).trimmed().toLongLong();
        }
        return 0;
    }

    QHash<QTcpSocket *, QByteArray> m_buffers;
};

double maxY(const QLineSeries *series)
{
    double m = 0.0;
    const QList<QPointF> points = series->points();
    for (const QPointF &p : points)
        m = std::max(m, p.y());
    return m;
}

} // namespace

// The Server tab as a user meets it: the main window runs against the built-in server, which
// publishes vLLM's metrics, and against a server without /metrics, which is not an error.
class TestServerMetricsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_settings = std::make_unique<ts::Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
        m_window = ts::test::showMainWindow(m_settings.get());
        QVERIFY(m_window);
        m_fileErrors = std::make_unique<QSignalSpy>(m_window.get(), &ts::MainWindow::fileError);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_settings.reset();
    }

    void dataKeepsOnlyWhatTheServerPublishes()
    {
        ts::ServerMetricsData data;
        ts::ServerMetricsSample sample;
        sample.snapshot.kind = ts::ServerKind::LlamaCpp;
        sample.snapshot.running = 3;
        sample.snapshot.waiting = 2;
        sample.generationTokensPerS = 120.0;
        data.addSample(sample, 1.0);
        QCOMPARE(data.sampleCount(), 1);
        QCOMPARE(data.serverKind(), ts::ServerKind::LlamaCpp);
        QCOMPARE(data.running().points(), QList<QPointF>({ QPointF(1.0, 3.0) }));
        QCOMPARE(data.runningPlusWaiting().points(), QList<QPointF>({ QPointF(1.0, 5.0) }));
        QCOMPARE(data.generationTokensPerSecond().size(), 1);
        QVERIFY(data.kvCachePercent().isEmpty());
        QVERIFY(data.promptTokensPerSecond().isEmpty());

        sample.snapshot.kvCacheUsage = 0.25;
        data.addSample(sample, 2.0);
        QCOMPARE(data.kvCachePercent().points(), QList<QPointF>({ QPointF(2.0, 25.0) }));
    }

    void clientRateStartsOverWithEachSweepLevel()
    {
        ts::ServerMetricsData data;
        ts::RunProgress p;
        p.inFlight = 4;
        for (int i = 0; i <= 4; ++i) {
            p.outputChunks = 25 * i;
            data.addClientProgress(p, 0.25 * i);
        }
        data.sampleClient(1.0);
        QCOMPARE(data.clientInFlight().points(), QList<QPointF>({ QPointF(1.0, 4.0) }));
        QCOMPARE(data.clientOutputTokensPerSecond().size(), 1);
        QCOMPARE(data.clientOutputTokensPerSecond().points().constFirst().y(), 100.0);
        // The next level counts from zero again: no negative rate, and a fresh start.
        p.outputChunks = 5;
        data.addClientProgress(p, 1.1);
        data.sampleClient(1.1);
        QCOMPARE(data.clientOutputTokensPerSecond().size(), 1);
        p.outputChunks = 35;
        data.addClientProgress(p, 1.6);
        data.sampleClient(1.6);
        QCOMPARE(data.clientOutputTokensPerSecond().size(), 2);
        QCOMPARE(data.clientOutputTokensPerSecond().points().constLast().y(), 60.0);
        // Warm-up progress does not count.
        p.warmingUp = true;
        p.outputChunks = 1000;
        data.addClientProgress(p, 1.8);
        data.sampleClient(1.9);
        QCOMPARE(data.clientOutputTokensPerSecond().points().constLast().y(), 60.0);
    }

    void watchingIsOnByDefaultAndRemembered()
    {
        ts::TargetForm *target = m_window->configPanel()->targetForm();
        QVERIFY(target->watchMetricsBox()->isChecked());
        QVERIFY(!target->watchMetricsBox()->toolTip().isEmpty());
        QVERIFY(m_window->tabs()->indexOf(m_window->serverView()) >= 0);
        target->watchMetricsBox()->setChecked(false);
        QVERIFY(!m_settings->boolValue(ts::Settings::Key::WatchServerMetrics));
        QVERIFY(!m_window->configPanel()->state().watchServerMetrics);
        target->watchMetricsBox()->setChecked(true);
        QVERIFY(m_settings->boolValue(ts::Settings::Key::WatchServerMetrics));
    }

    void chartsTheBuiltInServer()
    {
        // 16 slots and 32 requests at a time: the server's waiting queue must show.
        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setPreset(QStringLiteral("saturating"));
        form->workloadForm()->inputLenBox()->setValue(32);
        form->workloadForm()->outputLenBox()->setValue(40);
        form->loadForm()->numPromptsBox()->setValue(64);
        form->loadForm()->requestRateBox()->setValue(0);
        form->loadForm()->maxConcurrencyBox()->setValue(32);

        ts::ServerMetricsView *view = m_window->serverView();
        QSignalSpy sampled(view->scraper(), &ts::MetricsScraper::sampled);
        QSignalSpy finished(m_window->controller(), &ts::RunController::runFinished);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->isWatching(), 10000);
        QCOMPARE(view->scraper()->url().host(), m_window->controller()->demoServerUrl().host());
        QCOMPARE(view->scraper()->url().port(), m_window->controller()->demoServerUrl().port());
        QTRY_VERIFY_WITH_TIMEOUT(sampled.count() >= 2, 10000);
        QCOMPARE(view->status(), ts::ServerMetricsView::Status::Available);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY(!view->isWatching());

        QCOMPARE(view->data().serverKind(), ts::ServerKind::BuiltIn);
        QVERIFY(view->data().sampleCount() >= 2);
        QVERIFY(view->runningSeries()->count() > 0);
        QVERIFY(view->isSeriesShown(view->runningSeries()));
        QVERIFY(view->isSeriesShown(view->waitingSeries()));
        QVERIFY(view->isSeriesShown(view->clientInFlightSeries()));
        QVERIFY(view->isSeriesShown(view->generationSeries()));
        // The server never runs more than its 16 slots; the rest of the 32 wait.
        QVERIFY2(maxY(view->runningSeries()) <= 16.0, qPrintable(QString::number(maxY(view->runningSeries()))));
        QVERIFY(maxY(view->runningSeries()) > 0.0);
        QVERIFY(maxY(view->waitingSeries()) > 0.0);
        QVERIFY(maxY(view->clientInFlightSeries()) > 16.0);
        QVERIFY(maxY(view->generationSeries()) > 0.0);
        QVERIFY(view->statusText().contains(QStringLiteral("built-in server")));
        QVERIFY(view->statusText().contains(QStringLiteral("/metrics")));
        QCOMPARE(m_fileErrors->count(), 0);
    }

    void saysWhenWatchingIsOff()
    {
        ts::ConfigPanel *form = m_window->configPanel();
        form->targetForm()->watchMetricsBox()->setChecked(false);
        form->loadForm()->numPromptsBox()->setValue(4);
        QSignalSpy finished(m_window->controller(), &ts::RunController::runFinished);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        ts::ServerMetricsView *view = m_window->serverView();
        QCOMPARE(view->status(), ts::ServerMetricsView::Status::Off);
        QVERIFY(view->statusText().contains(QStringLiteral("off")));
        QCOMPARE(view->data().sampleCount(), 0);
        form->targetForm()->watchMetricsBox()->setChecked(true);
    }

    void aServerWithoutMetricsIsNotAnError()
    {
        NoMetricsServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setChecked(false);
        form->targetForm()->baseUrlEdit()->setText(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()));
        form->targetForm()->modelBox()->setCurrentText(QStringLiteral("some-model"));
        form->loadForm()->numPromptsBox()->setValue(2);
        QVERIFY2(form->validate().isEmpty(), qPrintable(form->validate()));

        ts::ServerMetricsView *view = m_window->serverView();
        QSignalSpy unavailable(view->scraper(), &ts::MetricsScraper::unavailable);
        QSignalSpy finished(m_window->controller(), &ts::RunController::runFinished);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(unavailable.count(), 1, 10000);
        QCOMPARE(view->status(), ts::ServerMetricsView::Status::NotAvailable);
        QVERIFY2(view->statusText().contains(QStringLiteral("404")), qPrintable(view->statusText()));
        QVERIFY(view->statusText().contains(QStringLiteral("not affected")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        // It asked once and then let the server be.
        QCOMPARE(server.metricsRequests, 1);
        QCOMPARE(view->status(), ts::ServerMetricsView::Status::NotAvailable);
        QCOMPARE(view->data().sampleCount(), 0);
        QVERIFY(!view->chartViews().first()->isVisibleTo(view));
        QCOMPARE(m_fileErrors->count(), 0);
        form->demoServerForm()->setChecked(true);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ts::Settings> m_settings;
    std::unique_ptr<ts::MainWindow> m_window;
    std::unique_ptr<QSignalSpy> m_fileErrors;
};

QTEST_MAIN(TestServerMetricsView)
#include "tst_servermetricsview.moc"
