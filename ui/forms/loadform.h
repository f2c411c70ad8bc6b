#pragma once

#include "core/benchmarkconfig.h"

#include <QGroupBox>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace ts {

class FieldMessage;

// How requests arrive over a run. A ramp and a time limit exclude each other, as in the engine.
enum class LoadShape : quint8 {
    ConstantRate,   // numPrompts at requestRate
    RampUp,         // numPrompts at a rate rising from rampUpStartRps to rampUpEndRps
    TimeLimit,      // requestRate until durationS has passed
    TraceReplay,    // a trace's own send times, scaled by traceTimeScale; numPrompts 0 = whole trace
};

// How hard and how long: the load shape (constant rate, ramp-up, limited by time, or a trace's
// own timing), number of requests, arrival rate and burstiness, concurrency, warm-ups, timeout,
// seed, and the goodput limits.
class LoadForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit LoadForm(QWidget *parent = nullptr);

    void apply(BenchmarkConfig &config) const;
    void load(const BenchmarkConfig &config);

    // Marks the load shape's fields when the engine would refuse them and returns its sentence,
    // or empty. A sweep sets the rate and count per level, so it runs only at a constant rate.
    QString validate(bool multiTurn, bool sweep);

    LoadShape shape() const;
    void setShape(LoadShape shape);
    // A trace dataset brings its own send times: only the trace shape is offered then, and it is
    // offered only then. Switching to a trace starts with all its records.
    void setTraceDataset(bool trace);
    bool isTraceDataset() const { return m_traceDataset; }

    QComboBox *shapeBox() const { return m_shape; }
    QComboBox *rampStrategyBox() const { return m_rampStrategy; }
    QSpinBox *rampStartBox() const { return m_rampStart; }
    QSpinBox *rampEndBox() const { return m_rampEnd; }
    QDoubleSpinBox *durationBox() const { return m_duration; }
    QComboBox *durationEndBox() const { return m_durationEnd; }
    FieldMessage *shapeMessage() const { return m_shapeMessage; }
    QDoubleSpinBox *traceScaleBox() const { return m_traceScale; }

    QSpinBox *numPromptsBox() const { return m_numPrompts; }
    QDoubleSpinBox *requestRateBox() const { return m_rate; }
    QDoubleSpinBox *burstinessBox() const { return m_burstiness; }
    QSpinBox *maxConcurrencyBox() const { return m_concurrency; }
    QSpinBox *warmupsBox() const { return m_warmups; }
    QDoubleSpinBox *timeoutBox() const { return m_timeout; }
    QSpinBox *seedBox() const { return m_seed; }

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateRows();
    void updateShapeChoices();
    QComboBox *addCombo();
    QDoubleSpinBox *addDouble(double min, double max, int decimals);
    QSpinBox *addInt(int min, int max);

    QFormLayout *m_layout = nullptr;
    QComboBox *m_shape = nullptr;
    QSpinBox *m_numPrompts = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QComboBox *m_rampStrategy = nullptr;
    QSpinBox *m_rampStart = nullptr;
    QSpinBox *m_rampEnd = nullptr;
    QDoubleSpinBox *m_duration = nullptr;
    QComboBox *m_durationEnd = nullptr;
    QDoubleSpinBox *m_traceScale = nullptr;
    FieldMessage *m_shapeMessage = nullptr;
    bool m_traceDataset = false;
    // The count of a run that is not a trace, restored when the trace is left.
    int m_countBeforeTrace = 0;
    QDoubleSpinBox *m_burstiness = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_warmups = nullptr;
    QDoubleSpinBox *m_timeout = nullptr;
    QSpinBox *m_seed = nullptr;
    QLabel *m_goodputTitle = nullptr;
    QDoubleSpinBox *m_goodputTtft = nullptr;
    QDoubleSpinBox *m_goodputTpot = nullptr;
    QDoubleSpinBox *m_goodputE2el = nullptr;
};

} // namespace ts
