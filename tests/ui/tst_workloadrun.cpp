#include "forms/configpanel.h"
#include "forms/datasetpreview.h"
#include "forms/demoserverform.h"
#include "forms/loadform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"
#include "mainwindow.h"
#include "recordingproxy.h"
#include "views/resultdocument.h"
#include "runpanel.h"
#include "settings.h"
#include "shownwindow.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "tokenizer/tokenizer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>

using ts::test::RecordingProxy;

// Runs started from the window with real workloads. With a tokenizer, the random prompts the
// server receives have exactly the requested number of tokens by that tokenizer, and the result
// names where each count came from (the tokenizer is a small byte-level BPE fixture, so no
// network is needed). With multi-turn on, ShareGPT conversations go turn by turn.
class TestWorkloadRun : public QObject
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

    void randomPromptsHaveTheExactLength_data()
    {
        QTest::addColumn<int>("inputLen");
        QTest::addColumn<int>("prefixLen");
        QTest::addRow("40 tokens") << 40 << 0;
        QTest::addRow("100 tokens after a 16-token prefix") << 100 << 16;
    }

    void randomPromptsHaveTheExactLength()
    {
        QFETCH(int, inputLen);
        QFETCH(int, prefixLen);
        const QString tokenizerPath = QString::fromLocal8Bit(qgetenv("TOKENSTORM_TEST_DATA"))
            + QStringLiteral("/tokenizer/tiny-bytelevel.json");
        QString error;
        const std::shared_ptr<const ts::Tokenizer> tokenizer = ts::Tokenizer::load(tokenizerPath, &error);
        QVERIFY2(tokenizer, qPrintable(error));

        ts::SimServerThread server;
        QVERIFY(server.start(*ts::simPresetConfig(QStringLiteral("fixed"))).ok());
        RecordingProxy proxy;
        QVERIFY(proxy.listen(quint16(server.baseUrl().port())));

        const int requests = 12;
        const int outputLen = 5;
        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setChecked(false);
        ts::TargetForm *target = form->targetForm();
        target->backendBox()->setCurrentIndex(target->backendBox()->findData(QStringLiteral("openai")));
        target->baseUrlEdit()->setText(proxy.url().toString());
        target->modelBox()->setCurrentText(QStringLiteral("tokenstorm-sim"));
        ts::WorkloadForm *workload = form->workloadForm();
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("random")));
        workload->inputLenBox()->setValue(inputLen);
        workload->outputLenBox()->setValue(outputLen);
        workload->rangeRatioBox()->setValue(0.0);
        workload->prefixLenBox()->setValue(prefixLen);
        workload->tokenizerPathEdit()->setText(tokenizerPath);
        form->loadForm()->numPromptsBox()->setValue(requests);
        form->loadForm()->requestRateBox()->setValue(0);
        form->loadForm()->maxConcurrencyBox()->setValue(4);
        QVERIFY2(form->validate().isEmpty(), qPrintable(form->validate()));

        QSignalSpy shown(m_window.get(), &ts::MainWindow::documentShown);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
        const ts::ResultDocument *doc = m_window->document();
        QVERIFY(doc);
        QVERIFY2(doc->run.error.isEmpty(), qPrintable(doc->run.error));
        QCOMPARE(doc->metrics.completed, requests);
        QCOMPARE(doc->run.config.tokenizerId, tokenizerPath);

        // What the server received: the test probe first, then every measured request, each
        // prompt exactly prefix + input tokens long by the chosen tokenizer.
        const std::vector<RecordingProxy::Seen> &seen = proxy.seen();
        QCOMPARE(int(seen.size()), 1 + requests);
        for (const RecordingProxy::Seen &s : seen) {
            QVERIFY(s.body.is_object() && s.body.contains("prompt"));
            const QString prompt = QString::fromStdString(s.body["prompt"].get<std::string>());
            QCOMPARE(tokenizer->countTokens(prompt, true), prefixLen + inputLen);
            QCOMPARE(s.body["max_tokens"].get<int>(), outputLen);
        }
        // The server sends usage: its counts win and the records say so.
        for (const ts::RequestRecord &r : doc->run.records) {
            QVERIFY2(r.success, qPrintable(r.error));
            QCOMPARE(r.promptTokenSource, ts::TokenCountSource::Server);
            QCOMPARE(r.outputTokenSource, ts::TokenCountSource::Server);
            QCOMPARE(r.outputTokens, outputLen);
        }
        workload->tokenizerPathEdit()->clear();
        form->demoServerForm()->setChecked(true);
    }

    void multiTurnConversationsFromTheWindow()
    {
        const QString path = m_dir.filePath(QStringLiteral("chats.json"));
        nlohmann::json entries = nlohmann::json::array();
        for (int c = 0; c < 5; ++c) {
            nlohmann::json turns = nlohmann::json::array();
            for (int k = 0; k < 3; ++k) {
                turns.push_back({ { "from", "human" }, { "value", "Question " + std::to_string(k) + " of chat " + std::to_string(c) } });
                turns.push_back({ { "from", "gpt" }, { "value", "A recorded answer that is long enough." } });
            }
            entries.push_back({ { "id", std::to_string(c) }, { "conversations", turns } });
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(entries.dump()));
        file.close();

        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setChecked(true);
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        ts::TargetForm *target = form->targetForm();
        target->backendBox()->setCurrentIndex(target->backendBox()->findData(QStringLiteral("openai")));
        ts::WorkloadForm *workload = form->workloadForm();
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("sharegpt")));
        workload->datasetPathEdit()->setText(path);
        workload->multiTurnBox()->setChecked(true);
        form->loadForm()->numPromptsBox()->setValue(4);
        form->loadForm()->maxConcurrencyBox()->setValue(2);
        // Turns with their history need the chat API.
        QVERIFY(!form->validate().isEmpty());
        QVERIFY(!m_window->runPanel()->startButton()->isEnabled());
        target->backendBox()->setCurrentIndex(target->backendBox()->findData(QStringLiteral("openai-chat")));
        QVERIFY2(form->validate().isEmpty(), qPrintable(form->validate()));
        // The preview counts conversations and their turns.
        QTRY_COMPARE_WITH_TIMEOUT(workload->preview()->status(), ts::DatasetPreview::Status::Ready, 20000);
        QCOMPARE(workload->preview()->conversations(), 4);
        QCOMPARE(workload->preview()->summary().count, 12);

        QSignalSpy shown(m_window.get(), &ts::MainWindow::documentShown);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
        const ts::ResultDocument *doc = m_window->document();
        QVERIFY(doc);
        QVERIFY2(doc->run.error.isEmpty(), qPrintable(doc->run.error));
        QVERIFY(doc->run.config.multiTurn);
        QCOMPARE(doc->metrics.completed, 12);
        std::map<int, int> next;
        for (const ts::RequestRecord &r : doc->run.records)
            QCOMPARE(r.turn, next[r.conversation]++);
        QCOMPARE(int(next.size()), 4);

        workload->multiTurnBox()->setChecked(false);
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("random")));
        target->backendBox()->setCurrentIndex(target->backendBox()->findData(QStringLiteral("openai")));
    }

    // Reading a dataset file at Start shows how far it got; Stop while it reads ends the run
    // with nothing measured and nothing lost.
    void readingTheDatasetShowsProgressAndStops()
    {
        const QString path = m_dir.filePath(QStringLiteral("progress.json"));
        nlohmann::json entries = nlohmann::json::array();
        for (int c = 0; c < 3000; ++c) {
            const std::string text = "Question number " + std::to_string(c) + " asks about serving large language models well.";
            entries.push_back({ { "id", std::to_string(c) },
                                { "conversations", { { { "from", "human" }, { "value", text } },
                                                     { { "from", "gpt" }, { "value", text + " And this is its answer." } } } } });
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(entries.dump()));
        file.close();

        ts::ConfigPanel *form = m_window->configPanel();
        form->demoServerForm()->setChecked(true);
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        ts::WorkloadForm *workload = form->workloadForm();
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("sharegpt")));
        workload->datasetPathEdit()->setText(path);
        form->loadForm()->numPromptsBox()->setValue(8);
        form->loadForm()->maxConcurrencyBox()->setValue(8);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->runPanel()->startButton()->isEnabled(), 20000);

        QSignalSpy progress(m_window->controller(), &ts::RunController::preparationProgress);
        QSignalSpy shown(m_window.get(), &ts::MainWindow::documentShown);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
        QVERIFY(!progress.isEmpty());
        const qint64 done = progress.last().at(0).toLongLong();
        const qint64 total = progress.last().at(1).toLongLong();
        QVERIFY(total > 0);
        QCOMPARE(done, total);   // the last report is the finished work
        QCOMPARE(m_window->document()->metrics.completed, 8);

        QSignalSpy finished(m_window->controller(), &ts::RunController::runFinished);
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QCOMPARE(m_window->controller()->state(), ts::RunState::Preparing);
        QTest::mouseClick(m_window->runPanel()->stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto result = finished.first().first().value<ts::RunResult>();
        QVERIFY(result.stopped);
        QVERIFY(result.records.empty());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->controller()->state(), ts::RunState::Idle, 10000);

        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("random")));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ts::Settings> m_settings;
    std::unique_ptr<ts::MainWindow> m_window;
};

QTEST_MAIN(TestWorkloadRun)
#include "tst_workloadrun.moc"
