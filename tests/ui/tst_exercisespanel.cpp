#include "exercises/exercisehost.h"
#include "exercises/exercisespanel.h"
#include "runcontroller.h"
#include "views/resultdocument.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

#include <algorithm>
#include <memory>

namespace {

// The window's part, played by a RunController against the built-in server. Runs are kept
// short: fewer requests and shorter answers than the steps ask for, same classroom server.
class TestHost : public ts::ExerciseHost
{
public:
    TestHost()
    {
        QObject::connect(&controller, &ts::RunController::runFinished, &controller, [this](const ts::RunResult &run) {
            ++finished;
            lastError = run.error;
            if (panel)
                panel->runFinished(ts::documentFromRun(run));
        });
        QObject::connect(&controller, &ts::RunController::sweepFinished, &controller, [this](const ts::SweepResult &sweep) {
            ++finished;
            lastError = sweep.error;
            if (panel)
                panel->sweepFinished(sweep);
        });
    }

    ts::FormState formState() const override { return state; }
    void applyFormState(const ts::FormState &s) override { state = s; }
    void startRun() override
    {
        ts::FormState shortened = state;
        shortened.config.random.outputLen = std::min(shortened.config.random.outputLen, 6);
        shortened.config.load.numPrompts = std::min(shortened.config.load.numPrompts, 6);
        shortened.watchServerMetrics = false;
        controller.start(shortened);
    }
    void showRequest(int recordIndex) override { shownRequest = recordIndex; }
    void showTab(const QString &id) override { tabs << id; }

    ts::FormState state;
    ts::RunController controller;
    ts::ExercisesPanel *panel = nullptr;
    int finished = 0;
    QString lastError;
    int shownRequest = -1;
    QStringList tabs;
};

} // namespace

// Each exercise as a user goes through it: "Set it for me" fills the form, Start runs it on the
// built-in classroom server, and the step's question is answered from that run.
class TestExercisesPanel : public QObject
{
    Q_OBJECT

private:
    // Sets the step's values, runs them, and waits for the result to reach the panel.
    void runStep(int exercise, int step)
    {
        m_panel->setCurrentExercise(exercise);
        QVERIFY(m_panel->setButton(exercise, step)->isVisibleTo(m_panel.get()));
        QTest::mouseClick(m_panel->setButton(exercise, step), Qt::LeftButton);
        const ts::ExerciseSettings &settings = *ts::exercises()[std::size_t(exercise)].steps[std::size_t(step)].settings;
        QVERIFY(m_host.state.demoServer);
        QCOMPARE(m_host.state.demoPreset, settings.demoPreset);
        QCOMPARE(m_host.state.config.load.numPrompts, settings.numPrompts);
        QCOMPARE(m_host.state.config.load.maxConcurrency, settings.maxConcurrency);
        QCOMPARE(m_host.state.config.random.inputLen, settings.inputLen);
        QCOMPARE(m_host.state.config.random.outputLen, settings.outputLen);
        QCOMPARE(m_host.state.sweep.isSweep(), settings.kind == ts::ExerciseSettings::Kind::ConcurrencySweep);
        QCOMPARE(m_host.tabs.last(), ts::exercises()[std::size_t(exercise)].steps[std::size_t(step)].watchTab);

        const int before = m_host.finished;
        QTest::mouseClick(m_panel->startButton(exercise, step), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_host.finished, before + 1, 120000);
        QVERIFY2(m_host.lastError.isEmpty(), qPrintable(m_host.lastError));
    }

    ts::ExerciseAnswer showAnswer(int exercise, int step)
    {
        QTest::mouseClick(m_panel->showAnswerButton(exercise, step), Qt::LeftButton);
        return m_panel->lastAnswer(exercise, step);
    }

    ts::ExerciseAnswer check(int exercise, int step, const QString &typed)
    {
        m_panel->answerEdit(exercise, step)->setText(typed);
        QTest::mouseClick(m_panel->checkButton(exercise, step), Qt::LeftButton);
        return m_panel->lastAnswer(exercise, step);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_panel = std::make_unique<ts::ExercisesPanel>(&m_host);
        m_host.panel = m_panel.get();
        m_panel->resize(900, 700);
        m_panel->show();
        QCOMPARE(m_panel->exerciseCount(), 3);
    }

