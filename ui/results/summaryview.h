#pragma once

#include "results/resulttab.h"
#include "views/glossary.h"

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace ts {

class RatingPanel;
class Settings;
struct ResultDocument;

// The result at a glance: where it came from, the summary in vLLM's console layout, and the
// rating with hints. Hovering a summary line explains its metric; clicking it asks for the
// requests behind its value (metricClicked).
class SummaryView : public ResultTab
{
    Q_OBJECT
public:
    explicit SummaryView(Settings *settings, QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("summary"); }
    QString title() const override;
    void setDocument(const ResultDocument *document) override;

    QString summaryText() const;
    // Where the result came from and how it was loaded, as shown above the summary.
    QString sourceText() const;
    QPlainTextEdit *summaryEdit() const { return m_summary; }
    RatingPanel *ratingPanel() const { return m_rating; }
    // The metric of the summary line at a point of the summary's viewport.
    std::optional<MetricValue> metricAt(const QPoint &viewportPos) const;

Q_SIGNALS:
    // A summary line was clicked: for requestsBehind(), e.g. to highlight them in a timeline.
    void metricClicked(ts::MetricId metric, ts::Statistic statistic, double percentile);
    // The start page's "Guided exercises" button.
    void exercisesRequested();

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslateUi();
    QString toolTipFor(const MetricValue &value) const;
    // How the requests were released: constant rate, ramp-up, or limited by time.
    QString loadShapeText(const LoadConfig &load) const;

    const ResultDocument *m_document = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_summaryNote = nullptr;
    QPlainTextEdit *m_summary = nullptr;
    QToolButton *m_glossaryButton = nullptr;
    // Shown while there is no result: where a newcomer starts learning.
    QWidget *m_startPage = nullptr;
    QLabel *m_startText = nullptr;
    QPushButton *m_exercisesButton = nullptr;
    QPushButton *m_startGlossaryButton = nullptr;
    RatingPanel *m_rating = nullptr;
};

} // namespace ts
