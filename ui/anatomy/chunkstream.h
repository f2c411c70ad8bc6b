#pragma once

#include <QRect>
#include <QString>
#include <QWidget>

#include <vector>

namespace ts {

// The generated text laid out as it arrived, as the guide draws it:
// [wait 125 ms] "你" [30 ms] "好" [40 ms] "，" … one box per streamed chunk with the gap before
// it written in front, wrapping over lines. Boxes hold no text when the record kept only the
// whole answer. Put it in a QScrollArea (widgetResizable): its minimum height follows the
// layout for its width.
class ChunkStream : public QWidget
{
    Q_OBJECT
public:
    struct Box
    {
        QString text;           // the chunk's text; empty when not recorded
        int tokens = 0;         // 0 when the stream did not say
        double gapBeforeMs = 0; // TTFT for the first box, the ITL gap for the others
        double arrivalMs = 0;   // since the request was sent
        bool reasoning = false; // the model thinking, before its first answer chunk
    };

    explicit ChunkStream(QWidget *parent = nullptr);

    void setBoxes(std::vector<Box> boxes, bool withTexts);
    void setItlThresholds(double mediumFromMs, double slowFromMs);
    // Replay: only the boxes that arrived by ms are drawn, and the gap being waited for
    // counts up. showAll() ends it.
    void setReplayTime(double ms);
    void showAll();
    // A closing mark after the last box (a failed request's reason); empty for none.
    void setEndMark(const QString &text);

    int boxCount() const { return int(m_boxes.size()); }
    int revealedCount() const;
    QStringList boxTexts() const;
    int reasoningBoxCount() const;
    QRect boxRect(int index) const;

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Where each piece goes for a width: the pill before box i, box i, the end mark.
    struct Placed
    {
        QRect pill;
        QRect box;
    };
    void relayout();
    QString pillText(int index) const;
    QString boxLabel(const Box &box) const;

    std::vector<Box> m_boxes;
    std::vector<Placed> m_placed;
    QRect m_endRect;
    QString m_endMark;
    bool m_withTexts = true;
    bool m_tokenLine = false;   // some box knows its token count: every box gets a second line
    int m_revealed = -1;        // -1: all
    double m_replayMs = 0.0;
    double m_mediumFromMs = 25.0;
    double m_slowFromMs = 50.0;
    int m_layoutHeight = 0;
};

} // namespace ts
