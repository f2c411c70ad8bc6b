#include "results/ratingpanel.h"

#include "glossary/glossarylauncher.h"
#include "metrics/ratinghints.h"
#include "settings.h"
#include "views/glossary.h"
#include "views/metricselection.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace ts {

namespace {

using K = Settings::Key;

// Settings keys of each metric's (excellent, good) limits, in Metric order.
constexpr std::array<std::pair<K, K>, RatingPanel::MetricCount> thresholdKeys { {
    { K::RatingTtftExcellentMs, K::RatingTtftGoodMs },
    { K::RatingTpotExcellentMs, K::RatingTpotGoodMs },
    { K::RatingThroughputExcellent, K::RatingThroughputGood },
    { K::RatingSuccessExcellent, K::RatingSuccessGood },
} };

// The glossary entry of each rated metric, in Metric order.
constexpr std::array<MetricId, RatingPanel::MetricCount> glossaryMetrics {
    MetricId::Ttft, MetricId::Tpot, MetricId::RequestThroughput, MetricId::SuccessRate,
};

QString badgeStyle(Rating rating)
{
    switch (rating) {
    case Rating::Excellent:
        return QStringLiteral("background: #c8e6c9; color: #1b5e20; border-radius: 4px; padding: 2px 8px; font-weight: bold;");
    case Rating::Good:
        return QStringLiteral("background: #fff3c4; color: #6d4c00; border-radius: 4px; padding: 2px 8px; font-weight: bold;");
    case Rating::NeedsWork:
        return QStringLiteral("background: #ffcdd2; color: #b71c1c; border-radius: 4px; padding: 2px 8px; font-weight: bold;");
    }
    return {};
}

} // namespace

RatingPanel::RatingPanel(Settings *settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
{
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    auto *grid = new QGridLayout;
    for (int m = 0; m < MetricCount; ++m) {
        m_names[m] = new QLabel(this);
        m_values[m] = new QLabel(this);
        m_values[m]->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_values[m]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_badges[m] = new QLabel(this);
        auto *name = new QHBoxLayout;
        name->addWidget(m_names[m]);
        name->addWidget(makeGlossaryButton(glossaryMetrics[m], this));
        name->addStretch(1);
        grid->addLayout(name, m, 0);
        grid->addWidget(m_values[m], m, 1);
        grid->addWidget(m_badges[m], m, 2);
    }
    grid->setColumnStretch(0, 1);
    layout->addLayout(grid);

    m_thresholdBox = new QGroupBox(this);
    auto *thresholds = new QGridLayout(m_thresholdBox);
    m_excellentHeader = new QLabel(m_thresholdBox);
    m_goodHeader = new QLabel(m_thresholdBox);
    thresholds->addWidget(m_excellentHeader, 0, 1);
    thresholds->addWidget(m_goodHeader, 0, 2);
    for (int m = 0; m < MetricCount; ++m) {
        m_thresholdNames[m] = new QLabel(m_thresholdBox);
        m_excellent[m] = new QDoubleSpinBox(m_thresholdBox);
        m_good[m] = new QDoubleSpinBox(m_thresholdBox);
        for (QDoubleSpinBox *box : { m_excellent[m], m_good[m] }) {
            box->setRange(0.0, m == SuccessMetric ? 100.0 : 1'000'000.0);
            box->setDecimals(m == SuccessMetric || m == ThroughputMetric ? 1 : 0);
            connect(box, &QDoubleSpinBox::valueChanged, this, [this] {
                storeThresholds();
                refresh();
            });
        }
        thresholds->addWidget(m_thresholdNames[m], m + 1, 0);
        thresholds->addWidget(m_excellent[m], m + 1, 1);
        thresholds->addWidget(m_good[m], m + 1, 2);
    }
    layout->addWidget(m_thresholdBox);

    m_hintsTitle = new QLabel(this);
    m_hintsTitle->setFont(bold);
    layout->addWidget(m_hintsTitle);
    m_hints = new QLabel(this);
    m_hints->setWordWrap(true);
    m_hints->setTextFormat(Qt::RichText);
    m_hints->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_hints);
    layout->addStretch(1);

    loadThresholds();
    retranslateUi();
}

void RatingPanel::loadThresholds()
{
    for (int m = 0; m < MetricCount; ++m) {
        const QSignalBlocker b1(m_excellent[m]);
        const QSignalBlocker b2(m_good[m]);
        m_excellent[m]->setValue(m_settings->doubleValue(thresholdKeys[m].first));
        m_good[m]->setValue(m_settings->doubleValue(thresholdKeys[m].second));
    }
}

void RatingPanel::storeThresholds()
{
    for (int m = 0; m < MetricCount; ++m) {
        m_settings->set(thresholdKeys[m].first, m_excellent[m]->value());
        m_settings->set(thresholdKeys[m].second, m_good[m]->value());
    }
}

RatingThresholds RatingPanel::thresholds() const
{
    RatingThresholds t;
    t.ttftExcellentMs = m_excellent[TtftMetric]->value();
    t.ttftGoodMs = m_good[TtftMetric]->value();
    t.tpotExcellentMs = m_excellent[TpotMetric]->value();
    t.tpotGoodMs = m_good[TpotMetric]->value();
    t.throughputExcellent = m_excellent[ThroughputMetric]->value();
    t.throughputGood = m_good[ThroughputMetric]->value();
    t.successExcellentPercent = m_excellent[SuccessMetric]->value();
    t.successGoodPercent = m_good[SuccessMetric]->value();
    return t;
}

