#include "charts/chartview.h"
#include "charts/livecharts.h"
#include "forms/configpanel.h"
#include "forms/demoserverform.h"
#include "forms/fieldfeedback.h"
#include "forms/loadform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"
#include "i18n.h"
#include "anatomy/anatomyview.h"
#include "exercises/exercisespanel.h"
#include "mainwindow.h"
#include "timeline/timelinetab.h"
#include "timeline/timelineview.h"
#include "views/anatomy.h"
#include "models/requesttablemodel.h"
#include "results/requestsview.h"
#include "results/resultfile.h"
#include "results/summaryview.h"
#include "runpanel.h"
#include "settings.h"
#include "shownwindow.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "visibletexts.h"

#include <QChart>
#include <QCheckBox>
#include <QProgressBar>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// The whole window as a user drives it: fill the form, run against the built-in server, read
// the results, save and read back, open vLLM's files, switch the language, and get told about
// invalid input. One window for the whole class, as a user keeps one open.
class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_settings = std::make_unique<ts::Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
        m_window = ts::test::showMainWindow(m_settings.get());
        QVERIFY(m_window);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_settings.reset();
    }

    void firstLaunchUsesTheDemoServer()
    {
        QVERIFY(m_window->configPanel()->demoServerForm()->isOn());
        QVERIFY(m_window->runPanel()->startButton()->isEnabled());
    }

    void runsAgainstTheBuiltInServer()
    {
        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        form->targetForm()->apiKeyEdit()->setText(QStringLiteral("sk-must-not-leak"));
        form->workloadForm()->inputLenBox()->setValue(32);
        form->workloadForm()->outputLenBox()->setValue(6);
        form->loadForm()->numPromptsBox()->setValue(20);
        form->loadForm()->requestRateBox()->setValue(0);
        form->loadForm()->maxConcurrencyBox()->setValue(10);

        QSignalSpy shown(m_window.get(), &ts::MainWindow::documentShown);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->runPanel()->stopButton()->isEnabled(), 5000);
        QVERIFY(!m_window->runPanel()->startButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);

        const ts::ResultDocument *doc = m_window->document();
        QVERIFY(doc);
        QCOMPARE(doc->metrics.completed, 20);
        QCOMPARE(doc->metrics.failed, 0);
        // The built-in server's fixed preset: first token after 100 ms.
        QVERIFY(doc->metrics.ttftMs.mean >= 95.0);

        const QString summary = m_window->summaryView()->summaryText();
        QVERIFY2(summary.contains(QRegularExpression(QStringLiteral("Successful requests:\\s+20\\s*\\n"))), qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("Mean TTFT (ms):")));
        QCOMPARE(m_window->tabs()->currentWidget(), m_window->summaryView());

        ts::RequestsView *requests = m_window->requestsView();
        QCOMPARE(requests->model()->rowCount(), 20);
        QVERIFY(!requests->model()->index(0, ts::RequestTableModel::TtftColumn).data().toString().isEmpty());
        requests->failedOnlyBox()->setChecked(true);
        QCOMPARE(requests->proxy()->rowCount(), 0);
        requests->failedOnlyBox()->setChecked(false);

        QCOMPARE(int(m_window->liveCharts()->data().ttft().size()), 20);
        QCOMPARE(m_window->runPanel()->progressBar()->value(), 20);
        QCOMPARE(m_window->runPanel()->counterValue(ts::RunPanel::Succeeded)->text(), QStringLiteral("20"));
    }

    void teachingViewsShowTheRun()
    {
        const ts::ResultDocument *doc = m_window->document();
        QVERIFY(doc);
        ts::TimelineTab *timeline = m_window->timelineTab();
        QCOMPARE(timeline->timeline()->data().rowCount(), 20);
        QVERIFY(!timeline->timeline()->data().alignedAtZero());

        // Clicking a request shows its anatomy, with this record's own numbers.
        timeline->showRequest(3);
        QVERIFY(timeline->anatomy()->hasRecord());
        const QString formulas = timeline->anatomy()->formulasText();
        QVERIFY2(formulas.contains(ts::anatomyMs(doc->run.records[3].ttft * 1000.0)), qPrintable(formulas));
        QCOMPARE(timeline->anatomy()->chunkBoxCount(), int(doc->run.records[3].itl.size()) + 1);

        // A summary line marks the requests behind its value: P99 of 20 TTFTs is the slowest one.
        m_window->highlightRequestsBehind(ts::MetricId::Ttft, ts::Statistic::Percentile, 99.0);
        QCOMPARE(m_window->tabs()->currentWidget(), timeline);
        QCOMPARE(timeline->timeline()->data().highlightedCount(), 1);

        // The report of the shown run, both formats.
        QString error;
        const QString html = m_dir.filePath(QStringLiteral("report.html"));
        QVERIFY2(m_window->exportReport(html, &error), qPrintable(error));
        QFile file(html);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("<svg"));
        QVERIFY2(m_window->exportReport(m_dir.filePath(QStringLiteral("report.pdf")), &error), qPrintable(error));
        QVERIFY(QFileInfo(m_dir.filePath(QStringLiteral("report.pdf"))).size() > 10000);

        // The exercises open beside the results and know the run already measured.
        ts::ExercisesPanel *exercises = m_window->showExercises();
        QVERIFY(exercises);
        QVERIFY(exercises->isVisible());
        QCOMPARE(int(exercises->evidence().runs.size()), 1);
        m_window->tabs()->setCurrentWidget(m_window->summaryView());
    }

    void savesJsonAndCsvAndReadsThemBack()
    {
        QVERIFY(m_window->document());
        const QString json = m_dir.filePath(QStringLiteral("result.json"));
        QString error;
        QVERIFY2(m_window->saveResultJson(json, &error), qPrintable(error));
        const std::optional<ts::ResultFile> file = ts::readResultFile(json, &error);
        QVERIFY2(file, qPrintable(error));
        QCOMPARE(file->metrics.completed, 20);
        QCOMPARE(int(file->records.size()), 20);
        QCOMPARE(file->setup.modelId, QStringLiteral("tokenstorm-sim"));
        QCOMPARE(file->metrics.ttftMs.mean, m_window->document()->metrics.ttftMs.mean);

        const QString csv = m_dir.filePath(QStringLiteral("requests.csv"));
        QVERIFY2(m_window->saveRequestsCsv(csv, &error), qPrintable(error));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csvFile.readAll().split('\n');
        QVERIFY(lines.first().startsWith("index,success,"));
        QCOMPARE(lines.size(), 1 + 20 + 1);   // header, rows, the empty piece after the last CRLF

        const QString summaryCsv = m_dir.filePath(QStringLiteral("summary.csv"));
        QVERIFY2(m_window->saveSummaryCsv(summaryCsv, &error), qPrintable(error));
        QFile summaryFile(summaryCsv);
        QVERIFY(summaryFile.open(QIODevice::ReadOnly));
        QVERIFY(summaryFile.readAll().contains("completed,20"));

        // The API key never reaches a file.
        for (const QString &path : { json, csv, summaryCsv, m_settings->fileName() }) {
            m_settings->sync();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains("sk-must-not-leak"), qPrintable(path));
        }
    }

    void aFailedWriteIsReported()
    {
        QSignalSpy errors(m_window.get(), &ts::MainWindow::fileError);
        // A missing folder would be created; a folder cannot be made where a file is.
        QFile blocker(m_dir.filePath(QStringLiteral("a-file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QString error;
        QVERIFY(!m_window->saveResultJson(m_dir.filePath(QStringLiteral("a-file/result.json")), &error));
        QVERIFY(!error.isEmpty());
    }

    void savesChartsAtReportSize()
    {
        const QString dir = m_dir.filePath(QStringLiteral("charts"));
        QVERIFY(QDir().mkpath(dir));
        QString error;
        QVERIFY2(m_window->saveCharts(dir, &error), qPrintable(error));
        const QStringList files = QDir(dir).entryList(QDir::Files);
        QCOMPARE(files.size(), m_window->allExportables().size() * 2);
        const QImage png(QDir(dir).filePath(QStringLiteral("live-ttft.png")));
        QCOMPARE(png.size(), QSize(1600, 1000));
        QFile svg(QDir(dir).filePath(QStringLiteral("distribution-ttft.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray svgText = svg.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("viewBox=\"0 0 1600 1000\""));
        // The chart on screen keeps its size.
        QVERIFY(m_window->liveCharts()->chartViews().first()->chart()->size().width() < 1600);
    }

    void runsAPromptFile()
    {
        // A custom dataset: one JSON object per line, as vLLM's benchmark reads it.
        const QString path = m_dir.filePath(QStringLiteral("prompts.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 8; ++i)
            file.write(QStringLiteral("{\"prompt\": \"Question %1: what is a token?\", \"output_len\": 4}\n").arg(i).toUtf8());
        file.close();

        ts::ConfigPanel *form = m_window->configPanel();
        ts::WorkloadForm *workload = form->workloadForm();
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("custom")));
        workload->datasetPathEdit()->setText(path);
        form->loadForm()->numPromptsBox()->setValue(8);
        QVERIFY(m_window->runPanel()->startButton()->isEnabled());
        QSignalSpy shown(m_window.get(), &ts::MainWindow::documentShown);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
        QCOMPARE(m_window->document()->metrics.completed, 8);
        QCOMPARE(m_window->document()->metrics.totalOutputTokens, 8 * 4);
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("random")));
        form->loadForm()->numPromptsBox()->setValue(20);
    }

    void opensVllmResultFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("completed");
        QTest::addColumn<bool>("perRequest");
        QTest::addRow("detailed completions") << QStringLiteral("vllm-completions-detailed.json") << 24 << true;
        QTest::addRow("chat summary only") << QStringLiteral("vllm-chat-summary.json") << 16 << false;
    }

    void opensVllmResultFiles()
    {
        QFETCH(QString, file);
        QFETCH(int, completed);
        QFETCH(bool, perRequest);
        const QString path = qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/vllm/") + file;
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QSignalSpy shown(m_window.get(), &ts::MainWindow::documentShown);
        m_window->openResult(path);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 10000);
        QCOMPARE(m_window->document()->metrics.completed, completed);
        QVERIFY(m_window->document()->fromFile());
        QVERIFY(m_window->summaryView()->summaryText().contains(QStringLiteral("Successful requests:")));
        QCOMPARE(m_window->requestsView()->model()->rowCount() > 0, perRequest);
        QVERIFY(m_window->windowTitle().contains(file));
    }

    void anUnreadableFileIsReported()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        QSignalSpy errors(m_window.get(), &ts::MainWindow::fileError);
        m_window->openResult(path);
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        QVERIFY(errors.first().first().toString().contains(QStringLiteral("broken.json")));
    }

    void switchesToChineseWithNoEnglishLeft()
    {
        m_window->setLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(ts::i18n::currentLanguage(), QStringLiteral("zh_CN"));
        QStringList leftovers;
        // The shown result's model name is data, not interface text.
        const QStringList modelWords = m_window->document()->run.config.target.model.split(QRegularExpression(QStringLiteral("[^A-Za-z0-9]+")));
        for (QWidget *page : { static_cast<QWidget *>(m_window->summaryView()), static_cast<QWidget *>(m_window->requestsView()),
                               static_cast<QWidget *>(m_window->liveCharts()) }) {
            m_window->tabs()->setCurrentWidget(page);
            for (const QString &text : visibleTexts(m_window.get())) {
                const QStringList words = englishWords(text.mid(text.indexOf(QStringLiteral(": ")) + 2), modelWords);
                if (!words.isEmpty())
                    leftovers << text + QStringLiteral("  <-- ") + words.join(u' ');
            }
        }
        leftovers.removeDuplicates();
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u'\n')));
        // Chart titles follow the language.
        const QString title = m_window->liveCharts()->chartViews().first()->chart()->title();
        QVERIFY2(title.contains(QRegularExpression(QStringLiteral("\\p{Han}"))), qPrintable(title));
        QCOMPARE(m_settings->stringValue(ts::Settings::Key::Language), QStringLiteral("zh_CN"));

        m_window->setLanguage(QStringLiteral("en"));
        QCOMPARE(m_window->liveCharts()->chartViews().first()->chart()->title().left(4), QStringLiteral("Time"));
        QCOMPARE(m_window->runPanel()->startButton()->text(), QStringLiteral("Start"));
    }

    void rejectsInvalidInputWithAMessage()
    {
        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setChecked(false);
        form->targetForm()->baseUrlEdit()->setText(QStringLiteral("localhost:8000"));
        QVERIFY(!m_window->runPanel()->startButton()->isEnabled());
        const QString status = m_window->runPanel()->statusText();
        QVERIFY2(status.contains(QStringLiteral("http://")), qPrintable(status));
        QVERIFY(form->targetForm()->baseUrlEdit()->property("invalid").toBool());

        form->targetForm()->baseUrlEdit()->setText(QStringLiteral("http://localhost:8000"));
        QVERIFY(m_window->runPanel()->startButton()->isEnabled());
        QVERIFY(!form->targetForm()->baseUrlEdit()->property("invalid").toBool());
        form->demoServerForm()->setChecked(true);
    }

    void aServerThatIsNotThereFailsInPlainWords()
    {
        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setChecked(false);
        // A port nobody listens on.
        form->targetForm()->baseUrlEdit()->setText(QStringLiteral("http://127.0.0.1:9"));
        form->targetForm()->modelBox()->setCurrentText(QStringLiteral("any"));
        QSignalSpy tested(m_window->controller(), &ts::RunController::connectionTested);
        QTest::mouseClick(form->targetForm()->testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 20000);
        const auto report = tested.first().at(0).value<ts::ConnectionReport>();
        QCOMPARE(report.kind, ts::ConnectionReport::Failed);
        QVERIFY(!report.error.isEmpty());
        QVERIFY(form->targetForm()->reportText().contains(report.error));
        form->demoServerForm()->setChecked(true);
    }

    void testConnectionReportsTimes()
    {
        QSignalSpy tested(m_window->controller(), &ts::RunController::connectionTested);
        QTest::mouseClick(m_window->configPanel()->targetForm()->testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 20000);
        const auto report = tested.first().at(0).value<ts::ConnectionReport>();
        QVERIFY2(report.ok(), qPrintable(report.error));
        QVERIFY(report.ttftMs >= 95.0);   // the fixed preset's 100 ms
        QVERIFY(report.latencyMs >= report.ttftMs);
        QVERIFY(m_window->configPanel()->targetForm()->reportText().contains(QStringLiteral("ms")));
    }

    void fetchesTheModelsOfAServer()
    {
        ts::SimServerThread server;
        ts::SimServerConfig config = *ts::simPresetConfig(QStringLiteral("fixed"));
        config.modelId = QStringLiteral("served-model-7b");
        QVERIFY(server.start(config).ok());
        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setChecked(false);
        form->targetForm()->baseUrlEdit()->setText(server.baseUrl().toString());
        form->targetForm()->modelBox()->setCurrentText(QString());
        QVERIFY(form->targetForm()->fetchButton()->isEnabled());
        QTest::mouseClick(form->targetForm()->fetchButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(form->targetForm()->modelBox()->currentText(), QStringLiteral("served-model-7b"), 10000);
        QVERIFY(form->targetForm()->fetchButton()->isEnabled());
        QCOMPARE(form->state().config.target.model, QStringLiteral("served-model-7b"));
        form->demoServerForm()->setChecked(true);
    }

    void formAndLayoutPersist()
    {
        m_window->configPanel()->loadForm()->numPromptsBox()->setValue(321);
        m_window->close();
        ts::MainWindow second(m_settings.get());
        QCOMPARE(second.configPanel()->loadForm()->numPromptsBox()->value(), 321);
        QCOMPARE(second.configPanel()->demoServerForm()->preset(), QStringLiteral("fixed"));
        QVERIFY(!m_settings->bytesValue(ts::Settings::Key::WindowGeometry).isEmpty());
        QVERIFY(second.configPanel()->targetForm()->apiKeyEdit()->text().isEmpty());
    }

    void stopKeepsWhatWasMeasuredAndClosingMidRunIsClean()
    {
        auto window = std::make_unique<ts::MainWindow>(m_settings.get());
        window->setProperty("noDialogs", true);
        window->show();
        ts::ConfigPanel *form = window->configPanel();
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        form->workloadForm()->outputLenBox()->setValue(40);   // 2 s per request
        form->loadForm()->numPromptsBox()->setValue(200);
        form->loadForm()->maxConcurrencyBox()->setValue(20);
        QSignalSpy shown(window.get(), &ts::MainWindow::documentShown);
        QTest::mouseClick(window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window->runPanel()->counterValue(ts::RunPanel::Succeeded)->text().toInt() >= 20, 20000);
        QTest::mouseClick(window->runPanel()->stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
        QVERIFY(window->document()->run.stopped);
        QVERIFY(window->document()->metrics.completed >= 20);
        QVERIFY(window->document()->metrics.total() < 200);

        // Start again and close the window while requests are in flight.
        QTest::mouseClick(window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window->runPanel()->counterValue(ts::RunPanel::InFlight)->text().toInt() > 0, 20000);
        window->close();
        window.reset();
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ts::Settings> m_settings;
    std::unique_ptr<ts::MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
