#include "mainwindow.h"


#include "charts/chartexport.h"
#include "charts/chartview.h"
#include "charts/livecharts.h"
#include "compare/comparewindow.h"
#include "forms/configpanel.h"
#include "forms/targetform.h"
#include "i18n.h"
#include "results/distributionsview.h"
#include "results/requestsview.h"
#include "results/resultexport.h"
#include "report/reportwriter.h"
#include "results/ratingpanel.h"
#include "results/resultfile.h"
#include "exercises/exercisespanel.h"
#include "glossary/glossarylauncher.h"
#include "timeline/timelinetab.h"
#include "views/metricselection.h"
#include "results/summaryview.h"
#include "pipeline/runoutcome.h"
#include "runpanel.h"
#include "server/servermetricsview.h"
#include "settings.h"
#include "models/sweeplevelmodel.h"
#include "sweep/sweepview.h"

#include <QActionGroup>
#include <QCheckBox>
#include <QLineEdit>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDir>
#include <QFileDialog>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QMessageBox>
#include <QPointer>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <qcoro/qcorofuture.h>

#include <algorithm>

namespace ts {

MainWindow::MainWindow(Settings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
{
    m_controller = new RunController(this);

    m_config = new ConfigPanel;
    m_configScroll = new QScrollArea;
    m_configScroll->setWidget(m_config);
    m_configScroll->setWidgetResizable(true);
    m_configScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_configScroll->setMinimumWidth(m_config->sizeHint().width() + 24);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    m_runPanel = new RunPanel(right);
    m_tabs = new QTabWidget(right);
    addResultTab(m_live = new LiveCharts);
    addResultTab(m_timeline = new TimelineTab);
    m_timeline->setInFlightSource([this] { return m_controller->inFlightRequests(); });
    addResultTab(m_summary = new SummaryView(settings));
    addResultTab(m_distributions = new DistributionsView);
    addResultTab(m_requests = new RequestsView);
    addResultTab(m_server = new ServerMetricsView);
    addResultTab(m_sweepView = new SweepView);
    rightLayout->addWidget(m_runPanel);
    rightLayout->addWidget(m_tabs, 1);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(m_configScroll);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    setCentralWidget(m_splitter);
    createMenus();

    m_config->setState(loadFormState(*settings));
    connect(m_config, &ConfigPanel::changed, this, &MainWindow::onFormChanged);
    TargetForm *target = m_config->targetForm();
    connect(target, &TargetForm::fetchModelsRequested, this, [this, target] {
        target->setFetchBusy(true);
        m_controller->fetchModels(m_config->state());
    });
    connect(m_controller, &RunController::modelsFetched, this, [target](const QStringList &models, const ConnectionReport &report) {
        target->setFetchBusy(false);
        if (report.ok())
            target->setModels(models);
        target->setReport(report);
    });
    connect(target, &TargetForm::testConnectionRequested, this, [this, target] {
        if (m_controller->state() != RunState::Idle)
            return;
        target->setTestBusy(true);
        m_controller->testConnection(m_config->state());
    });
    connect(m_controller, &RunController::connectionTested, this, [target](const ConnectionReport &report) {
        target->setTestBusy(false);
        target->setReport(report);
    });

    // The secrets (API key, extra headers, the address's password): remembered only when
    // asked, and then only in the system keychain.
    m_secrets = new SecretStore(this);
    target->rememberKeyBox()->setChecked(settings->boolValue(Settings::Key::RememberApiKey));
    connect(m_secrets, &SecretStore::loaded, this, [this, target](SecretStore::Secret secret, const QString &value) {
        m_storedSecrets[secret] = value;
        switch (secret) {
        case SecretStore::Secret::ApiKey:
            if (target->apiKeyEdit()->text().isEmpty())
                target->apiKeyEdit()->setText(value);
            break;
        case SecretStore::Secret::ExtraHeaders:
            if (target->headersEdit()->toPlainText().isEmpty())
                target->headersEdit()->setPlainText(value);
            break;
        case SecretStore::Secret::UrlCredentials:
            target->setUrlCredentials(value);
            break;
        }
    });
    connect(m_secrets, &SecretStore::failed, this, [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(target->rememberKeyBox(), &QCheckBox::toggled, this, [this](bool on) {
        m_settings->set(Settings::Key::RememberApiKey, on);
        if (on) {
            rememberSecrets();
        } else {
            for (SecretStore::Secret secret : SecretStore::AllSecrets)
                m_secrets->forget(secret);
            m_storedSecrets.clear();
        }
    });
    if (target->rememberKeyBox()->isChecked()) {
        for (SecretStore::Secret secret : SecretStore::AllSecrets)
            m_secrets->load(secret);
    }

    connect(m_runPanel, &RunPanel::startClicked, m_startAction, &QAction::trigger);
    connect(m_runPanel, &RunPanel::stopClicked, m_stopAction, &QAction::trigger);
    connect(m_controller, &RunController::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_controller, &RunController::stateChanged, this, &MainWindow::updateServerWatch);
    connect(m_controller, &RunController::sendTimesPlanned, m_live, &LiveCharts::setPlannedSendTimes);
    connect(m_controller, &RunController::progressChanged, this, [this](const RunProgress &p) {
        m_runPanel->setProgress(p);
        for (ResultTab *tab : std::as_const(m_resultTabs))
            tab->addProgress(p);
    });
    connect(m_controller, &RunController::preparationProgress, m_runPanel, &RunPanel::setPreparationProgress);
    connect(m_controller, &RunController::requestsFinished, this, [this](const std::vector<RequestRecord> &records) {
        for (ResultTab *tab : std::as_const(m_resultTabs))
            tab->addRecords(records);
    });
    connect(m_controller, &RunController::runFinished, this, &MainWindow::onRunFinished);
    connect(m_controller, &RunController::notice, this, [this](const QString &message) { statusBar()->showMessage(message, 15000); });

    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
    GlossaryLauncher::instance()->setDialogParent(this);
    connect(m_summary, &SummaryView::metricClicked, this, &MainWindow::highlightRequestsBehind);
    connect(m_summary, &SummaryView::exercisesRequested, this, &MainWindow::showExercises);
    // No result yet: the Summary tab is the start page.
    m_tabs->setCurrentWidget(m_summary);
    connect(m_sweepView, &SweepView::saveRequested, m_saveSweepAction, &QAction::trigger);
    connect(m_controller, &RunController::sweepStarted, this, [this](const SweepConfig &config) {
        m_sweepView->startSweep(config);
        m_tabs->setCurrentWidget(m_sweepView);
        updateActions();
    });
    connect(m_controller, &RunController::sweepLevelStarted, this, [this](int index, int count, double level, int numPrompts) {
        // The live views show the running level, from its own start.
        for (ResultTab *tab : std::as_const(m_resultTabs))
            tab->startRun();
        m_runPanel->setSweepLevel(index, count, m_sweepView->model()->mode(), level);
        m_sweepView->levelStarted(index, count, level, numPrompts);
    });
    connect(m_controller, &RunController::sweepLevelFinished, m_sweepView, &SweepView::addLevel);
    connect(m_controller, &RunController::sweepFinished, this, &MainWindow::onSweepFinished);

    if (!restoreGeometry(settings->bytesValue(Settings::Key::WindowGeometry)))
        resize(1360, 860);
    restoreState(settings->bytesValue(Settings::Key::WindowState));
    if (!m_splitter->restoreState(settings->bytesValue(Settings::Key::MainSplitterState)))
        m_splitter->setSizes({ 420, 940 });

    retranslateUi();
    onFormChanged();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::addResultTab(ResultTab *tab)
{
    m_resultTabs.append(tab);
    m_tabs->addTab(tab, tab->title());
    connect(tab, &ResultTab::exportRequested, this, &MainWindow::exportChart);
}

ResultTab *MainWindow::resultTab(const QString &id) const
{
    for (ResultTab *tab : m_resultTabs) {
        if (tab->id() == id)
            return tab;
    }
    return nullptr;
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_openAction = m_fileMenu->addAction(QString(), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a result file"),
            m_settings->stringValue(Settings::Key::LastDirectory), tr("Result files (*.json *.jsonl);;All files (*)"));
        if (!path.isEmpty()) {
            m_settings->set(Settings::Key::LastDirectory, QFileInfo(path).absolutePath());
            openResult(path);
        }
    });
    m_openAction->setShortcut(QKeySequence::Open);
    m_compareAction = m_fileMenu->addAction(QString(), this, &MainWindow::showCompareWindow);
    m_fileMenu->addSeparator();
    m_saveJsonAction = m_fileMenu->addAction(QString(), this, [this] {
        const QString path = askSavePath(tr("Save the result as JSON"),
            m_document->fromFile() ? QFileInfo(m_document->filePath).fileName() : defaultResultFileName(m_document->run),
            tr("JSON files (*.json)"));
        QString error;
        if (!path.isEmpty() && !saveResultJson(path, &error))
            reportFileError(error);
    });
    m_saveJsonAction->setShortcut(QKeySequence::Save);
    m_saveCsvAction = m_fileMenu->addAction(QString(), this, [this] {
        const QString path = askSavePath(tr("Save one row per request as CSV"), QStringLiteral("requests.csv"), tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !saveRequestsCsv(path, &error))
            reportFileError(error);
    });
    m_saveSummaryCsvAction = m_fileMenu->addAction(QString(), this, [this] {
        const QString path = askSavePath(tr("Save the summary as CSV"), QStringLiteral("summary.csv"), tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !saveSummaryCsv(path, &error))
            reportFileError(error);
    });
    m_saveChartsAction = m_fileMenu->addAction(QString(), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Save every chart as PNG and SVG into"),
                                                              m_settings->stringValue(Settings::Key::LastDirectory));
        QString error;
        if (dir.isEmpty())
            return;
        m_settings->set(Settings::Key::LastDirectory, dir);
        if (!saveCharts(dir, &error))
            reportFileError(error);
    });
    m_saveSweepAction = m_fileMenu->addAction(QString(), this, [this] {
        const QString path = askSavePath(tr("Save the sweep summary as JSON (a CSV is written next to it)"),
                                         m_sweepView->suggestedFileName(), tr("JSON files (*.json)"));
        QString error;
        if (!path.isEmpty() && !saveSweepSummary(path, &error))
            reportFileError(error);
    });
    m_exportReportAction = m_fileMenu->addAction(QString(), this, [this] {
        const QString path = askSavePath(tr("Export a report"), suggestedReportName(), reportFileFilter());
        QString error;
        if (!path.isEmpty() && !exportReport(path, &error))
            reportFileError(error);
    });
    m_exportReportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);

