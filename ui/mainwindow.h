#pragma once

#include "exercises/exercisehost.h"
#include "report/reportsource.h"
#include "views/glossary.h"
#include "views/resultdocument.h"
#include "runcontroller.h"
#include "secretstore.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <qcoro/qcorotask.h>

#include <memory>

class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QScrollArea;
class QSplitter;
class QTabWidget;

namespace ts {

class ChartView;
class Exportable;
class ResultTab;
class CompareWindow;
class ExercisesPanel;
class TimelineTab;
class ConfigPanel;
class DistributionsView;
class LiveCharts;
class RequestsView;
class ServerMetricsView;
class RunPanel;
class Settings;
class SummaryView;
class SweepView;

// One screen from configuration to results: the form on the left; Start/Stop, progress and
// the tabs (live charts, summary with rating, distributions, requests) on the right.
class MainWindow : public QMainWindow, private ExerciseHost
{
    Q_OBJECT
public:
    explicit MainWindow(Settings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The File menu's work without its dialogs (also used by tests).
    bool saveResultJson(const QString &path, QString *error = nullptr);
    bool saveRequestsCsv(const QString &path, QString *error = nullptr);
    bool saveSummaryCsv(const QString &path, QString *error = nullptr);
    bool saveCharts(const QString &directory, QString *error = nullptr);
    // The shown sweep's summary JSON at path and its CSV next to it.
    bool saveSweepSummary(const QString &path, QString *error = nullptr);
    // File > Export report: the sweep when the Sweep tab is in front, else the shown result;
    // HTML or PDF by the suffix, in the current language.
    bool exportReport(const QString &path, QString *error = nullptr);
    // Reads the file off the GUI thread; documentShown() or an error message follows.
    void openResult(const QString &path);
    // "" follows the system, else "en" or "zh_CN"; retranslates every open widget.
    void setLanguage(const QString &language);

    const ResultDocument *document() const { return m_document.get(); }
    ConfigPanel *configPanel() const { return m_config; }
    RunPanel *runPanel() const { return m_runPanel; }
    LiveCharts *liveCharts() const { return m_live; }
    SummaryView *summaryView() const { return m_summary; }
    DistributionsView *distributionsView() const { return m_distributions; }
    RequestsView *requestsView() const { return m_requests; }
    SweepView *sweepView() const { return m_sweepView; }
    TimelineTab *timelineTab() const { return m_timeline; }
    // Help > Guided exercises: shows the panel beside the results (created on first use).
    ExercisesPanel *showExercises();
    // The requests behind a metric's value in the shown result, marked in the timeline.
    void highlightRequestsBehind(ts::MetricId metric, ts::Statistic statistic, double percentile);
    ServerMetricsView *serverView() const { return m_server; }
    // File > Compare results: opens the window, or raises it when it is open.
    CompareWindow *showCompareWindow();
    QTabWidget *tabs() const { return m_tabs; }
    RunController *controller() const { return m_controller; }
    // Every picture "Save all charts" writes, tab by tab.
    QList<const Exportable *> allExportables() const;
    // The result tab with this id ("live", "summary", …), or nullptr.
    ResultTab *resultTab(const QString &id) const;

Q_SIGNALS:
    void documentShown();
    // A sweep summary file was opened and is shown in the Sweep tab.
    void sweepShown();
    // A file could not be read or written; message is translated.
    void fileError(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createMenus();
    // ExerciseHost: what the exercises panel may do with the window.
    FormState formState() const override;
    void applyFormState(const FormState &state) override;
    void startRun() override;
    void showRequest(int recordIndex) override;
    void showTab(const QString &id) override;
    void addResultTab(ResultTab *tab);
    void retranslateUi();
    void onFormChanged();
    void onStateChanged(RunState state);
    // Reads the server's /metrics while a run or sweep goes on.
    void updateServerWatch(RunState state);
    void onRunFinished(const RunResult &result);
    void onSweepFinished(const SweepResult &result);
    void showDocument(std::unique_ptr<ResultDocument> document);
    QCoro::Task<> buildFromRun(RunResult result);
    QCoro::Task<> buildFromFile(QString path);
    void exportChart(const Exportable *view, const QString &format);
    QString askSavePath(const QString &title, const QString &name, const QString &filter);
    void reportFileError(const QString &message);
    void updateActions();
    std::optional<ReportSource> reportSource() const;
    QString suggestedReportName() const;
    void rememberSecrets();

    // How the last run ended, kept as facts so its message follows a language switch.
    struct Outcome
    {
        enum Kind {
            None,
            Error,
            NothingMeasured,
            Stopped,
            FinishedWithFailures,
            FinishedClientBusy,
            Finished,
            SweepStopped,
            SweepFinished
        } kind = None;
        qsizetype count = 0;   // requests, levels, or for FinishedClientBusy the client's load in %
        QString error;      // from the engine, already translated
    };
    void showOutcome();

    Settings *m_settings;
    Outcome m_outcome;
    RunController *m_controller = nullptr;
    SecretStore *m_secrets = nullptr;
    QHash<SecretStore::Secret, QString> m_storedSecrets;   // what the keychain holds, to write only changes
    std::unique_ptr<ResultDocument> m_document;
    int m_documentGeneration = 0;

    QSplitter *m_splitter = nullptr;
    QScrollArea *m_configScroll = nullptr;
    ConfigPanel *m_config = nullptr;
    RunPanel *m_runPanel = nullptr;
    QTabWidget *m_tabs = nullptr;
    QList<ResultTab *> m_resultTabs;
    LiveCharts *m_live = nullptr;
    SummaryView *m_summary = nullptr;
    DistributionsView *m_distributions = nullptr;
    RequestsView *m_requests = nullptr;
    SweepView *m_sweepView = nullptr;
    ServerMetricsView *m_server = nullptr;
    TimelineTab *m_timeline = nullptr;
    QDockWidget *m_exercisesDock = nullptr;
    ExercisesPanel *m_exercises = nullptr;
    QPointer<CompareWindow> m_compareWindow;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_runMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_compareAction = nullptr;
    QAction *m_saveJsonAction = nullptr;
    QAction *m_saveCsvAction = nullptr;
    QAction *m_saveSummaryCsvAction = nullptr;
    QAction *m_saveChartsAction = nullptr;
    QAction *m_saveSweepAction = nullptr;
    QAction *m_exportReportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_startAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_testAction = nullptr;
    QAction *m_systemLanguageAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_glossaryAction = nullptr;
    QAction *m_exercisesAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
};

} // namespace ts
