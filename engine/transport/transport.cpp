#include "transport/transport.h"

#include "eventloop/scalabledispatcher.h"
#include "transport/transportworker.h"

#include <QThread>

#include <algorithm>

namespace ts {

int Transport::defaultWorkerCount()
{
    // A worker keeps its own thread and its managers' HTTP threads busy: about two cores' worth
    // at full load. On two cores, one worker held a p99 TTFT error of 4 to 6 ms at 1,000 cold
    // streams where two held 7 to 14, at less CPU per token (docs/performance.md).
    return std::clamp(QThread::idealThreadCount() / 2, 1, 4);
}

Transport::Transport(std::shared_ptr<RunContext> context, int workerCount)
    : m_context(std::move(context))
{
    const int n = workerCount > 0 ? workerCount : defaultWorkerCount();
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
    }
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