    m_runMenu = menuBar()->addMenu(QString());
    m_startAction = m_runMenu->addAction(QString(), this, [this] {
        if (!m_config->validate().isEmpty() || m_controller->state() != RunState::Idle)
            return;
        rememberSecrets();
        m_controller->start(m_config->state());
    });
    m_startAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_stopAction = m_runMenu->addAction(QString(), m_controller, &RunController::stop);
    m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_testAction = m_runMenu->addAction(QString(), m_config->targetForm(), &TargetForm::testConnectionRequested);

    m_languageMenu = menuBar()->addMenu(QString());
    m_languageGroup = new QActionGroup(this);
    m_systemLanguageAction = m_languageMenu->addAction(QString());
    m_systemLanguageAction->setData(QString());
    m_languageGroup->addAction(m_systemLanguageAction);
    m_languageMenu->addSeparator();
    for (const QString &language : i18n::availableLanguages()) {
        // Each language in its own name, so a user who cannot read the current one finds theirs.
        QAction *action = m_languageMenu->addAction(i18n::nativeLanguageName(language));
        action->setData(language);
        m_languageGroup->addAction(action);
    }
    const QString chosen = m_settings->stringValue(Settings::Key::Language);
    for (QAction *action : m_languageGroup->actions()) {
        action->setCheckable(true);
        action->setChecked(action->data().toString() == chosen);
    }
    connect(m_languageGroup, &QActionGroup::triggered, this, [this](QAction *a) { setLanguage(a->data().toString()); });

