#pragma once

#include "results/resulttab.h"

class QLabel;
class QPlainTextEdit;

namespace ts {

class RatingPanel;
class Settings;
struct ResultDocument;

// The result at a glance: where it came from, the summary in vLLM's console layout, and the
// rating with hints.
class SummaryView : public ResultTab
{
    Q_OBJECT
public:
    explicit SummaryView(Settings *settings, QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("summary"); }
    QString title() const override;
    void setDocument(const ResultDocument *document) override;

    QString summaryText() const;
    QPlainTextEdit *summaryEdit() const { return m_summary; }
    RatingPanel *ratingPanel() const { return m_rating; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    const ResultDocument *m_document = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_summaryNote = nullptr;
    QPlainTextEdit *m_summary = nullptr;
    RatingPanel *m_rating = nullptr;
};

} // namespace ts
