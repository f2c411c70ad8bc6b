#include "anatomy/anatomyview.h"
#include "forms/configpanel.h"
#include "forms/demoserverform.h"
#include "forms/formstate.h"
#include "forms/loadform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"
#include "mainwindow.h"
#include "models/requesttablemodel.h"
#include "results/distributionsview.h"
#include "results/requestsview.h"
#include "results/summaryview.h"
#include "runpanel.h"
#include "settings.h"
#include "shownwindow.h"
#include "timeline/timelinetab.h"
#include "views/resultdocument.h"

#include <QCheckBox>
#include <QComboBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

// The value of a summary line such as "Mean TTFAT (ms):   412.30"; nullopt when absent.
std::optional<double> summaryValue(const QString &summary, const QString &label)
{
    const QRegularExpression line(QRegularExpression::escape(label) + QStringLiteral("\\s+([0-9.]+)"));
    const QRegularExpressionMatch m = line.match(summary);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1).toDouble();
}

} // namespace

// A learner makes the built-in server a reasoning model from the demo form, runs it over the
// chat API, and sees when the reasoning and the answer began: in the summary, the requests
// table, the distributions and the anatomy. A plain run then looks as it always did.
class TestReasoningRun : public QObject
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

    void reasoningRunShowsTtfrtBeforeTtfat()
    {
        ts::ConfigPanel *form = m_window->configPanel();
        QCOMPARE(form->demoServerForm()->reasoningTokens(), 0);
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        form->demoServerForm()->reasoningTokensBox()->setValue(4);
        QComboBox *backend = form->targetForm()->backendBox();
        backend->setCurrentIndex(backend->findData(QStringLiteral("openai-chat")));
        QCOMPARE(backend->currentData().toString(), QStringLiteral("openai-chat"));
        form->workloadForm()->inputLenBox()->setValue(32);
        form->workloadForm()->outputLenBox()->setValue(8);
        form->loadForm()->numPromptsBox()->setValue(6);
        form->loadForm()->requestRateBox()->setValue(0);
        form->loadForm()->maxConcurrencyBox()->setValue(6);
        // The form is kept in the settings as it changes.
        QCOMPARE(m_settings->intValue(ts::Settings::Key::DemoServerReasoningTokens), 4);
        QCOMPARE(ts::loadFormState(*m_settings).demoReasoningTokens, 4);

        run();
        const ts::ResultDocument *doc = m_window->document();
        QVERIFY(doc);
        QCOMPARE(doc->metrics.completed, 6);
        QCOMPARE(doc->metrics.reasoningRequests, 6);

        const QString summary = m_window->summaryView()->summaryText();
        const std::optional<double> ttfrt = summaryValue(summary, QStringLiteral("Mean TTFRT (ms):"));
        const std::optional<double> ttfat = summaryValue(summary, QStringLiteral("Mean TTFAT (ms):"));
        QVERIFY2(ttfrt && ttfat, qPrintable(summary));
        // Four reasoning tokens 50 ms apart come before the answer.
        QVERIFY2(*ttfrt < *ttfat, qPrintable(summary));
        QCOMPARE(summaryValue(summary, QStringLiteral("Total reasoning tokens:")), std::optional<double>(24.0));

        ts::RequestsView *requests = m_window->requestsView();
        QVERIFY(!requests->table()->isColumnHidden(ts::RequestTableModel::TtfrtColumn));
        QVERIFY(!requests->table()->isColumnHidden(ts::RequestTableModel::ReasoningTokensColumn));
        QCOMPARE(requests->model()->index(0, ts::RequestTableModel::ReasoningTokensColumn).data().toInt(), 4);
        QVERIFY(!requests->model()->index(0, ts::RequestTableModel::TtfatColumn).data().toString().isEmpty());

        QCOMPARE(m_window->distributionsView()->chartViews().size(), 6);

        ts::TimelineTab *timeline = m_window->timelineTab();
        timeline->showRequest(0);
        QVERIFY(timeline->anatomy()->hasRecord());
        QCOMPARE(timeline->anatomy()->reasoningBoxCount(), 4);
        QVERIFY(!timeline->anatomy()->reasoningLegendText().isEmpty());
        QVERIFY(timeline->anatomy()->formulasText().contains(QStringLiteral("TTFAT")));
    }

    void plainRunHidesReasoning()
    {
        m_window->configPanel()->demoServerForm()->reasoningTokensBox()->setValue(0);
        run();
        const ts::ResultDocument *doc = m_window->document();
        QVERIFY(doc);
        QVERIFY(!doc->metrics.hasReasoning());
        QVERIFY(!m_window->summaryView()->summaryText().contains(QStringLiteral("TTFRT")));
        ts::RequestsView *requests = m_window->requestsView();
        for (int column : { ts::RequestTableModel::TtfrtColumn, ts::RequestTableModel::TtfatColumn,
                            ts::RequestTableModel::ReasoningTokensColumn })
            QVERIFY(requests->table()->isColumnHidden(column));
        QCOMPARE(m_window->distributionsView()->chartViews().size(), 4);
        ts::TimelineTab *timeline = m_window->timelineTab();
        timeline->showRequest(0);
        QCOMPARE(timeline->anatomy()->reasoningBoxCount(), 0);
        QVERIFY(timeline->anatomy()->reasoningLegendText().isEmpty());
    }

    void reasoningTagsAreKept()
    {
        QCheckBox *tags = m_window->configPanel()->targetForm()->reasoningTagsBox();
        QVERIFY(!tags->isChecked());
        tags->setChecked(true);
        QVERIFY(m_window->configPanel()->state().config.target.reasoningTags);
        QVERIFY(m_settings->boolValue(ts::Settings::Key::ReasoningTags));
        QVERIFY(ts::loadFormState(*m_settings).config.target.reasoningTags);
        tags->setChecked(false);
        QVERIFY(!ts::loadFormState(*m_settings).config.target.reasoningTags);
    }

private:
    void run()
    {
        QSignalSpy shown(m_window.get(), &ts::MainWindow::documentShown);
        QVERIFY(m_window->runPanel()->startButton()->isEnabled());
        QTest::mouseClick(m_window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ts::Settings> m_settings;
    std::unique_ptr<ts::MainWindow> m_window;
};

QTEST_MAIN(TestReasoningRun)
#include "tst_reasoningrun.moc"
