#pragma once

#include "load/benchmarkrunner.h"
#include "runcontroller.h"
#include "sweep/sweepconfig.h"

#include <QElapsedTimer>
#include <QWidget>

#include <array>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ts {

// Start and Stop, the progress bar with elapsed and remaining time, and the live counters.
// When Start cannot be used it says why.
class RunPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunPanel(QWidget *parent = nullptr);

    void setState(RunState state);
    void setProgress(const RunProgress &progress);
    // While preparing: how much of the dataset has been read (any unit, done of total).
    void setPreparationProgress(qint64 done, qint64 total);
    // Empty: Start may be pressed; otherwise the reason it cannot.
    void setBlockedReason(const QString &reason);
    // A message about the last run (e.g. why it failed); ok selects the colour.
    void setMessage(const QString &message, bool ok);
    // During a sweep: the level that runs (index from 0) of how many; a new run clears it.
    void setSweepLevel(int index, int count, SweepMode mode, double level);

    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }
    QProgressBar *progressBar() const { return m_progress; }
    QString statusText() const;

    enum Counter { InFlight, Waiting, Succeeded, Failed, CounterCount };
    QLabel *counterValue(Counter counter) const { return m_counterValues[counter]; }

Q_SIGNALS:
    void startClicked();
    void stopClicked();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateButtons();

    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_times = nullptr;
    std::array<QLabel *, CounterCount> m_counterNames {};
    std::array<QLabel *, CounterCount> m_counterValues {};
    RunState m_state = RunState::Idle;
    RunProgress m_last;
    bool m_hasProgress = false;
    int m_preparedPermille = -1;     // -1: no preparation progress known
    QString m_blocked;
    QString m_message;
    bool m_messageOk = true;
    int m_sweepIndex = -1;
    int m_sweepCount = 0;
    SweepMode m_sweepMode = SweepMode::Concurrency;
    double m_sweepLevel = 0.0;
};

// "1:05" / "1:02:03" for a duration in seconds.
QString formatDuration(double seconds);

} // namespace ts
