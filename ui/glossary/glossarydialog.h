#pragma once

#include "views/glossary.h"

#include <QDialog>

class QTextBrowser;

namespace ts {

// The glossary page (glossaryHtml()) in a window that stays open beside the results.
class GlossaryDialog : public QDialog
{
    Q_OBJECT
public:
    explicit GlossaryDialog(QWidget *parent = nullptr);

    // Shows and raises the dialog, scrolled to the metric's entry.
    void showMetric(MetricId id);
    // Shows and raises the dialog at the top of the page.
    void showGlossary();

    // The anchor last scrolled to; empty at the top of the page.
    QString currentAnchor() const { return m_anchor; }
    QTextBrowser *browser() const { return m_browser; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void present();

    QTextBrowser *m_browser = nullptr;
    QString m_anchor;
};

} // namespace ts
