#include "transport/httpthread.h"

#include "eventloop/scalabledispatcher.h"

#include <QAbstractEventDispatcher>
#include <QNetworkAccessManager>
#include <QThread>

#ifdef TOKENSTORM_HAVE_QTNETWORK_PRIVATE
#include <QtNetwork/private/qnetworkaccessmanager_p.h>

#include <cstring>
#endif

namespace ts {

#ifdef TOKENSTORM_HAVE_QTNETWORK_PRIVATE

namespace {

QNetworkAccessManagerPrivate *privateOf(QNetworkAccessManager *manager)
{
    // The private layout is that of the headers we were built with: only the same Qt will do.
    if (std::strcmp(qVersion(), QT_VERSION_STR) != 0)
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

QThread *httpThreadOf(QNetworkAccessManager *manager)
{
    QNetworkAccessManagerPrivate *d = privateOf(manager);
    return d ? d->thread : nullptr;
}

#else

void giveHttpThread(QNetworkAccessManager *)
{
}

QThread *httpThreadOf(QNetworkAccessManager *)
{
    return nullptr;
}

#endif

} // namespace ts
