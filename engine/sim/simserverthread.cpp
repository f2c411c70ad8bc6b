#include "sim/simserverthread.h"

#include "eventloop/scalabledispatcher.h"

#include <QCoreApplication>
#include <QThread>

namespace ts {

class SimServerThreadPrivate
{
public:
    QThread thread;
    QObject *anchor = nullptr;     // lives in `thread`; runs calls there
    SimServer *server = nullptr;   // created, used and deleted in `thread`
    quint16 port = 0;
    QUrl baseUrl;
};

SimServerThread::SimServerThread(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<SimServerThreadPrivate>())
{
    d->thread.setObjectName(QStringLiteral("tokenstorm-sim"));
    qRegisterMetaType<ts::SimCounters>();
}

SimServerThread::~SimServerThread()
{
    stop();
}

SimStartResult SimServerThread::start(const SimServerConfig &config)
{
    stop();
    SimStartResult result;
    d->anchor = new QObject;
    d->anchor->moveToThread(&d->thread);
    useScalableEventDispatcher(&d->thread);
    d->thread.start();

    QMetaObject::invokeMethod(d->anchor, [this, &config, &result] {
        auto *server = new SimServer(config);
        if (!server->listen()) {
            result.error = server->errorString();
            delete server;
            return;
        }
        d->server = server;
        result.port = server->port();
        d->baseUrl = server->baseUrl();
        connect(server, &SimServer::countersChanged, this, &SimServerThread::countersChanged);
    }, Qt::BlockingQueuedConnection);

    if (!result.ok()) {
        stop();
        return result;
    }
    d->port = result.port;
    return result;
}

void SimServerThread::stop()
{
    if (!d->thread.isRunning()) {
        delete d->anchor;
        d->anchor = nullptr;
        return;
    }
    QMetaObject::invokeMethod(d->anchor, [this] {
        delete d->server;
        d->server = nullptr;
        d->anchor->deleteLater();   // deleted in its own thread as it ends
    }, Qt::BlockingQueuedConnection);
    d->anchor = nullptr;
    d->thread.quit();
    d->thread.wait();
    d->port = 0;
    d->baseUrl.clear();
}

bool SimServerThread::isRunning() const
{
    return d->server != nullptr;
}

quint16 SimServerThread::port() const
{
    return d->port;
}

QUrl SimServerThread::baseUrl() const
{
    return d->baseUrl;
}

SimCounters SimServerThread::counters() const
{
    return d->server ? d->server->counters() : SimCounters {};
}

SimLateness SimServerThread::writeLateness() const
{
    return d->server ? d->server->writeLateness() : SimLateness {};
}

void SimServerThread::resetPeaks()
{
    if (!d->server)
        return;
    QMetaObject::invokeMethod(d->anchor, [this] {
        if (d->server)
            d->server->resetPeaks();
    }, Qt::BlockingQueuedConnection);
}

} // namespace ts
