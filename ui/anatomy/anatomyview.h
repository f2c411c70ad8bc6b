#pragma once

#include "core/requestrecord.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;

namespace ts {

class ChunkStream;
class TimeStrip;

// Request anatomy: what TTFT, TPOT, ITL and E2EL are, shown on the one request selected in
// the timeline. The answer as it arrived chunk by chunk, a time strip with a bracket per
// metric, the formulas with this request's numbers, and a replay of the stream at 1×, 0.25×
// or 0.1×. Connect the timeline's selection to setRecord().
class AnatomyView : public QWidget
{
    Q_OBJECT
public:
    explicit AnatomyView(QWidget *parent = nullptr);

    // The view keeps its own copy; nullptr shows a hint to pick a request. Stops a replay.
    void setRecord(const RequestRecord *record);
    // Gaps from mediumFromMs are drawn as medium, from slowFromMs as slow (vLLM: 25 and 50).
    void setItlThresholds(double mediumFromMs, double slowFromMs);

    // Replay speeds offered, as factors of the recorded time (1, 0.25, 0.1).
    static QList<double> replaySpeeds();
    void setReplaySpeed(double factor);
    double replaySpeed() const;
    void startReplay();
    void stopReplay();
    bool isReplaying() const { return m_replayMs.has_value(); }
    // Moves a replay on by this much wall time. The frame timer calls it with the time since
    // the last frame; tests call it directly instead of waiting.
    void advanceReplay(double seconds);

    // What is on screen, for tests and accessibility.
    int chunkBoxCount() const;
    int revealedChunkCount() const;
    QStringList chunkTexts() const;
    QString formulasText() const;
    int reasoningBoxCount() const;
    // The legend under the strip for a reasoning request; empty otherwise.
    QString reasoningLegendText() const;
    bool hasRecord() const { return m_record.has_value(); }

Q_SIGNALS:
    void replayFinished();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showRecord();
    void updateReplayControls();
    void onFrame();
    double replayEndMs() const;

    std::optional<RequestRecord> m_record;
    double m_mediumFromMs = 25.0;
    double m_slowFromMs = 50.0;

    QLabel *m_hint = nullptr;
    QWidget *m_content = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_streamTitle = nullptr;
    QScrollArea *m_streamScroll = nullptr;
    ChunkStream *m_stream = nullptr;
    QLabel *m_wholeTextNote = nullptr;
    QPlainTextEdit *m_wholeText = nullptr;
    TimeStrip *m_strip = nullptr;
    QLabel *m_reasoningLegend = nullptr;
    QLabel *m_failure = nullptr;
    QLabel *m_formulasTitle = nullptr;
    QLabel *m_formulas = nullptr;
    QLabel *m_summaryTitle = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_replay = nullptr;
    QComboBox *m_speed = nullptr;
    QPushButton *m_stop = nullptr;

    QTimer m_frameTimer;
    QElapsedTimer m_frameClock;
    std::optional<double> m_replayMs;   // position in the request's own time while replaying
};

} // namespace ts