void RatingPanel::setMetrics(const std::optional<BenchmarkMetrics> &metrics, const QString &backend)
{
    m_metrics = metrics;
    m_backend = backend;
    refresh();
}

std::optional<Rating> RatingPanel::rating(Metric metric) const
{
    return m_ratings[metric];
}

QString RatingPanel::badgeText(Rating rating)
{
    switch (rating) {
    case Rating::Excellent:
        return QStringLiteral("●●● ") + ratingName(rating);
    case Rating::Good:
        return QStringLiteral("●●○ ") + ratingName(rating);
    case Rating::NeedsWork:
        return QStringLiteral("●○○ ") + ratingName(rating);
    }
    return {};
}

void RatingPanel::refresh()
{
    m_ratings.fill(std::nullopt);
    const RatingThresholds t = thresholds();
    const BenchmarkMetrics *m = m_metrics ? &*m_metrics : nullptr;
    const bool hasTtft = runHasMetric(m_backend, MetricId::Ttft);
    const bool hasTpot = runHasMetric(m_backend, MetricId::Tpot);
    const bool timed = m && m->completed > 0 && hasTtft;
    if (timed)
        m_ratings[TtftMetric] = rateTtft(m->ttftMs.mean, t);
    if (m && m->completed > 0 && hasTpot && m->tpotMs.count > 0)
        m_ratings[TpotMetric] = rateTpot(m->tpotMs.mean, t);
    if (m && m->total() > 0) {
        m_ratings[ThroughputMetric] = rateRequestThroughput(m->requestThroughput, t);
        m_ratings[SuccessMetric] = rateSuccessRate(m->successRatePercent(), t);
    }
    const QString none = QStringLiteral("—");
    m_values[TtftMetric]->setText(timed ? tr("%1 ms").arg(m->ttftMs.mean, 0, 'f', 1) : none);
    m_values[TpotMetric]->setText(m_ratings[TpotMetric] ? tr("%1 ms").arg(m->tpotMs.mean, 0, 'f', 1) : none);
    m_values[ThroughputMetric]->setText(m_ratings[ThroughputMetric] ? tr("%1 req/s").arg(m->requestThroughput, 0, 'f', 2) : none);
    m_values[SuccessMetric]->setText(m_ratings[SuccessMetric] ? tr("%1 %").arg(m->successRatePercent(), 0, 'f', 1) : none);
    for (int i = 0; i < MetricCount; ++i) {
        const std::optional<Rating> r = m_ratings[i];
        const bool applies = (i != TtftMetric || hasTtft) && (i != TpotMetric || hasTpot);
        m_badges[i]->setText(r ? badgeText(*r) : applies ? tr("no data") : tr("not for this API"));
        m_badges[i]->setToolTip(applies ? QString() : tr("This API answers with embeddings, not generated tokens: rate its end-to-end latency and throughput instead."));
        m_badges[i]->setStyleSheet(r ? badgeStyle(*r) : QString());
    }
    m_hints->setText(hintsText());
}

QString RatingPanel::hintsText() const
{
    if (!m_metrics)
        return ratingNoResultText();
    const HeadlineRatings ratings { m_ratings[TtftMetric], m_ratings[TpotMetric], m_ratings[ThroughputMetric],
                                    m_ratings[SuccessMetric] };
    const QStringList hints = ratingHints(*m_metrics, ratings);
    if (hints.isEmpty())
        return ratingNoHintText(ratings);
    return QStringLiteral("<ul style=\"margin-left: -20px;\"><li>") + hints.join(QStringLiteral("</li><li>"))
        + QStringLiteral("</li></ul>");
}

void RatingPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RatingPanel::retranslateUi()
{
    m_title->setText(tr("Rating against the guide's reference values"));
    m_names[TtftMetric]->setText(tr("Mean time to first token (TTFT)"));
    m_names[TpotMetric]->setText(tr("Mean time per output token (TPOT)"));
    m_names[ThroughputMetric]->setText(tr("Request throughput"));
    m_names[SuccessMetric]->setText(tr("Success rate"));
    for (int m = 0; m < MetricCount; ++m) {
        const QString tip = glossaryEntry(glossaryMetrics[m]).shortTip;
        m_names[m]->setToolTip(tip);
        m_thresholdNames[m]->setToolTip(tip);
    }
    m_thresholdBox->setTitle(tr("Thresholds (editable)"));
    m_thresholdBox->setToolTip(tr("Lower is better for TTFT and TPOT: a value below the first limit is excellent, below the second good. Higher is better for throughput and success rate: above the first limit is excellent, above the second good."));
    m_excellentHeader->setText(ratingName(Rating::Excellent));
    m_goodHeader->setText(ratingName(Rating::Good));
    m_thresholdNames[TtftMetric]->setText(tr("TTFT below"));
    m_thresholdNames[TpotMetric]->setText(tr("TPOT below"));
    m_thresholdNames[ThroughputMetric]->setText(tr("Throughput above"));
    m_thresholdNames[SuccessMetric]->setText(tr("Success rate above"));
    for (int m = 0; m < MetricCount; ++m) {
        const QString suffix = m == ThroughputMetric ? tr(" req/s") : m == SuccessMetric ? QStringLiteral(" %") : tr(" ms");
        m_excellent[m]->setSuffix(suffix);
        m_good[m]->setSuffix(suffix);
    }
    m_hintsTitle->setText(tr("What to look at"));
    refresh();
}

} // namespace ts
