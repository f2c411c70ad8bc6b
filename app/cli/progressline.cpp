#include "progressline.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace ts::cli {

ProgressLine::ProgressLine(bool enabled) : m_enabled(enabled && isatty(STDERR_FILENO)) {}

void ProgressLine::update(const RunProgress &p)
{
    if (!m_enabled)
        return;
    QString line;
    if (p.warmingUp) {
        line = QCoreApplication::translate("ts::cli::ProgressLine", "Warming up…");
    } else {
        constexpr int width = 30;
        const int done = p.succeeded + p.failed;
        const int filled = p.total > 0 ? width * done / p.total : 0;
        line = u'[' + QString(filled, u'#') + QString(width - filled, u'.') + u']'
            + QCoreApplication::translate("ts::cli::ProgressLine", " %1/%2  in flight %3  waiting %4  failed %5  %6 s")
                  .arg(done).arg(p.total).arg(p.inFlight).arg(p.waiting).arg(p.failed)
                  .arg(p.elapsed, 0, 'f', 1);
    }
    std::fprintf(stderr, "\r%s\033[K", line.toLocal8Bit().constData());
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressLine::updatePreparation(qint64 done, qint64 total)
{
    if (!m_enabled || total <= 0)
        return;
    const int percent = int(100 * std::clamp<qint64>(done, 0, total) / total);
    const QString line = QCoreApplication::translate("ts::cli::ProgressLine", "Reading the dataset… %1 %").arg(percent);
    std::fprintf(stderr, "\r%s\033[K", line.toLocal8Bit().constData());
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressLine::finish()
{
    if (m_drawn)
        std::fprintf(stderr, "\n");
    m_drawn = false;
}

} // namespace ts::cli