    void cleanupTestCase()
    {
        m_host.panel = nullptr;
        m_panel.reset();
    }

    void answersNeedResults()
    {
        const ts::ExerciseAnswer answer = showAnswer(0, 0);
        QVERIFY(!answer.available);
        QVERIFY(!m_panel->resultLabel(0, 0)->text().isEmpty());
        QCOMPARE(m_host.shownRequest, -1);
    }

    void exercise1LongestTtft()
    {
        runStep(0, 0);
        if (QTest::currentTestFailed())
            return;
        const ts::ExerciseAnswer answer = showAnswer(0, 0);
        QVERIFY2(answer.available, qPrintable(answer.text));
        QCOMPARE(m_host.tabs.last(), QStringLiteral("timeline"));
        QCOMPARE(m_host.shownRequest, answer.recordIndex);
        const ts::ResultDocument &doc = *m_panel->evidence().lastRun();
        QVERIFY(answer.recordIndex >= 0 && answer.recordIndex < int(doc.run.records.size()));
        // Six requests at once on 4 slots: the longest wait is one that found them all taken.
        QVERIFY2(answer.text.contains(QLatin1String("4 slots")), qPrintable(answer.text));
        QCOMPARE(m_panel->resultLabel(0, 0)->text(), answer.text);

        const int number = doc.run.records[std::size_t(answer.recordIndex)].index;
        QVERIFY(check(0, 0, QString::number(number)).correct);
        QVERIFY(m_panel->resultLabel(0, 0)->text().startsWith(QStringLiteral("✔")));

        // The result is said again in the new language's words after a language change.
        QEvent languageChange(QEvent::LanguageChange);
        QCoreApplication::sendEvent(m_panel.get(), &languageChange);
        QVERIFY(m_panel->resultLabel(0, 0)->text().startsWith(QStringLiteral("✔")));
        QCOMPARE(m_panel->checkButton(0, 0)->text(), QStringLiteral("Check"));
    }

    void exercise2Knee()
    {
        runStep(1, 0);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m_panel->evidence().sweep);
        const ts::ExerciseAnswer answer = showAnswer(1, 0);
        QVERIFY2(answer.available, qPrintable(answer.text));
        QCOMPARE(m_host.tabs.last(), QStringLiteral("sweep"));
        const ts::SweepVerdict &verdict = m_panel->evidence().sweep->verdict;
        QVERIFY(verdict.kneeLevel);
        QVERIFY(check(1, 0, QString::number(*verdict.kneeLevel)).correct);
        // The second step reads the same sweep and has nothing to set.
        QVERIFY(!m_panel->setButton(1, 1)->isVisibleTo(m_panel.get()));
        QVERIFY(showAnswer(1, 1).available);
    }

    void exercise3Compare()
    {
        runStep(2, 0);
        if (QTest::currentTestFailed())
            return;
        const ts::ExerciseAnswer throughput = showAnswer(2, 0);
        QVERIFY2(throughput.available, qPrintable(throughput.text));
        const double measured = m_panel->evidence().lastRun()->metrics.outputThroughput;
        QVERIFY(measured > 0.0);
        QVERIFY(check(2, 0, QString::number(measured, 'f', 2)).correct);

        runStep(2, 1);
        if (QTest::currentTestFailed())
            return;
        const ts::ExerciseAnswer compared = showAnswer(2, 1);
        QVERIFY2(compared.available, qPrintable(compared.text));
        QCOMPARE(m_host.tabs.last(), QStringLiteral("compare"));
        QVERIFY2(compared.text.contains(QLatin1String("concurrency 2")) && compared.text.contains(QLatin1String("concurrency 8")),
                 qPrintable(compared.text));
    }

private:
    TestHost m_host;
    std::unique_ptr<ts::ExercisesPanel> m_panel;
};

QTEST_MAIN(TestExercisesPanel)
#include "tst_exercisespanel.moc"
