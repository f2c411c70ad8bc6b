#include "transport/httpthread.h"

#include "eventloop/scalabledispatcher.h"

#include <QAbstractEventDispatcher>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>

#ifdef TOKENSTORM_HAVE_QTNETWORK_PRIVATE
#include <QtCore/private/qobject_p_p.h>
#include <QtNetwork/private/qnetworkaccessmanager_p.h>

#include <cstring>
#endif

namespace ts {

#ifdef TOKENSTORM_HAVE_QTNETWORK_PRIVATE

namespace {

bool sameQtAsBuilt()
{
    // The private layouts are those of the headers we were built with: only the same Qt will do.
    return std::strcmp(qVersion(), QT_VERSION_STR) == 0;
}

QNetworkAccessManagerPrivate *privateOf(QNetworkAccessManager *manager)
{
    if (!sameQtAsBuilt())
        return nullptr;
    return static_cast<QNetworkAccessManagerPrivate *>(QObjectPrivate::get(manager));
}

} // namespace

void giveHttpThread(QNetworkAccessManager *manager)
{
    QNetworkAccessManagerPrivate *d = privateOf(manager);
    if (!d || d->thread)
        return;
    QAbstractEventDispatcher *dispatcher = createScalableEventDispatcher();
    if (!dispatcher)
        return;
    // The manager owns it from here: it stops and deletes it when it goes, as it would its own.
    auto *thread = new QThread;
    thread->setObjectName(QStringLiteral("ts-http"));
    thread->setEventDispatcher(dispatcher);
    thread->start();
    d->thread = thread;
}

bool useCallingThreadForHttp(QNetworkAccessManager *manager)
{
    QNetworkAccessManagerPrivate *d = privateOf(manager);
    if (!d || d->thread || manager->thread() != QThread::currentThread())
        return false;
    d->thread = QThread::currentThread();
    return true;
}

void releaseHttpThread(QNetworkAccessManager *manager)
{
    QNetworkAccessManagerPrivate *d = privateOf(manager);
    if (d && d->thread == manager->thread())
        d->thread = nullptr;
}

int makeBlockingCallsDirect(QNetworkReply *reply)
{
    if (!sameQtAsBuilt())
        return 0;
    // The connections whose receiver is the reply, in the list Qt keeps of them. Only those
    // from objects of the reply's own thread change; nothing else touches them meanwhile.
    const QObjectPrivate::ConnectionData *connections = QObjectPrivate::get(reply)->connections.loadRelaxed();
    int changed = 0;
    for (QObjectPrivate::Connection *c = connections ? connections->senders : nullptr; c; c = c->next) {
        if (c->connectionType == Qt::BlockingQueuedConnection && c->sender->thread() == reply->thread()) {
            c->connectionType = Qt::DirectConnection;
            ++changed;
        }
    }
    return changed;
}

QThread *httpThreadOf(QNetworkAccessManager *manager)
{
    QNetworkAccessManagerPrivate *d = privateOf(manager);
    return d ? d->thread : nullptr;
}

#else

void giveHttpThread(QNetworkAccessManager *)
{
}

bool useCallingThreadForHttp(QNetworkAccessManager *)
{
    return false;
}

void releaseHttpThread(QNetworkAccessManager *)
{
}

int makeBlockingCallsDirect(QNetworkReply *)
{
    return 0;
}

QThread *httpThreadOf(QNetworkAccessManager *)
{
    return nullptr;
}

#endif

} // namespace ts
