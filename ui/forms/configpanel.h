#pragma once

#include "forms/formstate.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace ts {

class DemoServerForm;
class LoadForm;
class SweepForm;
class TargetForm;
class WorkloadForm;

// The whole configuration on the left of the main window: a scenario picker, the built-in
// server, the target, the workload and the load.
class ConfigPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ConfigPanel(QWidget *parent = nullptr);

    FormState state() const;
    void setState(const FormState &state);

    // Marks every field whose value cannot be used and returns the first problem, or empty.
    QString validate();

    // While a run goes on, the form shows what runs and cannot be edited.
    void setRunning(bool running);

    DemoServerForm *demoServerForm() const { return m_demo; }
    TargetForm *targetForm() const { return m_target; }
    WorkloadForm *workloadForm() const { return m_workload; }
    LoadForm *loadForm() const { return m_load; }
    SweepForm *sweepForm() const { return m_sweep; }
    QComboBox *scenarioBox() const { return m_scenario; }

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onScenarioActivated(int index);
    void onEdited();
    void syncDemoMode();
    // A sweep sets some of the Load group's numbers per level; those fields rest meanwhile.
    void syncSweepMode();

    QLabel *m_scenarioLabel = nullptr;
    QComboBox *m_scenario = nullptr;
    QLabel *m_scenarioDescription = nullptr;
    DemoServerForm *m_demo = nullptr;
    TargetForm *m_target = nullptr;
    WorkloadForm *m_workload = nullptr;
    LoadForm *m_load = nullptr;
    SweepForm *m_sweep = nullptr;
    bool m_applying = false;
};

} // namespace ts
