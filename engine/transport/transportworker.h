#pragma once

#include "transport/managerpool.h"
#include "transport/transport.h"

#include <QMutex>
#include <QObject>
#include <QSet>
#include <QSslConfiguration>

#include <deque>
#include <optional>

#include <qcoro/qcorotask.h>

class QNetworkReply;

namespace ts {

// Runs requests in its own thread: one coroutine per request owns its reply; bytes are
// timestamped in a direct readyRead handler, in the thread that reads them.
class TransportWorker : public QObject
{
    Q_OBJECT
public:
    explicit TransportWorker(std::shared_ptr<RunContext> context);
    ~TransportWorker() override;

    // Called from any thread. Queued jobs start one at a time: the next one when the last is
    // on its way (written to its socket, or connecting), and never two in one pass of this
    // thread's event loop. Qt asks this thread for each request's body before it sends the
    // request, and that question waits behind whatever this thread has queued.
    void enqueue(RequestJob job, RecordCallback onDone);
    // Called in the worker's thread (queued from the Transport).
    void abortAll();

private:
    void startNext();
    void scheduleStart();   // with m_pendingMutex held
    void requestLeft();
    QCoro::Task<> run(RequestJob job, RecordCallback onDone);

    std::shared_ptr<RunContext> m_context;
    ManagerPool m_pool;
    std::optional<QSslConfiguration> m_ssl;   // for https requests, when Qt's defaults do not do
    QSet<QNetworkReply *> m_active;
    bool m_aborting = false;

    QMutex m_pendingMutex;
    std::deque<std::pair<RequestJob, RecordCallback>> m_pending;   // guarded by m_pendingMutex
    bool m_startScheduled = false;                                  // guarded by m_pendingMutex
    // A request has been handed to Qt and is not yet on its way (written to its socket, or
    // waiting for its connection to open); this thread only. The TTFT clock starts at the
    // hand-over. With a whole burst handed over at once, each request's way to the wire waited
    // behind all the others' (at 1,000 warm streams through HTTP threads of Qt's, a p99 of 33 ms
    // between handing over and the POST on the wire). One at a time, each request goes out
    // within a millisecond or so, and the wait for a turn is counted in the request's queue
    // time (docs/performance.md).
    bool m_handingOver = false;
};

} // namespace ts
