#pragma once

#include "core/benchmarkconfig.h"

#include <QGroupBox>

class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace ts {

// How hard and how long: number of requests, arrival rate and burstiness, concurrency,
// warm-ups, timeout, seed, and the goodput limits.
class LoadForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit LoadForm(QWidget *parent = nullptr);

    void apply(BenchmarkConfig &config) const;
    void load(const BenchmarkConfig &config);

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
    QDoubleSpinBox *addDouble(double min, double max, int decimals);
    QSpinBox *addInt(int min, int max);

    QFormLayout *m_layout = nullptr;
    QSpinBox *m_numPrompts = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
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
