#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace ts {

class RatingPanel;
class Settings;
struct ResultDocument;

// The result at a glance: where it came from, the summary in vLLM's console layout, and the
// rating with hints.
class SummaryView : public QWidget
{
    Q_OBJECT
public:
    explicit SummaryView(Settings *settings, QWidget *parent = nullptr);

    void setDocument(const ResultDocument *document);

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