    m_helpMenu = menuBar()->addMenu(QString());
    m_exercisesAction = m_helpMenu->addAction(QString(), this, &MainWindow::showExercises);
    m_glossaryAction = m_helpMenu->addAction(QString(), GlossaryLauncher::instance(), &GlossaryLauncher::showGlossary);
    m_glossaryAction->setShortcut(QKeySequence::HelpContents);
    m_helpMenu->addSeparator();
    m_aboutAction = m_helpMenu->addAction(QString(), this, [this] {
        QMessageBox::about(this, tr("About Tokenstorm"),
            tr("<p><b>Tokenstorm %1</b></p><p>Load testing for LLM inference servers, with the metrics, flags and result files of vLLM's serving benchmark.</p><p>TTFT: time to first token. TPOT: time per output token after the first. ITL: gap between streamed chunks. E2EL: end-to-end latency of a request.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

ExercisesPanel *MainWindow::showExercises()
{
    if (!m_exercisesDock) {
        m_exercisesDock = new QDockWidget(this);
        m_exercisesDock->setObjectName(QStringLiteral("exercises"));
        m_exercises = new ExercisesPanel(this, m_exercisesDock);
        m_exercisesDock->setWidget(m_exercises);
        m_exercisesDock->setWindowTitle(tr("Guided exercises"));
        addDockWidget(Qt::RightDockWidgetArea, m_exercisesDock);
        connect(m_controller, &RunController::sweepFinished, m_exercises, &ExercisesPanel::sweepFinished);
        // What was measured before the panel opened counts too.
        if (m_document && !m_document->fromFile())
            m_exercises->runFinished(*m_document);
        if (m_sweepView->result() && !m_sweepView->result()->levels.empty())
            m_exercises->sweepFinished(*m_sweepView->result());
    }
    const bool opening = !m_exercisesDock->isVisible();
    m_exercisesDock->show();
    m_exercisesDock->raise();
    // Wide enough for a step's text and its buttons; only once laid out does the size hold.
    if (opening)
        resizeDocks({ m_exercisesDock }, { std::max(460, width() / 3) }, Qt::Horizontal);
    return m_exercises;
}

FormState MainWindow::formState() const
{
    return m_config->state();
}

void MainWindow::applyFormState(const FormState &state)
{
    m_config->setState(state);
    onFormChanged();
}

void MainWindow::startRun()
{
    m_startAction->trigger();
}

void MainWindow::showRequest(int recordIndex)
{
    m_tabs->setCurrentWidget(m_timeline);
    m_timeline->showRequest(recordIndex);
}

void MainWindow::showTab(const QString &id)
{
    if (id == QLatin1String("compare")) {
        showCompareWindow();
    } else if (ResultTab *tab = resultTab(id)) {
        m_tabs->setCurrentWidget(tab);
    }
}

void MainWindow::highlightRequestsBehind(MetricId metric, Statistic statistic, double percentile)
{
    if (!m_document || !m_document->hasRecords)
        return;
    const std::vector<int> requests = requestsBehind(m_document->run.records, metric, statistic, percentile);
    m_timeline->setHighlighted(requests);
    m_tabs->setCurrentWidget(m_timeline);
    statusBar()->showMessage(tr("%n request(s) behind this value are marked in the timeline.", nullptr, int(requests.size())), 10000);
}

void MainWindow::setLanguage(const QString &language)
{
    m_settings->set(Settings::Key::Language, language);
    i18n::installTranslators(language.isEmpty() ? QLocale::system() : QLocale(language));
    // QApplication posts LanguageChange to the windows; deliver it now so that the switch is
    // complete when this returns.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    for (QAction *action : m_languageGroup->actions())
        action->setChecked(action->data().toString() == language);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        onFormChanged();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslateUi()
{
    QString title = tr("Tokenstorm – LLM server load test");
    if (m_document && m_document->fromFile())
        title = QFileInfo(m_document->filePath).fileName() + QStringLiteral(" – ") + title;
    setWindowTitle(title);
    for (ResultTab *tab : std::as_const(m_resultTabs))
        m_tabs->setTabText(m_tabs->indexOf(tab), tab->title());
    m_fileMenu->setTitle(tr("&File"));
    m_openAction->setText(tr("&Open result…"));
    m_compareAction->setText(tr("&Compare results…"));
    m_saveJsonAction->setText(tr("&Save result as JSON…"));
    m_saveCsvAction->setText(tr("Save requests as &CSV…"));
    m_saveSummaryCsvAction->setText(tr("Save summary as CSV…"));
    m_saveChartsAction->setText(tr("Save all &charts (PNG and SVG)…"));
    m_saveSweepAction->setText(tr("Save sweep summary (JSON and CSV)…"));
    m_exportReportAction->setText(tr("Export &report (HTML or PDF)…"));
    m_quitAction->setText(tr("&Quit"));
    m_runMenu->setTitle(tr("&Run"));
    m_startAction->setText(tr("&Start"));
    m_stopAction->setText(tr("S&top"));
    m_testAction->setText(tr("&Test connection"));
    m_languageMenu->setTitle(tr("&Language"));
    m_systemLanguageAction->setText(tr("System language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_aboutAction->setText(tr("&About Tokenstorm"));
    m_exercisesAction->setText(tr("Guided &exercises…"));
    m_glossaryAction->setText(tr("Metrics &glossary…"));
    if (m_exercisesDock)
        m_exercisesDock->setWindowTitle(tr("Guided exercises"));
    showOutcome();
}

void MainWindow::onFormChanged()
{
    const QString problem = m_config->validate();
    m_runPanel->setBlockedReason(problem);
    updateActions();
    storeFormState(*m_settings, m_config->state());
}

void MainWindow::rememberSecrets()
{
    const TargetForm *target = m_config->targetForm();
    if (!target->rememberKeyBox()->isChecked())
        return;
    const std::pair<SecretStore::Secret, QString> current[] = {
        { SecretStore::Secret::ApiKey, target->apiKeyEdit()->text() },
        { SecretStore::Secret::ExtraHeaders, target->headersEdit()->toPlainText() },
        { SecretStore::Secret::UrlCredentials, target->urlCredentials() },
    };
    for (const auto &[secret, value] : current) {
        if (value == m_storedSecrets.value(secret))
            continue;
        if (value.isEmpty())
            m_secrets->forget(secret);
        else
            m_secrets->save(secret, value);
        m_storedSecrets[secret] = value;
    }
}

void MainWindow::updateActions()
{
    const bool idle = m_controller->state() == RunState::Idle;
    const bool hasDoc = m_document != nullptr;
    m_startAction->setEnabled(idle && m_config->validate().isEmpty());
    m_stopAction->setEnabled(!idle && m_controller->state() != RunState::Stopping);
    m_testAction->setEnabled(idle);
    m_saveJsonAction->setEnabled(hasDoc);
    m_saveCsvAction->setEnabled(hasDoc && m_document->hasRecords);
    m_saveSummaryCsvAction->setEnabled(hasDoc);
    m_openAction->setEnabled(idle);
    m_exportReportAction->setEnabled(reportSource().has_value());
    m_saveSweepAction->setEnabled(m_sweepView && m_sweepView->result() && !m_sweepView->isRunning()
                                  && m_sweepView->result()->error.isEmpty() && !m_sweepView->result()->levels.empty());
}

void MainWindow::onStateChanged(RunState state)
{
    m_runPanel->setState(state);
    m_config->setRunning(state != RunState::Idle);
    if (state == RunState::Preparing) {
        m_outcome = Outcome();
        for (ResultTab *tab : std::as_const(m_resultTabs))
            tab->startRun();
        // A sweep's levels each set their own rate; only a single run has one plan.
        const FormState form = m_config->state();
        if (!form.sweep.isSweep())
            m_live->setLoadPlan(form.config.load);
        m_live->setBackend(form.config.target.backend);
        m_tabs->setCurrentWidget(m_live);
    }
    updateActions();
}

void MainWindow::updateServerWatch(RunState state)
{
    if (state == RunState::Idle) {
        m_server->stopWatching();
        return;
    }
    // A sweep passes through Running once per level: keep one picture for all of them.
    if (state != RunState::Running || m_server->isWatching())
        return;
    const FormState form = m_config->state();
    if (!form.watchServerMetrics) {
        m_server->startWithoutWatching();
        return;
    }
    TargetConfig target = form.config.target;
    const QUrl demo = m_controller->demoServerUrl();
    if (form.demoServer && !demo.isEmpty())
        target.baseUrl = demo;
    m_server->startWatching(target);
}

CompareWindow *MainWindow::showCompareWindow()
{
    if (!m_compareWindow)
        m_compareWindow = new CompareWindow(m_settings, this);
    m_compareWindow->show();
    m_compareWindow->raise();
    m_compareWindow->activateWindow();
    return m_compareWindow;
}

void MainWindow::onRunFinished(const RunResult &result)
{
    for (ResultTab *tab : std::as_const(m_resultTabs))
        tab->finishRun();
    const RunOutcome outcome = outcomeOf(result);
    switch (outcome.kind) {
    case RunOutcome::Error:
    case RunOutcome::AllFailed:
        m_outcome = { Outcome::Error, 0, outcome.message };
        break;
    case RunOutcome::NothingMeasured:
        m_outcome = { Outcome::NothingMeasured, 0, {} };
        break;
    case RunOutcome::Stopped:
        m_outcome = { Outcome::Stopped, outcome.measured, {} };
        break;
    case RunOutcome::SomeFailed:
        m_outcome = { Outcome::FinishedWithFailures, outcome.failed, {} };
        break;
    case RunOutcome::ClientBusy:
        m_outcome = { Outcome::FinishedClientBusy, outcome.clientLoadPercent, {} };
        break;
    case RunOutcome::Finished:
        m_outcome = { Outcome::Finished, 0, {} };
        break;
    }
    showOutcome();
    if (m_outcome.kind == Outcome::Error)
        statusBar()->showMessage(m_outcome.error, 10000);
    if (!result.records.empty())
        buildFromRun(result);
}

void MainWindow::showOutcome()
{
    switch (m_outcome.kind) {
    case Outcome::None:
        m_runPanel->setMessage(QString(), true);
        break;
    case Outcome::Error:
        m_runPanel->setMessage(m_outcome.error, false);
        break;
    case Outcome::NothingMeasured:
        m_runPanel->setMessage(tr("The run was stopped before any request finished."), true);
        break;
    case Outcome::Stopped:
        m_runPanel->setMessage(tr("Stopped. %1 requests were measured; see the Summary tab.").arg(m_outcome.count), true);
        break;
    case Outcome::FinishedWithFailures:
        m_runPanel->setMessage(tr("Finished with %1 failed requests; see the Requests tab.").arg(m_outcome.count), false);
        break;
    case Outcome::FinishedClientBusy:
        m_runPanel->setMessage(tr("Finished, but this computer's sending and reading threads were busy %1 % of the "
                                  "run: their own delays are in the latency tails. Fewer streams keep it out of that.")
                                   .arg(m_outcome.count),
                               false);
        break;
    case Outcome::Finished:
        m_runPanel->setMessage(tr("Finished. See the Summary tab for the rating."), true);
        break;
    case Outcome::SweepStopped:
        m_runPanel->setMessage(tr("Sweep stopped. %n level(s) finished and are kept; see the Sweep tab.", nullptr, int(m_outcome.count)), true);
        break;
    case Outcome::SweepFinished:
        m_runPanel->setMessage(tr("Sweep finished. See the Sweep tab for the verdict."), true);
        break;
    }
}

QCoro::Task<> MainWindow::buildFromRun(RunResult result)
{
    QPointer<MainWindow> self(this);
    const int generation = ++m_documentGeneration;
    // The future is a named variable: GCC 12 mishandles temporaries inside a co_await expression.
    QFuture<ResultDocument> future = QtConcurrent::run(&documentFromRun, std::move(result));
    ResultDocument doc = co_await future;
    if (!self || generation != m_documentGeneration)
        co_return;
    showDocument(std::make_unique<ResultDocument>(std::move(doc)));
}

void MainWindow::openResult(const QString &path)
{
    buildFromFile(path);
}

QCoro::Task<> MainWindow::buildFromFile(QString path)
{
    QPointer<MainWindow> self(this);
    const int generation = ++m_documentGeneration;
    struct Loaded
    {
        std::optional<SweepResult> sweep;
        std::optional<ResultDocument> doc;
        QString error;
    };
    QFuture<Loaded> future = QtConcurrent::run([path] {
        Loaded l;
        bool isSweep = false;
        l.sweep = readSweepSummary(path, &l.error, &isSweep);
        if (!isSweep)
            l.doc = documentFromFile(path, &l.error);
        return l;
    });
    Loaded loaded = co_await future;
    if (!self || generation != m_documentGeneration)
        co_return;
    if (loaded.sweep) {
        m_sweepView->showResult(*loaded.sweep);
        m_tabs->setCurrentWidget(m_sweepView);
        updateActions();
        Q_EMIT sweepShown();
        co_return;
    }
    if (!loaded.doc) {
        reportFileError(loaded.error);
        co_return;
    }
    showDocument(std::make_unique<ResultDocument>(std::move(*loaded.doc)));
}

void MainWindow::showDocument(std::unique_ptr<ResultDocument> document)
{
    // The views keep pointers to the document: hand them the new one before the old dies.
    std::unique_ptr<ResultDocument> old = std::move(m_document);
    m_document = std::move(document);
    for (ResultTab *tab : std::as_const(m_resultTabs))
        tab->setDocument(m_document.get());
    m_tabs->setCurrentWidget(m_summary);
    if (m_exercises && !m_document->fromFile())
        m_exercises->runFinished(*m_document);
    retranslateUi();
    updateActions();
    Q_EMIT documentShown();
}

QList<const Exportable *> MainWindow::allExportables() const
{
    QList<const Exportable *> pictures;
    for (const ResultTab *tab : m_resultTabs)
        pictures += tab->exportables();
    return pictures;
}

bool MainWindow::saveSweepSummary(const QString &path, QString *error)
{
    const bool ok = m_sweepView->saveSummary(path, error);
    if (ok)
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return ok;
}

void MainWindow::onSweepFinished(const SweepResult &result)
{
    for (ResultTab *tab : std::as_const(m_resultTabs))
        tab->finishRun();
    m_sweepView->finishSweep(result);
    int finished = 0;
    for (const SweepLevelResult &l : result.levels)
        finished += l.partial ? 0 : 1;
    if (!result.error.isEmpty())
        m_outcome = { Outcome::Error, 0, result.error };
    else if (result.stopped)
        m_outcome = { Outcome::SweepStopped, finished, {} };
    else
        m_outcome = { Outcome::SweepFinished, finished, {} };
    showOutcome();
    for (const QString &problem : result.fileErrors)
        statusBar()->showMessage(problem, 10000);
    if (!result.error.isEmpty())
        statusBar()->showMessage(result.error, 10000);
    m_tabs->setCurrentWidget(m_sweepView);
    updateActions();
}

std::optional<ReportSource> MainWindow::reportSource() const
{
    // The sweep when it is the tab in front and has levels to show, else the shown result.
    const std::optional<SweepResult> &sweep = m_sweepView->result();
    if (m_tabs->currentWidget() == m_sweepView && sweep && !m_sweepView->isRunning() && !sweep->levels.empty())
        return ReportSource(*sweep);
    if (m_document)
        return ReportSource(*m_document);
    return std::nullopt;
}

QString MainWindow::suggestedReportName() const
{
    const std::optional<ReportSource> source = reportSource();
    if (source && std::holds_alternative<SweepResult>(*source))
        return QFileInfo(m_sweepView->suggestedFileName()).completeBaseName() + QStringLiteral("-report.html");
    if (m_document && m_document->fromFile())
        return QFileInfo(m_document->filePath).completeBaseName() + QStringLiteral("-report.html");
    if (m_document)
        return QFileInfo(defaultResultFileName(m_document->run)).completeBaseName() + QStringLiteral("-report.html");
    return QStringLiteral("report.html");
}

bool MainWindow::exportReport(const QString &path, QString *error)
{
    const std::optional<ReportSource> source = reportSource();
    if (!source) {
        if (error)
            *error = tr("There is no result to report yet: run a test or open a result file first.");
        return false;
    }
    ReportOptions options;
    options.thresholds = m_summary->ratingPanel()->thresholds();
    const bool ok = writeReport(*source, path, error, options);
    if (ok)
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return ok;
}

bool MainWindow::saveResultJson(const QString &path, QString *error)
{
    if (!m_document)
        return false;
    const bool ok = ts::saveResultJson(*m_document, path, error);
    if (ok)
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return ok;
}

bool MainWindow::saveRequestsCsv(const QString &path, QString *error)
{
    if (!m_document)
        return false;
    const bool ok = ts::saveRequestsCsv(*m_document, path, error);
    if (ok)
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return ok;
}

bool MainWindow::saveSummaryCsv(const QString &path, QString *error)
{
    if (!m_document)
        return false;
    const bool ok = ts::saveSummaryCsv(*m_document, path, error);
    if (ok)
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return ok;
}

bool MainWindow::saveCharts(const QString &directory, QString *error)
{
    int written = 0;
    const bool ok = ts::saveCharts(allExportables(), directory, &written, error);
    if (ok)
        statusBar()->showMessage(tr("Saved %1 chart files in %2").arg(written).arg(QDir::toNativeSeparators(directory)), 5000);
    return ok;
}

void MainWindow::exportChart(const Exportable *view, const QString &format)
{
    const QString filter = format == QLatin1String("svg") ? tr("SVG images (*.svg)") : tr("PNG images (*.png)");
    const QString path = askSavePath(tr("Save the chart"), view->exportName() + QLatin1Char('.') + format, filter);
    QString error;
    if (path.isEmpty())
        return;
    if (!view->saveImage(path, reportChartSize, &error))
        reportFileError(error);
    else
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
}

QString MainWindow::askSavePath(const QString &title, const QString &name, const QString &filter)
{
    const QDir dir(m_settings->stringValue(Settings::Key::LastDirectory));
    const QString path = QFileDialog::getSaveFileName(this, title, dir.filePath(name), filter);
    if (!path.isEmpty())
        m_settings->set(Settings::Key::LastDirectory, QFileInfo(path).absolutePath());
    return path;
}

void MainWindow::reportFileError(const QString &message)
{
    statusBar()->showMessage(message, 10000);
    Q_EMIT fileError(message);
    // Tests drive the window without a user to close a dialog.
    if (!property("noDialogs").toBool())
        QMessageBox::warning(this, tr("File error"), message);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->set(Settings::Key::WindowGeometry, saveGeometry());
    m_settings->set(Settings::Key::WindowState, saveState());
    m_settings->set(Settings::Key::MainSplitterState, m_splitter->saveState());
    storeFormState(*m_settings, m_config->state());
    rememberSecrets();
    m_settings->sync();
    if (m_controller->state() != RunState::Idle)
        m_controller->stop();
    event->accept();
}

} // namespace ts
