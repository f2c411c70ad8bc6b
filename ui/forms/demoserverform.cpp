#include "forms/demoserverform.h"

#include "sim/simconfig.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ts {

DemoServerForm::DemoServerForm(QWidget *parent)
    : QGroupBox(parent)
{
    setCheckable(true);
    setChecked(true);
    auto *layout = new QFormLayout(this);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_preset = new QComboBox(this);
    for (const QString &name : simPresetNames())
        m_preset->addItem(QString(), name);
    setPreset(defaultSimPresetName());
    m_presetLabel = new QLabel(this);
    layout->addRow(m_presetLabel, m_preset);
    m_description = new QLabel(this);
    m_description->setWordWrap(true);
    layout->addRow(m_description);
    m_reasoningTokens = new QSpinBox(this);
    m_reasoningTokens->setRange(0, 100000);
    m_reasoningTokens->setSingleStep(50);
    m_reasoningLabel = new QLabel(this);
    m_reasoningLabel->setBuddy(m_reasoningTokens);
    layout->addRow(m_reasoningLabel, m_reasoningTokens);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addRow(m_note);

    connect(m_preset, &QComboBox::currentIndexChanged, this, [this] {
        retranslateUi();
        Q_EMIT changed();
    });
    connect(this, &QGroupBox::toggled, this, &DemoServerForm::changed);
    connect(m_reasoningTokens, &QSpinBox::valueChanged, this, &DemoServerForm::changed);
    retranslateUi();
}

QString DemoServerForm::preset() const
{
    return m_preset->currentData().toString();
}

void DemoServerForm::setPreset(const QString &name)
{
    const int index = m_preset->findData(name);
    if (index >= 0)
        m_preset->setCurrentIndex(index);
}

int DemoServerForm::maxModelLen() const
{
    const std::optional<SimServerConfig> config = simPresetConfig(preset());
    return config ? config->maxModelLen : 0;
}

QString DemoServerForm::modelId() const
{
    const std::optional<SimServerConfig> config = simPresetConfig(preset());
    return config ? config->modelId : QString();
}

int DemoServerForm::reasoningTokens() const
{
    return m_reasoningTokens->value();
}

void DemoServerForm::setReasoningTokens(int tokens)
{
    m_reasoningTokens->setValue(tokens);
}

QString DemoServerForm::presetTitle(const QString &name)
{
    if (name == QLatin1String("fixed"))
        return tr("Fixed latency (checks the client)");
    if (name == QLatin1String("gpu-fast"))
        return tr("Fast GPU server");
    if (name == QLatin1String("gpu-small"))
        return tr("Small GPU server");
    if (name == QLatin1String("cpu-small"))
        return tr("Small CPU server");
    if (name == QLatin1String("saturating"))
        return tr("Server that saturates early");
    if (name == QLatin1String("classroom"))
        return tr("Slow server for the exercises");
    return name;
}

QString DemoServerForm::presetDescription(const QString &name)
{
    // Written for people choosing a server to imitate; the engine's own descriptions list
    // the simulation parameters instead.
    if (name == QLatin1String("fixed"))
        return tr("Every answer starts after 100 ms and streams a token every 50 ms, however many requests run. Useful to check that the client measures correctly.");
    if (name == QLatin1String("gpu-fast"))
        return tr("Like a large GPU serving a model of about 8B parameters: up to 256 requests at once, a fast prefill, and a generation that slows a little as the batch grows.");
    if (name == QLatin1String("gpu-small"))
        return tr("Like a smaller GPU or a larger model: up to 64 requests at once, with a slower prefill and generation.");
    if (name == QLatin1String("cpu-small"))
        return tr("Like llama.cpp on a CPU: 4 requests at once, slow prefill and generation. Further requests queue, so the time to first token grows quickly.");
    if (name == QLatin1String("saturating"))
        return tr("A server with 16 slots that saturates early: above 16 concurrent requests the throughput stops growing and latency rises. Good for finding the knee with a concurrency sweep.");
    if (name == QLatin1String("classroom"))
        return tr("Slow enough to watch: 4 requests at once, about 1 s to the first token and a token every 200 ms. A fifth request waits until one of the four is done.");
    for (const SimPreset &p : simPresets()) {
        if (p.name == name)
            return p.description;
    }
    return {};
}

void DemoServerForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

void DemoServerForm::retranslateUi()
{
    setTitle(tr("Built-in demo server"));
    setToolTip(tr("A simulated inference server inside this app. It behaves like a real one (batching, queueing, a filling KV cache) so you can try every setting without a server. Untick it to test your own server."));
    m_presetLabel->setText(tr("Behaves like"));
    for (int i = 0; i < m_preset->count(); ++i)
        m_preset->setItemText(i, presetTitle(m_preset->itemData(i).toString()));
    m_description->setText(presetDescription(preset()));
    m_reasoningLabel->setText(tr("Reasoning tokens per reply"));
    m_reasoningTokens->setSpecialValueText(tr("None"));
    m_reasoningTokens->setToolTip(tr("Act as a reasoning model: every reply thinks for this many tokens before it answers (OpenAI chat and Responses, Anthropic). The summary then shows when the reasoning and the answer began (TTFRT, TTFAT)."));
    m_note->setText(tr("Untick to test your own server."));
}

} // namespace ts
