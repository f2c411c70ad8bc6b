#include "runpanel.h"

#include "sweep/sweepverdict.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ts {

QString formatDuration(double seconds)
{
    const qint64 total = qint64(std::max(0.0, std::round(seconds)));
    const qint64 h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

RunPanel::RunPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    m_start = new QPushButton(this);
    m_start->setDefault(true);
    QFont big = m_start->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_start->setFont(big);
    m_start->setMinimumWidth(120);
    m_start->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_stop = new QPushButton(this);
    m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_times = new QLabel(this);
    top->addWidget(m_start);
    top->addWidget(m_stop);
    top->addWidget(m_progress, 1);
    top->addWidget(m_times);
    layout->addLayout(top);

    auto *bottom = new QHBoxLayout;
    for (int c = 0; c < CounterCount; ++c) {
        m_counterNames[c] = new QLabel(this);
        m_counterValues[c] = new QLabel(QStringLiteral("0"), this);
        QFont bold = m_counterValues[c]->font();
        bold.setBold(true);
        m_counterValues[c]->setFont(bold);
        m_counterValues[c]->setMinimumWidth(m_counterValues[c]->fontMetrics().horizontalAdvance(QStringLiteral("000000")));
        bottom->addWidget(m_counterNames[c]);
        bottom->addWidget(m_counterValues[c]);
    }
    m_counterValues[Failed]->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bottom->addWidget(m_status, 1);
    layout->addLayout(bottom);

    connect(m_start, &QPushButton::clicked, this, &RunPanel::startClicked);
    connect(m_stop, &QPushButton::clicked, this, &RunPanel::stopClicked);
    retranslateUi();
    updateButtons();
}

void RunPanel::setState(RunState state)
{
    m_state = state;
    if (state == RunState::Preparing) {
        m_hasProgress = false;
        m_preparedPermille = -1;
        m_message.clear();
        m_sweepCount = 0;
        m_progress->setRange(0, 0);   // busy until the first progress arrives
    }
    updateButtons();
    retranslateUi();
}

void RunPanel::setPreparationProgress(qint64 done, qint64 total)
{
    if (m_state != RunState::Preparing || total <= 0)
        return;
    m_preparedPermille = int(std::clamp(1000 * done / total, qint64(0), qint64(1000)));
    m_progress->setRange(0, 1000);
    m_progress->setValue(m_preparedPermille);
    retranslateUi();
}

void RunPanel::setProgress(const RunProgress &p)
{
    m_last = p;
    m_hasProgress = true;
    const int done = p.succeeded + p.failed;
    m_progress->setRange(0, std::max(1, p.total));
    m_progress->setValue(std::min(done, std::max(1, p.total)));
    m_counterValues[InFlight]->setText(QString::number(p.inFlight));
    m_counterValues[Waiting]->setText(QString::number(p.waiting));
    m_counterValues[Succeeded]->setText(QString::number(p.succeeded));
    m_counterValues[Failed]->setText(QString::number(p.failed));
    retranslateUi();
}

void RunPanel::setSweepLevel(int index, int count, SweepMode mode, double level)
{
    m_sweepIndex = index;
    m_sweepCount = count;
    m_sweepMode = mode;
    m_sweepLevel = level;
    // Each level counts its own requests from zero.
    m_hasProgress = false;
    m_progress->setRange(0, 0);
    retranslateUi();
}

void RunPanel::setBlockedReason(const QString &reason)
{
    m_blocked = reason;
    updateButtons();
    retranslateUi();
}

void RunPanel::setMessage(const QString &message, bool ok)
{
    m_message = message;
    m_messageOk = ok;
    retranslateUi();
}

QString RunPanel::statusText() const
{
    return m_status->text();
}

void RunPanel::updateButtons()
{
    const bool idle = m_state == RunState::Idle;
    m_start->setEnabled(idle && m_blocked.isEmpty());
    m_stop->setEnabled(m_state == RunState::Running || m_state == RunState::Preparing);
}

void RunPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RunPanel::retranslateUi()
{
    m_start->setText(tr("Start"));
    m_start->setToolTip(tr("Start the test with the settings on the left."));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop sending; the requests measured so far are kept and shown."));
    m_counterNames[InFlight]->setText(tr("In flight:"));
    m_counterNames[InFlight]->setToolTip(tr("Requests sent and still streaming their answer."));
    m_counterNames[Waiting]->setText(tr("Waiting:"));
    m_counterNames[Waiting]->setToolTip(tr("Requests that are due but wait for a free slot under the maximum concurrency."));
    m_counterNames[Succeeded]->setText(tr("Succeeded:"));
    m_counterNames[Failed]->setText(tr("Failed:"));

    const int done = m_last.succeeded + m_last.failed;
    if (m_hasProgress && m_last.total > 0) {
        m_progress->setFormat(tr("%1 / %2 requests").arg(done).arg(m_last.total));
        QString times = tr("Elapsed %1").arg(formatDuration(m_last.elapsed));
        if (m_state == RunState::Running && done > 0 && done < m_last.total)
            times += QStringLiteral("  ·  ") + tr("about %1 left").arg(formatDuration(m_last.elapsed * double(m_last.total - done) / double(done)));
        m_times->setText(times);
    } else {
        if (m_state == RunState::Preparing && m_preparedPermille >= 0)
            m_progress->setFormat(tr("Reading the dataset: %1%").arg(m_preparedPermille / 10));
        else
            m_progress->setFormat(m_state == RunState::Preparing ? tr("Preparing…") : QString());
        m_times->clear();
    }

    QString status;
    QString colour;
    switch (m_state) {
    case RunState::Preparing:
        status = tr("Preparing: starting the demo server, checking the model and building the prompts…");
        break;
    case RunState::Running:
        status = m_last.warmingUp ? tr("Warming up…") : tr("Running…");
        if (m_sweepCount > 0)
            status = tr("Sweep level %1 of %2: %3.").arg(m_sweepIndex + 1).arg(m_sweepCount).arg(sweepLevelPhrase(m_sweepMode, m_sweepLevel))
                + QLatin1Char(' ') + status;
        break;
    case RunState::Stopping:
        status = tr("Stopping: waiting for the requests in flight to end…");
        break;
    case RunState::Idle:
        if (!m_blocked.isEmpty()) {
            status = tr("Cannot start: %1").arg(m_blocked);
            colour = QStringLiteral("#b71c1c");
        } else if (!m_message.isEmpty()) {
            status = m_message;
            colour = m_messageOk ? QString() : QStringLiteral("#b71c1c");
        } else {
            status = tr("Ready. Press Start.");
        }
        break;
    }
    m_status->setText(status);
    m_status->setStyleSheet(colour.isEmpty() ? QString() : QStringLiteral("color: ") + colour + QLatin1Char(';'));
}

} // namespace ts
