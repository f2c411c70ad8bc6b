#pragma once

#include "forms/sweepstate.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ts {

class FieldMessage;

// What Start runs: a single run, or a sweep that raises the concurrency (or the request rate)
// level by level until a stop rule says the server has reached its limit. The levels, the
// requests per level, the stop rules and an optional folder for the result files.
class SweepForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit SweepForm(QWidget *parent = nullptr);

    void apply(SweepFormState &state) const;
    void load(const SweepFormState &state);
    RunKind kind() const;

    // Marks the fields that cannot be used; returns the first problem or empty.
    QString validate();

    QComboBox *kindBox() const { return m_kind; }
    QLineEdit *levelsEdit() const { return m_levels; }
    QDoubleSpinBox *multiplierBox() const { return m_multiplier; }
    QSpinBox *minPromptsBox() const { return m_minPrompts; }
    QDoubleSpinBox *minSuccessBox() const { return m_minSuccess; }
    QDoubleSpinBox *sloTtftBox() const { return m_sloTtft; }
    QDoubleSpinBox *sloTpotBox() const { return m_sloTpot; }
    QDoubleSpinBox *sloE2elBox() const { return m_sloE2el; }
    QDoubleSpinBox *minGainBox() const { return m_minGain; }
    QCheckBox *runAllBox() const { return m_runAll; }
    QLineEdit *resultDirEdit() const { return m_resultDir; }
    QLabel *planLabel() const { return m_plan; }

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onKindChanged();
    void updateRows();
    void updatePlan();
    void browse();
    QDoubleSpinBox *addDouble(double min, double max, int decimals);

    QFormLayout *m_layout = nullptr;
    QComboBox *m_kind = nullptr;
    QLabel *m_description = nullptr;
    QLineEdit *m_levels = nullptr;
    FieldMessage *m_levelsMessage = nullptr;
    QDoubleSpinBox *m_multiplier = nullptr;
    QSpinBox *m_minPrompts = nullptr;
    QLabel *m_plan = nullptr;
    QLabel *m_rulesTitle = nullptr;
    QDoubleSpinBox *m_minSuccess = nullptr;
    QDoubleSpinBox *m_sloTtft = nullptr;
    QDoubleSpinBox *m_sloTpot = nullptr;
    QDoubleSpinBox *m_sloE2el = nullptr;
    QDoubleSpinBox *m_minGain = nullptr;
    QCheckBox *m_runAll = nullptr;
    QWidget *m_dirRow = nullptr;
    QLineEdit *m_resultDir = nullptr;
    QPushButton *m_browse = nullptr;
    FieldMessage *m_dirMessage = nullptr;

    // Each mode keeps its own list and multiplier; the fields show the current mode's.
    SweepMode m_shownMode = SweepMode::Concurrency;
    QString m_concurrencyLevels;
    QString m_rateLevels;
    double m_concurrencyMultiplier = 5.0;
    double m_rateMultiplier = 30.0;
    bool m_switching = false;
};

} // namespace ts
