#include "forms/demoserverform.h"

#include "sim/simconfig.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
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
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addRow(m_note);

    connect(m_preset, &QComboBox::currentIndexChanged, this, [this] {
        retranslateUi();
        Q_EMIT changed();
    });
    connect(this, &QGroupBox::toggled, this, &DemoServerForm::changed);
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
    return name;
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
    QString description;
    for (const SimPreset &p : simPresets()) {
        if (p.name == preset())
            description = p.description;
    }
    m_description->setText(description);
    m_note->setText(tr("Untick to test your own server."));
}

} // namespace ts
