#pragma once

#include "metrics/benchmarkmetrics.h"
#include "metrics/rating.h"

#include <QWidget>

#include <array>
#include <optional>

class QDoubleSpinBox;
class QGridLayout;
class QGroupBox;
class QLabel;

namespace ts {

class Settings;

// Rates the headline metrics against the user guide's reference values (thresholds editable
// and remembered) and explains, in plain words, what to look at when one is poor. Colours
// carry the verdict together with a symbol and a word, so it reads in grey too.
class RatingPanel : public QWidget
{
    Q_OBJECT
public:
    enum Metric { TtftMetric, TpotMetric, ThroughputMetric, SuccessMetric, MetricCount };

    explicit RatingPanel(Settings *settings, QWidget *parent = nullptr);

    // backend: the run's API, whose run may lack a metric (runHasMetric()); such a row says so
    // instead of rating a number that means nothing.
    void setMetrics(const std::optional<BenchmarkMetrics> &metrics, const QString &backend = QString());
    RatingThresholds thresholds() const;
    // The verdict shown for a metric; nullopt when there is nothing to rate.
    std::optional<Rating> rating(Metric metric) const;
    QString hintsText() const;

    // "●●● Excellent" and friends, in the current language.
    static QString badgeText(Rating rating);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refresh();
    void loadThresholds();
    void storeThresholds();

    Settings *m_settings;
    std::optional<BenchmarkMetrics> m_metrics;
    QString m_backend;
    std::array<std::optional<Rating>, MetricCount> m_ratings;
    QLabel *m_title = nullptr;
    std::array<QLabel *, MetricCount> m_names {};
    std::array<QLabel *, MetricCount> m_values {};
    std::array<QLabel *, MetricCount> m_badges {};
    QGroupBox *m_thresholdBox = nullptr;
    QLabel *m_excellentHeader = nullptr;
    QLabel *m_goodHeader = nullptr;
    std::array<QLabel *, MetricCount> m_thresholdNames {};
    std::array<QDoubleSpinBox *, MetricCount> m_excellent {};
    std::array<QDoubleSpinBox *, MetricCount> m_good {};
    QLabel *m_hintsTitle = nullptr;
    QLabel *m_hints = nullptr;
};

} // namespace ts
