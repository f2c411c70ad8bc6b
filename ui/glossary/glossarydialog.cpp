#include "glossary/glossarydialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ts {

GlossaryDialog::GlossaryDialog(QWidget *parent)
    : QDialog(parent)
{
    setModal(false);
    auto *layout = new QVBoxLayout(this);
    m_browser = new QTextBrowser(this);
    m_browser->setOpenLinks(false);
    layout->addWidget(m_browser, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(640, 640);
    retranslateUi();
}

void GlossaryDialog::showMetric(MetricId id)
{
    m_anchor = glossaryAnchor(id);
    present();
}

void GlossaryDialog::showGlossary()
{
    m_anchor.clear();
    present();
}

void GlossaryDialog::present()
{
    show();
    raise();
    activateWindow();
    // The page is laid out only once the browser has a size, so scroll after showing it.
    if (m_anchor.isEmpty())
        m_browser->verticalScrollBar()->setValue(0);
    else
        m_browser->scrollToAnchor(m_anchor);
}

void GlossaryDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void GlossaryDialog::retranslateUi()
{
    setWindowTitle(tr("Glossary of metrics"));
    m_browser->setHtml(glossaryHtml());
    if (!m_anchor.isEmpty())
        m_browser->scrollToAnchor(m_anchor);
}

} // namespace ts
