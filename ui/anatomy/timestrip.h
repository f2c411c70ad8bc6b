#pragma once

#include <QWidget>

#include <optional>
#include <vector>

namespace ts {

// One request on a time axis from the moment it was sent: the wait for the first chunk, each
// gap between chunks coloured against the ITL thresholds, and brackets naming TTFT (above),
// every ITL and E2EL (below). For a reasoning model a band marks the reasoning and a second
// bracket above names TTFAT. A cursor follows a replay.
class TimeStrip : public QWidget
{
    Q_OBJECT
public:
    explicit TimeStrip(QWidget *parent = nullptr);

    // Arrival of each chunk and the end (E2EL), in ms since the request was sent. failed
    // draws the part after the last chunk as the failure.
    void setTimes(std::vector<double> arrivalsMs, double e2elMs, bool failed);
    void setItlThresholds(double mediumFromMs, double slowFromMs);
    void setCursor(std::optional<double> ms);
    // After setTimes: the reasoning from ttfrtMs until the first answer chunk at ttfatMs (none:
    // it reasoned to the end). Without a call the strip shows no reasoning.
    void setReasoning(double ttfrtMs, std::optional<double> ttfatMs);
    bool showsReasoning() const { return m_ttfrtMs.has_value(); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    std::vector<double> m_arrivalsMs;
    double m_e2elMs = 0.0;
    bool m_failed = false;
    std::optional<double> m_cursorMs;
    std::optional<double> m_ttfrtMs;
    std::optional<double> m_ttfatMs;
    double m_mediumFromMs = 25.0;
    double m_slowFromMs = 50.0;
};

} // namespace ts
