#include "forms/configpanel.h"

#include "forms/demoserverform.h"
#include "forms/fieldfeedback.h"
#include "forms/loadform.h"
#include "forms/scenarios.h"
#include "forms/sweepform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ts {

ConfigPanel::ConfigPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);

    auto *scenarioRow = new QHBoxLayout;
    m_scenarioLabel = new QLabel(this);
    m_scenario = new QComboBox(this);
    m_scenario->addItem(QString(), QString());
    for (const Scenario &s : scenarios())
        m_scenario->addItem(QString(), s.id);
    m_scenarioLabel->setBuddy(m_scenario);
    scenarioRow->addWidget(m_scenarioLabel);
    scenarioRow->addWidget(m_scenario, 1);
    layout->addLayout(scenarioRow);
    m_scenarioDescription = new QLabel(this);
    m_scenarioDescription->setWordWrap(true);
    m_scenarioDescription->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_scenarioDescription);

    m_demo = new DemoServerForm(this);
    m_target = new TargetForm(this);
    m_workload = new WorkloadForm(this);
    m_load = new LoadForm(this);
    layout->addWidget(m_demo);
    layout->addWidget(m_target);
    layout->addWidget(m_workload);
    layout->addWidget(m_load);
    m_sweep = new SweepForm(this);
    layout->addWidget(m_sweep);
    layout->addStretch(1);

    connect(m_scenario, &QComboBox::activated, this, &ConfigPanel::onScenarioActivated);
    connect(m_demo, &DemoServerForm::changed, this, [this] {
        syncDemoMode();
        Q_EMIT changed();
    });
    connect(m_target, &TargetForm::changed, this, &ConfigPanel::changed);
    connect(m_workload, &WorkloadForm::changed, this, [this] {
        m_load->setTraceDataset(isTraceDataset(m_workload->datasetBox()->currentData().toString()));
        onEdited();
    });
    connect(m_workload, &WorkloadForm::validityChanged, this, &ConfigPanel::changed);
    // The preview follows every field that shapes the workload (count and seed are in the load form).
    connect(this, &ConfigPanel::changed, this, [this] {
        const FormState s = state();
        m_workload->updatePreview(datasetConfigOf(s), s.config.multiTurn);
    });
    connect(m_load, &LoadForm::changed, this, &ConfigPanel::onEdited);
    connect(m_sweep, &SweepForm::changed, this, [this] {
        syncSweepMode();
        Q_EMIT changed();
    });
    syncDemoMode();
    retranslateUi();
}

FormState ConfigPanel::state() const
{
    FormState s;
    s.demoServer = m_demo->isOn();
    s.demoPreset = m_demo->preset();
    s.demoReasoningTokens = m_demo->reasoningTokens();
    s.scenario = m_scenario->currentData().toString();
    m_target->apply(s.config.target, s.headersText);
    s.watchServerMetrics = m_target->watchServerMetrics();
    if (s.demoServer)
        s.config.target.model = m_demo->modelId();
    m_workload->apply(s.config, s.datasetPath, s.tokenizerPath);
    m_load->apply(s.config);
    m_sweep->apply(s.sweep);
    return s;
}

void ConfigPanel::setState(const FormState &state)
{
    m_applying = true;
    m_demo->setChecked(state.demoServer);
    m_demo->setPreset(state.demoPreset);
    m_demo->setReasoningTokens(state.demoReasoningTokens);
    syncDemoMode();
    m_target->load(state.config.target, state.headersText);
    m_target->setWatchServerMetrics(state.watchServerMetrics);
    m_workload->load(state.config, state.datasetPath, state.tokenizerPath);
    m_load->load(state.config);
    m_sweep->load(state.sweep);
    syncSweepMode();
    const int index = m_scenario->findData(state.scenario);
    m_scenario->setCurrentIndex(index >= 0 ? index : 0);
    m_applying = false;
    retranslateUi();
    Q_EMIT changed();
}

QString ConfigPanel::validate()
{
    const QString target = m_target->validate();
    const QString workload = m_workload->validate(m_demo->isOn() ? m_demo->maxModelLen() : 0,
                                                  m_target->backendBox()->currentData().toString());
    const QString load = m_load->validate(state().config.multiTurn, m_sweep->kind() != RunKind::Single);
    const QString sweep = m_sweep->validate();
    return !target.isEmpty() ? target : !workload.isEmpty() ? workload : !load.isEmpty() ? load : sweep;
}

void ConfigPanel::setRunning(bool running)
{
    for (QWidget *w : std::initializer_list<QWidget *> { m_scenario, m_demo, m_workload, m_load, static_cast<QWidget *>(m_sweep) })
        w->setEnabled(!running);
    m_target->setEnabled(!running);
}

void ConfigPanel::onScenarioActivated(int index)
{
    const QString id = m_scenario->itemData(index).toString();
    FormState s = state();
    if (!applyScenario(id, s.config))
        return;
    s.scenario = id;
    setState(s);
}

void ConfigPanel::onEdited()
{
    // Any edit after a scenario was applied makes the form a custom one.
    if (!m_applying && m_scenario->currentIndex() != 0) {
        m_scenario->setCurrentIndex(0);
        retranslateUi();
    }
    Q_EMIT changed();
}

void ConfigPanel::syncSweepMode()
{
    const RunKind kind = m_sweep->kind();
    m_load->numPromptsBox()->setEnabled(kind == RunKind::Single);
    m_load->requestRateBox()->setEnabled(kind == RunKind::Single);
    m_load->maxConcurrencyBox()->setEnabled(kind != RunKind::ConcurrencySweep);
}

void ConfigPanel::syncDemoMode()
{
    m_target->setDemoMode(m_demo->isOn(), m_demo->modelId());
}

void ConfigPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ConfigPanel::retranslateUi()
{
    m_scenarioLabel->setText(tr("Scenario"));
    m_scenario->setItemText(0, tr("Custom"));
    const QList<Scenario> all = scenarios();
    QString description = tr("Pick one of the guide's four test scenarios to fill in its numbers, or set every field yourself.");
    for (int i = 0; i < all.size(); ++i) {
        m_scenario->setItemText(i + 1, all.at(i).name);
        if (m_scenario->currentIndex() == i + 1)
            description = all.at(i).description;
    }
    m_scenarioDescription->setText(description);
    m_scenario->setToolTip(fieldTip(tr("Scenario"),
        tr("The user guide's test scenarios: a basic function test, a performance baseline, a concurrency stress test and a realistic scenario. Choosing one sets the workload and load fields; changing a field afterwards makes it custom.")));
}

} // namespace ts
