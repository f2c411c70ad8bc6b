#include "anatomy/timestrip.h"

#include "anatomy/anatomyfont.h"
#include "render/palette.h"
#include "views/anatomy.h"

#include <QEvent>
#include <QPainter>

#include <algorithm>

namespace ts {

namespace {

constexpr int SideMargin = 10;
constexpr int BarHeight = 16;
constexpr int Tick = 4;
// Below this many pixels per gap, the ITL brackets merge into one over all of them.
constexpr double MinPixelsPerItlBracket = 5.0;


} // namespace

TimeStrip::TimeStrip(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void TimeStrip::setTimes(std::vector<double> arrivalsMs, double e2elMs, bool failed)
{
    m_arrivalsMs = std::move(arrivalsMs);
    m_e2elMs = e2elMs;
    m_failed = failed;
    m_cursorMs.reset();
    m_ttfrtMs.reset();
    m_ttfatMs.reset();
    updateGeometry();
    update();
}

void TimeStrip::setReasoning(double ttfrtMs, std::optional<double> ttfatMs)
{
    m_ttfrtMs = ttfrtMs;
    m_ttfatMs = ttfatMs;
    updateGeometry();
    update();
}

void TimeStrip::setItlThresholds(double mediumFromMs, double slowFromMs)
{
    m_mediumFromMs = mediumFromMs;
    m_slowFromMs = slowFromMs;
    update();
}

void TimeStrip::setCursor(std::optional<double> ms)
{
    m_cursorMs = ms;
    update();
}

QSize TimeStrip::sizeHint() const
{
    const int line = QFontMetrics(anatomySmallFont(font())).height();
    const int reasoningRow = m_ttfrtMs ? line + Tick + 2 : 0;
    return { 480, 3 * line + 4 * Tick + BarHeight + 24 + reasoningRow };
}

QSize TimeStrip::minimumSizeHint() const
{
    return { 200, sizeHint().height() };
}

void TimeStrip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFont small = anatomySmallFont(font());
    p.setFont(small);
    const QFontMetrics sm(small);
    const int line = sm.height();
    const double lastArrival = m_arrivalsMs.empty() ? 0.0 : m_arrivalsMs.back();
    const double end = std::max({ m_e2elMs, lastArrival, 1e-3 });
    const double left = SideMargin;
    const double span = std::max(1.0, double(width() - 2 * SideMargin));
    auto xAt = [&](double ms) { return left + ms / end * span; };
    const QColor ink = palette().color(QPalette::Text);

    // Label centred over [x1, x2], kept inside the widget.
    auto label = [&](double x1, double x2, int top, const QString &text) {
        const int w = sm.horizontalAdvance(text);
        const double cx = w >= span ? left + span / 2.0
                                    : std::clamp((x1 + x2) / 2.0, left + w / 2.0, left + span - w / 2.0);
        p.setPen(ink);
        p.drawText(QRectF(cx - w / 2.0 - 1, top, w + 2, line), Qt::AlignCenter, text);
    };
    // A bracket at height y whose end ticks point towards the bar (down when above it).
    auto bracket = [&](double x1, double x2, double y, bool above, const QColor &colour) {
        const double tick = above ? Tick : -Tick;
        p.setPen(QPen(colour, 1.5));
        p.drawLine(QPointF(x1, y + tick), QPointF(x1, y));
        p.drawLine(QPointF(x1, y), QPointF(x2, y));
        p.drawLine(QPointF(x2, y), QPointF(x2, y + tick));
    };

    // A reasoning request gets a row above for the TTFAT bracket.
    const int ttfatTop = 2;
    const double ttfatY = ttfatTop + line + 2;
    const int ttftTop = m_ttfrtMs ? int(ttfatY) + Tick + 2 : 2;
    const double ttftY = ttftTop + line + 2;
    const int barTop = int(ttftY) + Tick + 2;
    const double itlY = barTop + BarHeight + 4;
    const int itlLabelTop = int(itlY) + 1;
    const double e2elY = itlLabelTop + Tick + line + Tick + 4;
    const int e2elLabelTop = int(e2elY) + 2;

    // The bar: waiting for the first chunk, then one segment per gap.
    auto segment = [&](double from, double to, const QColor &colour) {
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawRect(QRectF(xAt(from), barTop, std::max(1.0, xAt(to) - xAt(from)), BarHeight));
    };
    if (m_arrivalsMs.empty()) {
        segment(0.0, m_e2elMs, m_failed ? palette::failed() : palette::queueWait());
    } else {
        segment(0.0, m_arrivalsMs.front(), palette::firstTokenWait());
        for (std::size_t i = 1; i < m_arrivalsMs.size(); ++i) {
            const double gap = m_arrivalsMs[i] - m_arrivalsMs[i - 1];
            segment(m_arrivalsMs[i - 1], m_arrivalsMs[i], palette::itlColor(gap, m_mediumFromMs, m_slowFromMs));
        }
        if (m_e2elMs > lastArrival)
            segment(lastArrival, m_e2elMs, m_failed ? palette::failed() : palette::decode());
        if (m_ttfrtMs) {
            const double until = m_ttfatMs.value_or(std::max(lastArrival, m_e2elMs));
            p.setPen(Qt::NoPen);
            p.setBrush(palette::reasoning());
            p.drawRect(QRectF(xAt(*m_ttfrtMs), barTop, std::max(2.0, xAt(until) - xAt(*m_ttfrtMs)), BarHeight / 3.0));
        }
        p.setPen(QPen(ink, 1.0));
        for (double t : m_arrivalsMs)
            p.drawLine(QPointF(xAt(t), barTop), QPointF(xAt(t), barTop + BarHeight));
    }

    if (!m_arrivalsMs.empty()) {
        const double ttft = m_arrivalsMs.front();
        bracket(xAt(0.0), xAt(ttft), ttftY, true, palette::firstTokenWait().darker(130));
        // When the model reasons, its first chunk is reasoning: TTFT and TTFRT are one time.
        label(xAt(0.0), xAt(ttft), ttftTop,
              m_ttfrtMs ? tr("TTFT = TTFRT %1 ms").arg(anatomyMs(ttft)) : tr("TTFT %1 ms").arg(anatomyMs(ttft)));
    }
    if (m_ttfrtMs && m_ttfatMs) {
        bracket(xAt(0.0), xAt(*m_ttfatMs), ttfatY, true, palette::reasoning().darker(120));
        label(xAt(0.0), xAt(*m_ttfatMs), ttfatTop, tr("TTFAT %1 ms").arg(anatomyMs(*m_ttfatMs)));
    } else if (m_ttfrtMs) {
        label(xAt(0.0), xAt(end), ttfatTop, tr("no answer after the reasoning"));
    }
    const std::size_t gaps = m_arrivalsMs.empty() ? 0 : m_arrivalsMs.size() - 1;
    if (gaps > 0 && span / double(gaps) >= MinPixelsPerItlBracket) {
        for (std::size_t i = 1; i < m_arrivalsMs.size(); ++i) {
            const double x1 = xAt(m_arrivalsMs[i - 1]) + 1.0;
            const double x2 = xAt(m_arrivalsMs[i]) - 1.0;
            const double gap = m_arrivalsMs[i] - m_arrivalsMs[i - 1];
            bracket(x1, x2, itlY, false, palette::itlColor(gap, m_mediumFromMs, m_slowFromMs).darker(120));
            const QString text = anatomyMs(gap);
            if (sm.horizontalAdvance(text) + 4 < x2 - x1)
                label(x1, x2, itlLabelTop + Tick, text);
        }
    } else if (gaps > 0) {
        bracket(xAt(m_arrivalsMs.front()), xAt(lastArrival), itlY, false, palette::decode());
        label(xAt(m_arrivalsMs.front()), xAt(lastArrival), itlLabelTop + Tick,
              tr("ITL: %n gaps", nullptr, int(gaps)));
    }

    bracket(xAt(0.0), xAt(m_e2elMs), e2elY, false, m_failed ? palette::failed() : ink);
    label(xAt(0.0), xAt(m_e2elMs), e2elLabelTop,
          m_failed ? tr("failed after %1 ms").arg(anatomyMs(m_e2elMs)) : tr("E2EL %1 ms").arg(anatomyMs(m_e2elMs)));

    if (m_cursorMs) {
        p.setPen(QPen(palette::highlight(), 2.0));
        const double cx = xAt(std::min(*m_cursorMs, end));
        p.drawLine(QPointF(cx, 0), QPointF(cx, height()));
    }
}

void TimeStrip::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        update();
    QWidget::changeEvent(event);
}

} // namespace ts
