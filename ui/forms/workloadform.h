#pragma once

#include "core/benchmarkconfig.h"

#include <QGroupBox>

class QDoubleSpinBox;
class QFormLayout;
class QSpinBox;

namespace ts {

class FieldMessage;

// The random dataset: prompt and answer lengths, how much they vary, and a shared prefix.
class WorkloadForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit WorkloadForm(QWidget *parent = nullptr);

    void apply(RandomDatasetConfig &config) const;
    void load(const RandomDatasetConfig &config);

    // maxModelLen > 0: the longest prompt plus answer the server accepts (known for the
    // built-in server). Marks the lengths when they exceed it; returns the problem or empty.
    QString validate(int maxModelLen);

    QSpinBox *inputLenBox() const { return m_inputLen; }
    QSpinBox *outputLenBox() const { return m_outputLen; }
    QDoubleSpinBox *rangeRatioBox() const { return m_rangeRatio; }
    QSpinBox *prefixLenBox() const { return m_prefixLen; }

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QFormLayout *m_layout = nullptr;
    QSpinBox *m_inputLen = nullptr;
    QSpinBox *m_outputLen = nullptr;
    QDoubleSpinBox *m_rangeRatio = nullptr;
    QSpinBox *m_prefixLen = nullptr;
    FieldMessage *m_lengthMessage = nullptr;
};

} // namespace ts
