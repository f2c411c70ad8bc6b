#include "glossary/glossarylauncher.h"

#include "glossary/glossarydialog.h"

#include <QCoreApplication>
#include <QEvent>

namespace ts {

GlossaryLauncher *GlossaryLauncher::instance()
{
    // A QPointer, so a test that makes a second application object gets a fresh launcher.
    static QPointer<GlossaryLauncher> launcher;
    if (!launcher)
        launcher = new GlossaryLauncher(QCoreApplication::instance());
    return launcher;
}

void GlossaryLauncher::setDialogParent(QWidget *parent)
{
    m_dialogParent = parent;
    if (m_dialog && m_dialog->parentWidget() != parent) {
        const bool visible = m_dialog->isVisible();
        m_dialog->setParent(parent, m_dialog->windowFlags());
        m_dialog->setVisible(visible);
    }
}

GlossaryDialog *GlossaryLauncher::dialog() const
{
    return m_dialog;
}

GlossaryDialog *GlossaryLauncher::ensureDialog()
{
    if (!m_dialog)
        m_dialog = new GlossaryDialog(m_dialogParent);
    return m_dialog;
}

void GlossaryLauncher::showMetric(MetricId id)
{
    ensureDialog()->showMetric(id);
    Q_EMIT glossaryRequested(id);
}

void GlossaryLauncher::showGlossary()
{
    ensureDialog()->showGlossary();
}

GlossaryButton::GlossaryButton(std::optional<MetricId> id, QWidget *parent)
    : QToolButton(parent)
    , m_metric(id)
{
    setText(QStringLiteral("?"));
    setAutoRaise(true);
    setObjectName(QStringLiteral("glossary-") + (id ? glossaryAnchor(*id) : QStringLiteral("all")));
    connect(this, &QToolButton::clicked, this, [this] {
        if (m_metric)
            GlossaryLauncher::instance()->showMetric(*m_metric);
        else
            GlossaryLauncher::instance()->showGlossary();
    });
    retranslateUi();
}

void GlossaryButton::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QToolButton::changeEvent(event);
}

void GlossaryButton::retranslateUi()
{
    if (m_metric)
        setToolTip(tr("%1: open its explanation in the glossary").arg(glossaryEntry(*m_metric).name));
    else
        setToolTip(tr("Open the glossary: what each metric measures, how it is computed and what moves it"));
}

QToolButton *makeGlossaryButton(MetricId id, QWidget *parent)
{
    return new GlossaryButton(id, parent);
}

QToolButton *makeGlossaryButton(QWidget *parent)
{
    return new GlossaryButton(std::nullopt, parent);
}

} // namespace ts
