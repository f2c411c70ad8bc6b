#pragma once

#include <QWidget>

class QLabel;

namespace ts {

class ChartView;
class DistributionChart;
struct ResultDocument;

// Histograms with CDFs of TTFT, TPOT, ITL and E2EL for the shown result.
class DistributionsView : public QWidget
{
    Q_OBJECT
public:
    explicit DistributionsView(QWidget *parent = nullptr);

    void setDocument(const ResultDocument *document);
    QList<ChartView *> chartViews() const;

Q_SIGNALS:
    void exportRequested(ts::ChartView *view, const QString &format);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLabel *m_note = nullptr;
    DistributionChart *m_ttft = nullptr;
    DistributionChart *m_tpot = nullptr;
    DistributionChart *m_itl = nullptr;
    DistributionChart *m_e2el = nullptr;
    bool m_hasDocument = false;
    bool m_hasRecords = false;
};

} // namespace ts
