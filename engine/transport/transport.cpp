#include "transport/transport.h"

#include "eventloop/scalabledispatcher.h"
#include "transport/transportworker.h"

#include <QThread>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <pthread.h>
#include <time.h>
#endif

namespace ts {

int Transport::defaultWorkerCount(const LoadConfig &load)
{
    // A worker reads its plain-http connections itself, in its one thread. On two cores, with
    // 2,000 streams opened at once, one worker kept the p99 TTFT within 5 ms of the truth at
    // about three quarters of a core, while two or four, competing with the server for the
    // cores, were 21 to 28 ms off (docs/performance.md). So one worker per 2,000 streams, and
    // no more than half the cores.
    const int streams = load.maxConcurrency > 0 ? std::min(load.maxConcurrency, load.numPrompts) : load.numPrompts;
    const int byLoad = std::max(1, (streams + 1999) / 2000);
    const int byCores = std::max(1, QThread::idealThreadCount() / 2);
    return std::min({ byLoad, byCores, 4 });
}

Transport::Transport(std::shared_ptr<RunContext> context, int workerCount)
    : m_context(std::move(context))
{
    const int n = workerCount > 0 ? workerCount : defaultWorkerCount(m_context->config.load);
    for (int i = 0; i < n; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("ts-transport-%1").arg(i));
        useScalableEventDispatcher(thread);
        auto *worker = new TransportWorker(m_context);
        worker->moveToThread(thread);
        // Managers and replies must be destroyed in the thread that owns them.
        QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads.push_back(thread);
        m_workers.push_back(worker);
#ifdef Q_OS_LINUX
        clockid_t clock {};
        bool known = false;
        QMetaObject::invokeMethod(
            worker, [&] { known = pthread_getcpuclockid(pthread_self(), &clock) == 0; }, Qt::BlockingQueuedConnection);
        if (known)
            m_cpuClocks.push_back(int(clock));
#endif
    }
}

double Transport::cpuSeconds() const
{
    if (m_cpuClocks.empty() || m_cpuClocks.size() != m_threads.size())
        return -1.0;
    double total = 0.0;
    for (const int clock : m_cpuClocks) {
        timespec t {};
        if (clock_gettime(clockid_t(clock), &t) != 0)
            return -1.0;
        total += double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
    }
    return total;
}

Transport::~Transport()
{
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
        delete thread;
    }
}

void Transport::send(RequestJob job, RecordCallback onDone)
{
    TransportWorker *worker = m_workers[m_next];
    m_next = (m_next + 1) % m_workers.size();
    worker->enqueue(std::move(job), std::move(onDone));
}

void Transport::abortAll()
{
    for (TransportWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, [worker] { worker->abortAll(); }, Qt::QueuedConnection);
}

} // namespace ts
