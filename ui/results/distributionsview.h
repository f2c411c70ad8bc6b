#pragma once

#include "results/resulttab.h"

class QLabel;

namespace ts {

class ChartView;
class DistributionChart;
struct ResultDocument;

// Histograms with CDFs of TTFT, TPOT, ITL and E2EL for the shown result, and of TTFRT and
// TTFAT when its requests reasoned.
class DistributionsView : public ResultTab
{
    Q_OBJECT
public:
    explicit DistributionsView(QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("distributions"); }
    QString title() const override;
    void setDocument(const ResultDocument *document) override;
    QList<const Exportable *> exportables() const override;
    // The charts shown: the reasoning ones only for a result with reasoning.
    QList<ChartView *> chartViews() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLabel *m_note = nullptr;
    DistributionChart *m_ttft = nullptr;
    DistributionChart *m_tpot = nullptr;
    DistributionChart *m_itl = nullptr;
    DistributionChart *m_e2el = nullptr;
    DistributionChart *m_ttfrt = nullptr;
    DistributionChart *m_ttfat = nullptr;
    bool m_hasDocument = false;
    bool m_hasRecords = false;
};

} // namespace ts
