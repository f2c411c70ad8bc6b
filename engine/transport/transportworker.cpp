#include "transport/transportworker.h"

#include "backends/backend.h"
#include "backends/backendregistry.h"
#include "core/clock.h"
#include "transport/httpthread.h"
#include "transport/inflight.h"
#include "transport/streamcollector.h"
#include "transport/tlsconfig.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>
#include <QUuid>

#include <qcoro/qcoronetworkreply.h>

#include <optional>
#include <utility>

namespace ts {

namespace {

// The reply is deleted from the event loop, never inside the emission of its own finished
// signal, which is where the coroutine resumes.
struct DeleteLater
{
    void operator()(QObject *object) const { object->deleteLater(); }
};

QString originOf(const QUrl &url)
{
    return url.scheme() + QLatin1String("://") + url.host() + u':'
        + QString::number(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
}

QNetworkRequest makeRequest(const RunContext &context, const std::optional<QSslConfiguration> &ssl)
{
    const TargetConfig &target = context.config.target;
    QNetworkRequest request(target.url());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader(QByteArrayLiteral("User-Agent"),
                         QByteArrayLiteral("Tokenstorm/") + QByteArrayLiteral(TOKENSTORM_VERSION));
    if (const BackendInfo *backend = findBackend(target.backend)) {
        if (const auto [name, value] = authHeader(*backend, target.apiKey); !name.isEmpty())
            request.setRawHeader(name, value);
        for (const auto &[name, value] : backend->fixedHeaders)
            request.setRawHeader(name, value);
    }
    request.setRawHeader(QByteArrayLiteral("x-request-id"), QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    for (const auto &[name, value] : target.headers)
        request.setRawHeader(name, value);
    // HTTP/1.1, one connection per stream, as vLLM's client does; no cache, no redirects.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    if (ssl && request.url().scheme() == QLatin1String("https"))
        request.setSslConfiguration(*ssl);
    return request;
}

// Why the client itself ended a request, if it did.
enum class Cut { None, NotSent, TimedOut, Stopped };

// What the TLS handshake of a reply came to.
struct Handshake
{
    bool encrypted = false;        // it completed
    bool certificateErrors = false;
};

QString networkErrorText(QNetworkReply *reply, Cut cut, double timeoutS, const Handshake &handshake)
{
    const QUrl url = reply->url();
    const bool https = url.scheme() == QLatin1String("https");
    const QString where = url.host() + u':' + QString::number(url.port(https ? 443 : 80));
    switch (cut) {
    case Cut::NotSent:
        return QCoreApplication::translate("ts::Transport", "Qt %1 did not set the request up as expected; it was not sent.")
            .arg(QString::fromLatin1(qVersion()));
    case Cut::TimedOut:
        // A plain-http server may also wait in silence for the rest of what it takes for a request.
        if (https && !handshake.encrypted && !handshake.certificateErrors && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isNull())
            return QCoreApplication::translate("ts::Transport",
                                               "TLS handshake failed: the server at %1 did not answer it within %2 s (is it http://?).")
                .arg(where).arg(timeoutS);
        return QCoreApplication::translate("ts::Transport", "No complete reply within %1 s (request timeout).")
            .arg(timeoutS);
    case Cut::Stopped:
        return QCoreApplication::translate("ts::Transport", "Stopped before the reply was complete.");
    case Cut::None:
        break;
    }
    // A plain-http server answers a TLS greeting with an HTTP error or by hanging up: the
    // handshake fails before any certificate was looked at.
    const bool handshakeBroke = reply->error() == QNetworkReply::SslHandshakeFailedError
        || reply->error() == QNetworkReply::RemoteHostClosedError || reply->error() == QNetworkReply::ProtocolFailure
        || reply->error() == QNetworkReply::UnknownNetworkError;
    if (https && !handshake.encrypted && !handshake.certificateErrors && handshakeBroke) {
        return QCoreApplication::translate("ts::Transport",
                                           "TLS handshake failed: the server at %1 does not speak TLS (is it http://?).")
            .arg(where);
    }
    switch (reply->error()) {
    case QNetworkReply::NoError:
        return {};
    case QNetworkReply::ConnectionRefusedError:
        return QCoreApplication::translate("ts::Transport", "Connection refused by %1: is the server running?").arg(where);
    case QNetworkReply::HostNotFoundError:
        return QCoreApplication::translate("ts::Transport", "Host not found: %1.").arg(url.host());
    case QNetworkReply::RemoteHostClosedError:
        return QCoreApplication::translate("ts::Transport", "The server closed the connection before the reply was complete.");
    case QNetworkReply::TimeoutError:
        return QCoreApplication::translate("ts::Transport", "The connection to %1 timed out.").arg(where);
    case QNetworkReply::SslHandshakeFailedError:
        return QCoreApplication::translate("ts::Transport", "TLS handshake with %1 failed: %2").arg(where, reply->errorString());
    default:
        return reply->errorString();
    }
}

// Network managers with threads of their own per worker, for https (and for plain http where
// a manager cannot work in the worker's thread). Each holds any number of connections in
// groups; with the engine's dispatcher a thread's wake-up costs the same however many
// connections it reads, so fewer threads mean fewer wake-ups and thread switches per token.
// Measured on two cores (docs/performance.md): at 1,000 streams two managers cost less CPU per
// token than four; one, reading 1,000 streams in one thread, fell behind at 2,000.
constexpr int kManagersPerWorker = 2;

} // namespace

TransportWorker::TransportWorker(std::shared_ptr<RunContext> context)
    : m_context(std::move(context)), m_pool(this, kManagersPerWorker, ManagerPool::HttpWork::CallingThread),
      m_ssl(sslConfigurationFor(m_context->config.target))
{
}

TransportWorker::~TransportWorker()
{
    m_aborting = true;
    for (QNetworkReply *reply : std::as_const(m_active))
        reply->abort();
}

void TransportWorker::enqueue(RequestJob job, RecordCallback onDone)
{
    QMutexLocker lock(&m_pendingMutex);
    m_pending.emplace_back(std::move(job), std::move(onDone));
    scheduleStart();
}

void TransportWorker::scheduleStart()
{
    if (!m_startScheduled && !m_pending.empty()) {
        m_startScheduled = true;
        QMetaObject::invokeMethod(this, &TransportWorker::startNext, Qt::QueuedConnection);
    }
}

void TransportWorker::startNext()
{
    QMutexLocker lock(&m_pendingMutex);
    m_startScheduled = false;
    if (m_pending.empty() || m_handingOver)
        return;
    auto [job, onDone] = std::move(m_pending.front());
    m_pending.pop_front();
    lock.unlock();
    run(std::move(job), std::move(onDone));
}

void TransportWorker::requestLeft()
{
    m_handingOver = false;
    QMutexLocker lock(&m_pendingMutex);
    scheduleStart();
}

void TransportWorker::abortAll()
{
    m_aborting = true;
    // abort() emits finished synchronously, which removes the reply from m_active.
    const QList<QNetworkReply *> active = m_active.values();
    for (QNetworkReply *reply : active)
        reply->abort();
}

QCoro::Task<> TransportWorker::run(RequestJob job, RecordCallback onDone)
{
    const RunContext &context = *m_context;
    RequestRecord record;
    record.index = job.index;
    record.promptTokens = job.prompt.promptTokens;

    QNetworkRequest request = makeRequest(context, m_ssl);
    const QByteArray body = context.backend->requestBody(job.prompt, context.config);
    const QString origin = originOf(request.url());
    // Over https the group name would also be the TLS server name, so groups are for http only.
    const ManagerLease lease = m_pool.acquire(origin, request.url().scheme() == QLatin1String("http"));
    ManagerPool::applyGroup(request, lease);

    const std::int64_t sentNs = monotonicNs();
    record.queueTime = job.releasedNs ? nsToSeconds(sentNs - job.releasedNs) : 0.0;
    record.startTime = nsToSeconds(sentNs - context.runStartNs);
    std::unique_ptr<QNetworkReply, DeleteLater> reply(lease.manager->post(request, body));
    QNetworkReply *raw = reply.get();
    m_handingOver = true;
    bool unsent = true;
    auto left = [&] {
        if (std::exchange(unsent, false))
            requestLeft();
    };
    const QMetaObject::Connection sent = QObject::connect(raw, &QNetworkReply::requestSent, raw, left);
    // A new connection takes a round trip to the server before the request can be written.
    const QMetaObject::Connection connecting =
        QObject::connect(raw, &QNetworkReply::socketStartedConnecting, raw, left);
    // Qt 6.4 starts a POST from a queued call on the reply. Delivered now, the request is on its
    // way to the network thread at once; left queued, it would wait behind everything else this
    // thread has queued.
    QCoreApplication::sendPostedEvents(raw, QEvent::MetaCall);
    m_active.insert(raw);
    // Listed after the hand-over, so a poll holding the list's lock cannot come between the
    // request's timestamp and Qt.
    std::optional<InFlightEntry> live;
    live.emplace(job.index >= 0 ? context.inFlight.get() : nullptr, job.index, sentNs, record.startTime,
                 record.queueTime);
    // Qt's calls back that wait for this thread would wait for themselves (httpthread.h). Had
    // Qt not set the request up yet, there would be none to change, and the request must not go.
    const bool unsafe = lease.inCallingThread && makeBlockingCallsDirect(raw) == 0;
    if (m_aborting || unsafe)
        raw->abort();

    Handshake handshake;
    const QMetaObject::Connection encrypted =
        QObject::connect(raw, &QNetworkReply::encrypted, raw, [&] { handshake.encrypted = true; });
    const QMetaObject::Connection sslErrors =
        QObject::connect(raw, &QNetworkReply::sslErrors, raw, [&] { handshake.certificateErrors = true; });

    StreamCollector collector(*context.backend, sentNs);
    collector.setReasoningTags(context.config.target.reasoningTags);
    bool statusKnown = false;
    auto takeBytes = [&](std::int64_t nowNs) {
        if (!raw->isOpen())   // aborted: nothing left to read
            return;
        if (!statusKnown) {
            const QVariant status = raw->attribute(QNetworkRequest::HttpStatusCodeAttribute);
            if (!status.isValid())
                return;
            collector.setHttpStatus(status.toInt());
            statusKnown = true;
        }
        const QByteArray bytes = raw->readAll();
        if (const int chunks = collector.addBytes(bytes, nowNs)) {
            m_context->contentChunks.fetch_add(chunks, std::memory_order_relaxed);
            live->update(collector.firstContentNs(), collector.state().contentChunks);
        }
        // Queued: abort() would resume this coroutine, and end its frame, inside this handler.
        if (collector.stopped() && !raw->isFinished())
            QMetaObject::invokeMethod(raw, &QNetworkReply::abort, Qt::QueuedConnection);
    };
    // The timestamp is taken first thing in a direct handler in this thread.
    const QMetaObject::Connection reading =
        QObject::connect(raw, &QNetworkReply::readyRead, raw, [&] { takeBytes(monotonicNs()); });

    bool timedOut = false;
    QTimer timeout;
    // A coarse timer may fire early, and a timed-out request's latency is the timeout.
    timeout.setTimerType(Qt::PreciseTimer);
    const double timeoutS = context.config.target.requestTimeoutS;
    if (timeoutS > 0) {
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, raw, [&] {
            timedOut = true;
            raw->abort();
        });
        timeout.start(std::chrono::milliseconds(qint64(timeoutS * 1000.0)));
    }

    if (!raw->isFinished())
        co_await raw;
    const std::int64_t endNs = monotonicNs();
    left();
    timeout.stop();
    // The reply outlives this frame until deleteLater; a signal still queued for it (after an
    // abort) must not reach the handlers, which refer to this frame.
    QObject::disconnect(sent);
    QObject::disconnect(connecting);
    QObject::disconnect(reading);
    QObject::disconnect(encrypted);
    QObject::disconnect(sslErrors);
    takeBytes(endNs);
    if (const int chunks = collector.finish(endNs, raw->error() == QNetworkReply::NoError))
        m_context->contentChunks.fetch_add(chunks, std::memory_order_relaxed);

    m_active.remove(raw);
    m_pool.release(lease, origin);

    Cut cut = Cut::None;
    if (unsafe)
        cut = Cut::NotSent;
    else if (timedOut)
        cut = Cut::TimedOut;
    else if (m_aborting && raw->error() == QNetworkReply::OperationCanceledError)
        cut = Cut::Stopped;
    const QString networkError = networkErrorText(raw, cut, timeoutS, handshake);
    collector.fillRecord(record, networkError, raw->header(QNetworkRequest::ContentTypeHeader).toByteArray(),
                         context.tokenizer.get());
    reply.reset();
    // Off the list before the runner hears of the end and fills the slot with another request.
    live.reset();
    onDone(std::move(record));
}

} // namespace ts
