#include "forms/workloadform.h"

#include "forms/fieldfeedback.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QSpinBox>

#include <cmath>

namespace ts {

WorkloadForm::WorkloadForm(QWidget *parent)
    : QGroupBox(parent)
{
    m_layout = new QFormLayout(this);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto tokens = [this](int min) {
        auto *box = new QSpinBox(this);
        box->setRange(min, 1'000'000);
        box->setGroupSeparatorShown(true);
        box->setAccelerated(true);
        connect(box, &QSpinBox::valueChanged, this, &WorkloadForm::changed);
        return box;
    };
    m_inputLen = tokens(1);
    m_outputLen = tokens(1);
    m_prefixLen = tokens(0);
    m_rangeRatio = new QDoubleSpinBox(this);
    m_rangeRatio->setRange(0.0, 0.99);
    m_rangeRatio->setSingleStep(0.05);
    m_rangeRatio->setDecimals(2);
    connect(m_rangeRatio, &QDoubleSpinBox::valueChanged, this, &WorkloadForm::changed);

    addFormRow(m_layout, m_inputLen);
    addFormRow(m_layout, m_outputLen);
    m_lengthMessage = new FieldMessage(this);
    m_layout->addRow(m_lengthMessage);
    addFormRow(m_layout, m_rangeRatio);
    addFormRow(m_layout, m_prefixLen);
    retranslateUi();
}

void WorkloadForm::apply(RandomDatasetConfig &config) const
{
    config.inputLen = m_inputLen->value();
    config.outputLen = m_outputLen->value();
    config.rangeRatio = m_rangeRatio->value();
    config.prefixLen = m_prefixLen->value();
}

void WorkloadForm::load(const RandomDatasetConfig &config)
{
    m_inputLen->setValue(config.inputLen);
    m_outputLen->setValue(config.outputLen);
    m_rangeRatio->setValue(config.rangeRatio);
    m_prefixLen->setValue(config.prefixLen);
}

QString WorkloadForm::validate(int maxModelLen)
{
    QString error;
    if (maxModelLen > 0) {
        // The longest request the dataset can draw: prefix + input and output at their upper range.
        const double spread = 1.0 + m_rangeRatio->value();
        const qint64 longest = m_prefixLen->value() + qint64(std::floor(m_inputLen->value() * spread))
            + qint64(std::floor(m_outputLen->value() * spread));
        if (longest > maxModelLen)
            error = tr("Prompt and answer can reach %1 tokens, more than the %2 the demo server accepts. Make them shorter or choose another preset.")
                        .arg(longest)
                        .arg(maxModelLen);
    }
    setFieldError(m_inputLen, m_lengthMessage, error);
    setFieldError(m_outputLen, nullptr, error);
    return error;
}

void WorkloadForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

void WorkloadForm::retranslateUi()
{
    setTitle(tr("Workload: random prompts"));
    const QString tokens = tr(" tokens");
    for (QSpinBox *box : { m_inputLen, m_outputLen, m_prefixLen })
        box->setSuffix(tokens);

    setFormLabel(m_layout, m_inputLen, tr("Input length"));
    m_inputLen->setToolTip(fieldTip(tr("Input length (--random-input-len)"),
        tr("Tokens in each prompt. Long prompts test the prefill stage and the time to first token; the guide uses 100 for a quick check and 512 for benchmarks.")));
    setFormLabel(m_layout, m_outputLen, tr("Output length"));
    m_outputLen->setToolTip(fieldTip(tr("Output length (--random-output-len)"),
        tr("Tokens the server is asked to generate for each prompt; it is told to ignore end-of-sequence so that every answer has this length. Long answers test the generation speed (TPOT).")));
    setFormLabel(m_layout, m_rangeRatio, tr("Length variation"));
    m_rangeRatio->setToolTip(fieldTip(tr("Length variation (--random-range-ratio)"),
        tr("0 gives every request exactly the lengths above. A value r draws each length evenly between L×(1−r) and L×(1+r), which looks more like real traffic.")));
    setFormLabel(m_layout, m_prefixLen, tr("Shared prefix"));
    m_prefixLen->setToolTip(fieldTip(tr("Shared prefix (--random-prefix-len)"),
        tr("Tokens at the start of every prompt that are the same for all requests, like a system prompt. Servers with prefix caching answer such prompts faster.")));
}

} // namespace ts
