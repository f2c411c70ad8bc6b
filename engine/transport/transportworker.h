#pragma once

#include "transport/managerpool.h"
#include "transport/transport.h"

#include <QObject>
#include <QSet>

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

    // Both are called in the worker's thread (queued from the Transport).
    void send(RequestJob job, RecordCallback onDone);
    void abortAll();

private:
    QCoro::Task<> run(RequestJob job, RecordCallback onDone);

    std::shared_ptr<RunContext> m_context;
    ManagerPool m_pool;
    QSet<QNetworkReply *> m_active;
    bool m_aborting = false;
};

} // namespace ts
