#include "anatomy/chunkstream.h"

#include "anatomy/anatomyfont.h"
#include "render/palette.h"
#include "views/anatomy.h"

#include <QEvent>
#include <QPaintEvent>
#include <QPainter>

#include <algorithm>

namespace ts {

namespace {

constexpr int Margin = 6;
constexpr int PadX = 6;
constexpr int PadY = 4;
constexpr int PillToBox = 3;
constexpr int UnitSpacing = 6;
constexpr int RowSpacing = 8;
constexpr int EmptyBoxWidth = 14;


QColor textOn(const QColor &fill)
{
    return qGray(fill.rgb()) > 150 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace

ChunkStream::ChunkStream(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

void ChunkStream::setBoxes(std::vector<Box> boxes, bool withTexts)
{
    m_boxes = std::move(boxes);
    m_withTexts = withTexts;
    m_tokenLine = std::any_of(m_boxes.begin(), m_boxes.end(), [](const Box &b) { return b.tokens > 0; });
    m_revealed = -1;
    relayout();
}

void ChunkStream::setItlThresholds(double mediumFromMs, double slowFromMs)
{
    m_mediumFromMs = mediumFromMs;
    m_slowFromMs = slowFromMs;
    update();
}

void ChunkStream::setReplayTime(double ms)
{
    m_replayMs = ms;
    // A hair of slack: a replay advanced by exactly the scaled arrival time must show the chunk
    // despite rounding in the scaling.
    const auto arrived = std::upper_bound(m_boxes.begin(), m_boxes.end(), ms + 1e-6,
                                          [](double t, const Box &b) { return t < b.arrivalMs; });
    m_revealed = int(arrived - m_boxes.begin());
    update();
}

void ChunkStream::showAll()
{
    m_revealed = -1;
    update();
}

void ChunkStream::setEndMark(const QString &text)
{
    m_endMark = text;
    relayout();
}

int ChunkStream::revealedCount() const
{
    return m_revealed < 0 ? boxCount() : std::min(m_revealed, boxCount());
}

QStringList ChunkStream::boxTexts() const
{
    QStringList texts;
    texts.reserve(qsizetype(m_boxes.size()));
    for (const Box &b : m_boxes)
        texts << b.text;
    return texts;
}

QRect ChunkStream::boxRect(int index) const
{
    return index >= 0 && index < int(m_placed.size()) ? m_placed[std::size_t(index)].box : QRect();
}

QSize ChunkStream::sizeHint() const
{
    return { 480, std::max(m_layoutHeight, 60) };
}

int ChunkStream::reasoningBoxCount() const
{
    return int(std::count_if(m_boxes.begin(), m_boxes.end(), [](const Box &b) { return b.reasoning; }));
}

QString ChunkStream::pillText(int index) const
{
    const double gap = m_boxes[std::size_t(index)].gapBeforeMs;
    return index == 0 ? tr("wait %1 ms").arg(anatomyMs(gap)) : tr("%1 ms").arg(anatomyMs(gap));
}

QString ChunkStream::boxLabel(const Box &box) const
{
    // Whitespace drawn as marks: a chunk is often just " the" or a line break, and the learner
    // should see that it is there.
    QString label = box.text;
    label.replace(u'\r', QString());
    label.replace(u'\n', u'↵');
    label.replace(u'\t', u'→');
    label.replace(u' ', u'·');
    return label;
}

void ChunkStream::relayout()
{
    const QFontMetrics fm(font());
    const QFontMetrics sm(anatomySmallFont(font()));
    const int boxHeight = fm.height() + 2 * PadY + (m_tokenLine ? sm.height() : 0);
    const int pillHeight = sm.height() + 4;
    const int available = std::max(80, width() - 2 * Margin);
    int x = Margin;
    int y = Margin;
    auto place = [&](int unitWidth) {
        if (x > Margin && x + unitWidth > Margin + available) {
            x = Margin;
            y += boxHeight + RowSpacing;
        }
        const int left = x;
        x += unitWidth + UnitSpacing;
        return left;
    };

    m_placed.resize(m_boxes.size());
    for (std::size_t i = 0; i < m_boxes.size(); ++i) {
        const Box &b = m_boxes[i];
        const int pillWidth = sm.horizontalAdvance(pillText(int(i))) + 2 * PadX;
        int inner = m_withTexts ? fm.horizontalAdvance(boxLabel(b)) : EmptyBoxWidth;
        if (b.tokens > 0)
            inner = std::max(inner, sm.horizontalAdvance(tr("%n tok", nullptr, b.tokens)));
        // A chunk longer than a line is elided when painted rather than overflowing.
        const int boxWidth = std::max(EmptyBoxWidth,
                                      std::min(std::max(inner, EmptyBoxWidth) + 2 * PadX, available - pillWidth - PillToBox));
        const int left = place(pillWidth + PillToBox + boxWidth);
        m_placed[i].pill = QRect(left, y + (boxHeight - pillHeight) / 2, pillWidth, pillHeight);
        m_placed[i].box = QRect(left + pillWidth + PillToBox, y, boxWidth, boxHeight);
    }
    m_endRect = QRect();
    if (!m_endMark.isEmpty()) {
        const int w = std::min(sm.horizontalAdvance(m_endMark) + 2 * PadX, available);
        m_endRect = QRect(place(w), y + (boxHeight - pillHeight) / 2, w, pillHeight);
    }
    m_layoutHeight = m_boxes.empty() && m_endMark.isEmpty() ? 0 : y + boxHeight + Margin;
    setMinimumHeight(m_layoutHeight);
    updateGeometry();
    update();
}

void ChunkStream::paintEvent(QPaintEvent *event)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFont small = anatomySmallFont(font());
    const QFontMetrics fm(font());
    const QFontMetrics sm(small);
    const int shown = revealedCount();
    const bool replaying = m_revealed >= 0;
    const QColor boxBorder = palette::decode();
    const QColor emptyFill = palette::decode().lighter(160);

    auto drawPill = [&](const QRect &r, const QColor &fill, const QString &text) {
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(r, 4, 4);
        p.setFont(small);
        p.setPen(textOn(fill));
        p.drawText(r, Qt::AlignCenter, text);
    };

    for (int i = 0; i < boxCount(); ++i) {
        const Placed &at = m_placed[std::size_t(i)];
        if (!at.pill.united(at.box).intersects(event->rect()))
            continue;
        const Box &b = m_boxes[std::size_t(i)];
        const QColor fill = i == 0 ? palette::firstTokenWait()
                                   : palette::itlColor(b.gapBeforeMs, m_mediumFromMs, m_slowFromMs);
        if (i >= shown) {
            // The gap being waited for counts up in a pale pill, coloured by the time waited so
            // far; later ones are not drawn yet.
            if (replaying && i == shown) {
                const double since = i == 0 ? 0.0 : m_boxes[std::size_t(i - 1)].arrivalMs;
                const double waited = std::max(0.0, m_replayMs - since);
                const QColor sofar = i == 0 ? fill : palette::itlColor(waited, m_mediumFromMs, m_slowFromMs);
                drawPill(at.pill, sofar.lighter(140),
                         i == 0 ? tr("wait %1 ms").arg(anatomyMs(waited)) : tr("%1 ms").arg(anatomyMs(waited)));
            }
            continue;
        }
        drawPill(at.pill, fill, pillText(i));

        // Reasoning boxes are tinted, so the thinking reads apart from the answer at a glance.
        p.setPen(QPen(b.reasoning ? palette::reasoning() : boxBorder, b.reasoning ? 2.0 : 1.2));
        if (b.reasoning)
            p.setBrush(palette::reasoning().lighter(m_withTexts ? 185 : 140));
        else
            p.setBrush(m_withTexts ? palette().color(QPalette::Base) : emptyFill);
        p.drawRoundedRect(QRectF(at.box).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        const QRect inner = at.box.adjusted(PadX, PadY, -PadX, -PadY);
        if (m_withTexts) {
            p.setFont(font());
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRect(inner.left(), inner.top(), inner.width(), fm.height()), Qt::AlignCenter,
                       fm.elidedText(boxLabel(b), Qt::ElideRight, inner.width()));
        }
        if (b.tokens > 0) {
            p.setFont(small);
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(QRect(inner.left(), inner.bottom() - sm.height() + 1, inner.width(), sm.height()),
                       Qt::AlignCenter, tr("%n tok", nullptr, b.tokens));
        }
    }
    if (!m_endMark.isEmpty() && shown == boxCount())
        drawPill(m_endRect, palette::failed(), m_endMark);
}

void ChunkStream::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void ChunkStream::changeEvent(QEvent *event)
{
    // Pill texts and fonts change widths.
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::FontChange)
        relayout();
    QWidget::changeEvent(event);
}

} // namespace ts
