#include "sim/simserver.h"

#include "core/clock.h"
#include "sim/simbatchscheduler.h"
#include "sim/simfixedscheduler.h"
#include "sim/simformats.h"
#include "sim/simhttp.h"
#include "sim/simmetrics.h"
#include "sim/simrequest.h"
#include "sim/simroutes.h"
#include "sim/simsequence.h"
#include "sim/simsocket.h"
#include "sim/simtokenize.h"
#include "sim/simtokenizer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QHostInfo>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace ts {

namespace sim {

struct Connection
{
    // What the connection waits for, and so which timeout applies.
    enum class Phase : std::uint8_t {
        Head,       // a request's head (header timeout)
        Body,       // the rest of a request's body (body timeout)
        Busy,       // the server: a reply in progress (no timeout)
        Idle,       // the next request on a kept-alive connection (keep-alive timeout)
        Closing,    // the last bytes to leave (header timeout, then the connection is cut)
    };

    QTcpSocket *socket = nullptr;
    QByteArray input;
    HttpRequestParser parser;
    std::unique_ptr<Sequence> active;   // the reply in progress; later requests wait for it
    bool closing = false;               // no more requests: the connection is being closed
    Phase phase = Phase::Head;
    std::int64_t deadlineNs = 0;        // when the phase's timeout ends the connection; 0: none
    ArrivalClock *arrivalClock = nullptr;   // a child of the socket
    std::int64_t arrivalNs = 0;         // when the last bytes of `input` reached the machine, or 0
    // Qt's read notifier of the socket, off while a reply streams its tokens (see pauseReading).
    QSocketNotifier *readNotifier = nullptr;
    bool readingPaused = false;

    // While tokens stream, the client sends nothing, and a client that goes away shows in the
    // next write. Without its read notifier the connection leaves the event dispatcher's poll
    // set, which Qt scans whole on every wake-up: with 1,000 streams, that scan was half of
    // the server's time (perf record, docs/performance.md).
    void pauseReading(bool paused)
    {
        if (readNotifier && readingPaused != paused) {
            readingPaused = paused;
            readNotifier->setEnabled(!paused);
        }
    }
};

} // namespace sim

using namespace ts::sim;

namespace {

// A client that stops reading while we keep writing is cut off rather than buffered forever.
constexpr qint64 kMaxPendingWriteBytes = 16 * 1024 * 1024;

// Between requests a connection keeps at most this much buffer, whatever the largest request
// it received: thousands of idle connections must not each hold a past body's capacity.
constexpr qsizetype kKeptInputCapacity = 64 * 1024;

// Returns the capacity it released.
qsizetype releaseSpareCapacity(QByteArray &input)
{
    if (input.capacity() <= kKeptInputCapacity || input.size() >= input.capacity() / 4)
        return 0;
    const qsizetype released = input.capacity();
    input = QByteArray(input.constData(), input.size());
    return released;
}

// glibc keeps freed heap memory for later allocations, and after a large buffer was freed it
// serves buffers of that size from the heap rather than mmap: the resident memory of a server
// that held many large bodies stays at its peak. After that much of large buffers was freed,
// the free memory is given back. Buffers of ordinary requests are far below the size counted,
// so a benchmark never pays for this.
constexpr qsizetype kLargeBufferBytes = 256 * 1024;
constexpr qsizetype kTrimAfterFreedBytes = 16 * 1024 * 1024;

void returnFreeHeapMemory()
{
#ifdef __GLIBC__
    ::malloc_trim(0);
#endif
}

// 0 (no timeout) for what validate() refuses anyway.
std::int64_t nanoseconds(double seconds)
{
    return seconds > 0.0 ? std::int64_t(std::min(seconds, 1e9) * 1e9) : 0;
}

// How often deadlines are checked: a timeout fires up to this late. Coarse, as the check
// walks every connection.
int timeoutCheckIntervalMs(const SimServerConfig &config)
{
    const double shortest = std::min({config.headerTimeoutS, config.bodyTimeoutS, config.keepAliveTimeoutS});
    return int(std::clamp(shortest * 1000.0 / 5.0, 10.0, 1000.0));
}

QByteArray hexId(std::uint64_t a, std::uint64_t b)
{
    return QByteArray::number(qulonglong(a), 16).rightJustified(16, '0')
        + QByteArray::number(qulonglong(b), 16).rightJustified(16, '0');
}

} // namespace

class SimServerPrivate final : public SequenceSink
{
public:
    SimServerPrivate(SimServer *q, SimServerConfig config)
        : q(q)
        , config(std::move(config))
        , modelRaw(this->config.modelId.toUtf8())
        , headerTimeoutNs(nanoseconds(this->config.headerTimeoutS))
        , bodyTimeoutNs(nanoseconds(this->config.bodyTimeoutS))
        , keepAliveTimeoutNs(nanoseconds(this->config.keepAliveTimeoutS))
    {
        appendJsonEscaped(modelEscaped, modelRaw);
        if (this->config.mode == SimMode::FixedLatency)
            scheduler = std::make_unique<FixedLatencyScheduler>(this->config, *this, stats);
        else
            scheduler = std::make_unique<BatchingScheduler>(this->config, *this, stats);
    }

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onGone(QTcpSocket *socket);
    void processInput(Connection *c);
    void handleRequest(Connection *c, HttpRequest &req);
    void handleGeneration(Connection *c, HttpRequest &req, ApiKind kind, bool tgiStream);
    QByteArray modelList(ApiKind kind) const;   // the body of a model list route
    void respond(Connection *c, int status, const QByteArray &contentType, const QByteArray &body,
                 bool keepAlive, const QByteArray &extraHeaders = {});
    void reject(Connection *c, const RequestError &e, bool keepAlive);
    void beginClose(Connection *c);
    void setPhase(Connection *c, Connection::Phase phase, std::int64_t timeoutNs);
    void watchWaitingInput(Connection *c);
    void enforceTimeouts();
    void timeOut(Connection *c, const QByteArray &message);
    void noteFreed(qsizetype capacity)
    {
        if (capacity >= kLargeBufferBytes)
            freedLargeBytes += capacity;
    }
    void closeAll();

    void emitToken(Sequence &seq, std::int64_t deadlineNs) override;
    void sequenceFinished(Sequence &seq) override;
    void countServed(Sequence &seq);

    SimServer *q;
    SimServerConfig config;
    QByteArray modelRaw;
    QByteArray modelEscaped;
    std::int64_t headerTimeoutNs;
    std::int64_t bodyTimeoutNs;
    std::int64_t keepAliveTimeoutNs;
    QTimer timeoutTimer;
    qsizetype freedLargeBytes = 0;   // since the heap's free memory was last given back
    QTcpServer *tcp = nullptr;
    QString error;
    Stats stats;
    std::unique_ptr<Scheduler> scheduler;
    std::unordered_map<QTcpSocket *, std::unique_ptr<Connection>> connections;
    std::uint64_t nextSerial = 0;
    QTimer publishTimer;
    std::uint64_t publishedVersion = ~std::uint64_t(0);
    QByteArray scratch;
};

void SimServerPrivate::onNewConnection()
{
    while (QTcpSocket *socket = tcp->nextPendingConnection()) {
        // Small writes must leave at once: Nagle would hold tokens back by up to 40 ms.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto c = std::make_unique<Connection>();
        c->socket = socket;
        c->arrivalClock = new ArrivalClock(socket);
        c->readNotifier = readNotifierOf(socket);
        c->parser.setMaxBodyBytes(config.maxBodyBytes);
        // A client that connects and sends nothing is held to the header timeout too.
        setPhase(c.get(), Connection::Phase::Head, headerTimeoutNs);
        connections.emplace(socket, std::move(c));
        stats.connections.fetch_add(1, std::memory_order_relaxed);
        stats.touch();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onReadyRead(socket); });
        // Queued, so a write that finds the peer gone never re-enters the schedulers; the
        // socket as context drops the call when the socket was deleted meanwhile.
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] { onGone(socket); },
                         Qt::QueuedConnection);
        QObject::connect(socket, &QTcpSocket::errorOccurred, socket, [this, socket] { onGone(socket); },
                         Qt::QueuedConnection);
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void SimServerPrivate::onReadyRead(QTcpSocket *socket)
{
    const auto it = connections.find(socket);
    if (it == connections.end())
        return;
    Connection *c = it->second.get();
    if (c->closing) {
        socket->readAll();
        return;
    }
    c->input += socket->readAll();
    c->arrivalNs = c->arrivalClock->lastArrivalNs();
    if (c->input.size() > HttpRequestParser::kMaxHeaderBytes + config.maxBodyBytes) {
        socket->abort();   // pipelining without end behind a reply in progress
        return;
    }
    processInput(c);
}

void SimServerPrivate::onGone(QTcpSocket *socket)
{
    if (socket->state() == QAbstractSocket::ConnectedState)
        return;   // a passing error; the connection still works
    const auto it = connections.find(socket);
    if (it == connections.end())
        return;
    Connection *c = it->second.get();
    if (c->active) {
        scheduler->cancel(c->active.get());
        stats.aborted.fetch_add(1, std::memory_order_relaxed);
    }
    noteFreed(c->input.capacity());
    connections.erase(it);
    stats.connections.fetch_sub(1, std::memory_order_relaxed);
    stats.touch();
    socket->deleteLater();
}

void SimServerPrivate::processInput(Connection *c)
{
    while (!c->active && !c->closing) {
        HttpRequest req;
        const auto status = c->parser.parse(c->input, req);
        if (status == HttpRequestParser::Status::NeedMore) {
            if (c->parser.takeExpectContinue())
                sendNow(c->socket, "HTTP/1.1 100 Continue\r\n\r\n");
            watchWaitingInput(c);
            return;
        }
        if (status == HttpRequestParser::Status::Error) {
            RequestError e;
            e.status = c->parser.errorStatus();
            e.message = c->parser.errorMessage();
            reject(c, e, false);
            return;
        }
        setPhase(c, Connection::Phase::Busy, 0);
        noteFreed(releaseSpareCapacity(c->input));
        handleRequest(c, req);
        noteFreed(req.body.capacity());
    }
}

void SimServerPrivate::setPhase(Connection *c, Connection::Phase phase, std::int64_t timeoutNs)
{
    c->phase = phase;
    c->deadlineNs = timeoutNs > 0 ? monotonicNs() + timeoutNs : 0;
}

// The parser wants more bytes: starts the timeout of what is awaited, unless it runs already.
void SimServerPrivate::watchWaitingInput(Connection *c)
{
    using Phase = Connection::Phase;
    if (c->parser.readingBody()) {
        if (c->phase != Phase::Body)
            setPhase(c, Phase::Body, bodyTimeoutNs);
    } else if (!c->input.isEmpty()) {
        if (c->phase != Phase::Head)
            setPhase(c, Phase::Head, headerTimeoutNs);
    } else if (c->phase == Phase::Busy) {
        setPhase(c, Phase::Idle, keepAliveTimeoutNs);
    }
}

void SimServerPrivate::enforceTimeouts()
{
    using Phase = Connection::Phase;
    const std::int64_t now = monotonicNs();
    std::vector<Connection *> expired;
    for (const auto &[socket, c] : connections) {
        if (c->deadlineNs != 0 && now >= c->deadlineNs)
            expired.push_back(c.get());
    }
    // Closing only queues the connection's removal, so the pointers stay valid here.
    for (Connection *c : expired) {
        switch (c->phase) {
        case Phase::Head:
            if (c->input.isEmpty())
                beginClose(c);   // nothing of a request came: nothing to answer
            else
                timeOut(c, "The request head did not arrive within " + QByteArray::number(config.headerTimeoutS)
                            + " s.");
            break;
        case Phase::Body:
            timeOut(c, "The request body did not arrive within " + QByteArray::number(config.bodyTimeoutS) + " s.");
            break;
        case Phase::Idle:
            beginClose(c);
            break;
        case Phase::Closing:
            c->deadlineNs = 0;
            c->socket->abort();   // the client does not read what is left
            break;
        case Phase::Busy:
            break;
        }
    }
    if (freedLargeBytes >= kTrimAfterFreedBytes) {
        freedLargeBytes = 0;
        returnFreeHeapMemory();
    }
}

void SimServerPrivate::timeOut(Connection *c, const QByteArray &message)
{
    stats.timedOut.fetch_add(1, std::memory_order_relaxed);
    stats.touch();
    noteFreed(c->input.capacity());
    c->input = QByteArray();
    respond(c, 408, "application/json", jsonError(408, message, "RequestTimeout"), false);
}

void SimServerPrivate::beginClose(Connection *c)
{
    c->closing = true;
    setPhase(c, Connection::Phase::Closing, headerTimeoutNs);
    if (c->socket->state() == QAbstractSocket::ConnectedState)
        c->socket->disconnectFromHost();
}

void SimServerPrivate::handleRequest(Connection *c, HttpRequest &req)
{
    const Route *route = findRoute(req.path);
    if (!route) {
        RequestError e;
        e.status = 404;
        e.message = "Not Found: " + req.path;
        e.type = "NotFoundError";
        reject(c, e, req.keepAlive);
        return;
    }
    if (req.method != route->method) {
        RequestError e;
        e.status = 405;
        e.message = "Method Not Allowed: " + req.method + ' ' + req.path;
        e.type = "MethodNotAllowed";
        stats.rejected.fetch_add(1, std::memory_order_relaxed);
        respond(c, 405, "application/json", jsonError(405, e.message, e.type), req.keepAlive,
                QByteArray("allow: ") + route->method + "\r\n");
        return;
    }

    switch (route->serve) {
    case Route::Serve::Generation:
        handleGeneration(c, req, route->kind, route->stream);
        break;
    case Route::Serve::ModelList:
        respond(c, 200, "application/json", modelList(route->kind), req.keepAlive);
        break;
    case Route::Serve::Health:
        respond(c, 200, {}, {}, req.keepAlive);
        break;
    case Route::Serve::Metrics:
        respond(c, 200, "text/plain; version=0.0.4; charset=utf-8", prometheusMetrics(modelRaw, stats),
                req.keepAlive);
        break;
    case Route::Serve::Tokenize:
    case Route::Serve::Detokenize: {
        QByteArray reply;
        const std::optional<RequestError> e = route->serve == Route::Serve::Tokenize
            ? answerTokenize(req.body, config.maxModelLen, &reply)
            : answerDetokenize(req.body, &reply);
        if (e)
            reject(c, *e, req.keepAlive);
        else
            respond(c, 200, "application/json", reply, req.keepAlive);
        break;
    }
    }
}

QByteArray SimServerPrivate::modelList(ApiKind kind) const
{
    if (const auto format = makeReplyFormat(kind)) {
        if (QByteArray body = format->modelList(modelEscaped, config.maxModelLen); !body.isEmpty())
            return body;
    }
    if (kind == ApiKind::Tgi) {
        // TGI's /info names the one model it serves.
        return "{\"model_id\":\"" + modelEscaped + "\",\"max_total_tokens\":"
            + QByteArray::number(config.maxModelLen) + ",\"router\":\"tokenstorm-sim\"}";
    }
    const QByteArray created = QByteArray::number(QDateTime::currentSecsSinceEpoch());
    return "{\"object\":\"list\",\"data\":[{\"id\":\"" + modelEscaped
        + "\",\"object\":\"model\",\"created\":" + created + ",\"owned_by\":\"tokenstorm-sim\",\"root\":\""
        + modelEscaped + "\",\"parent\":null,\"max_model_len\":" + QByteArray::number(config.maxModelLen)
        + ",\"permission\":[]}]}";
}

void SimServerPrivate::handleGeneration(Connection *c, HttpRequest &req, ApiKind kind, bool tgiStream)
{
    GenerationRequest g;
    if (const auto e = parseGenerationRequest(kind, req.body, g)) {
        reject(c, *e, req.keepAlive);
        return;
    }
    kind = g.kind;   // a shared path (/generate) is told apart by its body
    if (kind == ApiKind::Tgi)
        g.stream = tgiStream;
    if (g.model && *g.model != modelRaw && !config.acceptAnyModel) {
        RequestError e;
        e.status = 404;
        e.message = "The model `" + *g.model + "` does not exist.";
        e.type = "NotFoundError";
        e.param = "model";
        reject(c, e, req.keepAlive);
        return;
    }
    const int maxTokens = g.maxTokens.value_or(config.defaultMaxTokens);
    qint64 contextLimit = config.maxModelLen;
    if (config.mode == SimMode::Batching)
        contextLimit = std::min<qint64>(contextLimit, config.kvCacheTokens);
    if (qint64(g.promptTokens) + maxTokens > contextLimit) {
        RequestError e;
        e.message = "This model's maximum context length is " + QByteArray::number(contextLimit)
            + " tokens. However, you requested " + QByteArray::number(qint64(g.promptTokens) + maxTokens)
            + " tokens (" + QByteArray::number(g.promptTokens) + " in the messages, "
            + QByteArray::number(maxTokens) + " in the completion). Please reduce the length of the "
            "messages or completion.";
        reject(c, e, req.keepAlive);
        return;
    }

    auto seq = std::make_unique<Sequence>();
    seq->serial = ++nextSerial;
    seq->seed = mix64(config.seed ^ mix64(seq->serial));
    seq->connection = c;
    seq->arrivalNs = c->arrivalNs;
    seq->promptTokens = g.promptTokens;
    seq->targetTokens = maxTokens;
    if (!g.ignoreEos && config.eosProbability > 0.0) {
        // Geometric: the first token at which a per-token coin with this probability comes up.
        const double u = unitFromHash(mix64(seq->seed ^ 0x3c6ef372fe94f82bULL));
        const double k = 1.0 + std::floor(std::log1p(-u) / std::log1p(-config.eosProbability));
        if (k < double(maxTokens)) {
            seq->targetTokens = int(k);
            seq->finishReason = FinishReason::Stop;
        }
    }

    ReplySpec spec;
    spec.kind = kind;
    spec.stream = g.stream;
    spec.includeUsage = g.includeUsage;
    spec.tgiDetails = g.tgiDetails;
    spec.keepAlive = req.keepAlive;
    spec.modelEscaped = modelEscaped;
    // The other formats put their own prefix (resp_, msg_) before the bare id.
    spec.requestId = (kind == ApiKind::Chat ? QByteArray("chatcmpl-")
                      : kind == ApiKind::Completions || kind == ApiKind::Tgi ? QByteArray("cmpl-") : QByteArray())
        + hexId(mix64(seq->seed + 1), mix64(seq->seed + 2));
    spec.created = QDateTime::currentSecsSinceEpoch();
    spec.promptTokens = g.promptTokens;
    spec.inputHash = g.inputHash;
    spec.reasoningTokens = config.reasoningTokens;
    seq->reply = ReplyWriter(std::move(spec));

    stats.promptTokens.fetch_add(g.promptTokens, std::memory_order_relaxed);
    if (g.stream)
        sendNow(c->socket, seq->reply.streamHead());
    c->active = std::move(seq);
    scheduler->submit(c->active.get());
}

void SimServerPrivate::respond(Connection *c, int status, const QByteArray &contentType, const QByteArray &body,
                               bool keepAlive, const QByteArray &extraHeaders)
{
    sendNow(c->socket, httpResponse(status, contentType, body, keepAlive, extraHeaders));
    if (!keepAlive)
        beginClose(c);
}

void SimServerPrivate::reject(Connection *c, const RequestError &e, bool keepAlive)
{
    stats.rejected.fetch_add(1, std::memory_order_relaxed);
    stats.touch();
    respond(c, e.status, "application/json", jsonError(e.status, e.message, e.type, e.param), keepAlive);
}

void SimServerPrivate::emitToken(Sequence &seq, std::int64_t deadlineNs)
{
    const int position = seq.generated - 1;
    const bool last = seq.generated >= seq.targetTokens;
    const VocabToken &token = generatedToken(seq.seed, position);
    scratch.truncate(0);   // keeps the capacity
    seq.reply.appendToken(scratch, token, position, seq.seed + std::uint64_t(position), last, seq.finishReason);
    if (last)
        seq.reply.appendEnd(scratch, seq.generated, seq.finishReason);
    // An embedding's one step ends its prefill; it generates nothing.
    if (seq.reply.spec().kind != ApiKind::Embeddings)
        stats.generatedTokens.fetch_add(1, std::memory_order_relaxed);
    if (scratch.isEmpty())
        return;
    QTcpSocket *socket = seq.connection->socket;
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;   // the queued disconnect will cancel the sequence
    if (socket->bytesToWrite() > kMaxPendingWriteBytes) {
        socket->abort();
        return;
    }
    stats.lateness.record(monotonicNs() - deadlineNs);
    seq.connection->pauseReading(true);
    // Counted before the last bytes go out: a client holding the whole reply must find it
    // counted, whichever thread asks.
    if (last)
        countServed(seq);
    sendNow(socket, scratch);
}

void SimServerPrivate::countServed(Sequence &seq)
{
    seq.served = true;
    (seq.finishReason == FinishReason::Stop ? stats.servedStop : stats.servedLength)
        .fetch_add(1, std::memory_order_relaxed);
    stats.touch();
}

void SimServerPrivate::sequenceFinished(Sequence &seq)
{
    Connection *c = seq.connection;
    const std::unique_ptr<Sequence> finished = std::move(c->active);
    if (c->socket->state() != QAbstractSocket::ConnectedState) {
        if (!seq.served) {
            stats.aborted.fetch_add(1, std::memory_order_relaxed);
            stats.touch();
        }
        return;
    }
    if (!seq.served)
        countServed(seq);
    if (!seq.reply.spec().keepAlive) {
        beginClose(c);
        return;
    }
    c->pauseReading(false);
    processInput(c);   // a pipelined request may be waiting
}

void SimServerPrivate::closeAll()
{
    if (tcp)
        tcp->close();
    for (auto &[socket, c] : connections) {
        if (c->active)
            scheduler->cancel(c->active.get());
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
    }
    connections.clear();
    stats.connections.store(0, std::memory_order_relaxed);
    stats.touch();
}

SimServer::SimServer(SimServerConfig config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<SimServerPrivate>(this, std::move(config)))
{
    d->publishTimer.setInterval(100);
    connect(&d->publishTimer, &QTimer::timeout, this, [this] {
        const auto v = d->stats.version.load(std::memory_order_relaxed)
            + std::uint64_t(d->stats.generatedTokens.load(std::memory_order_relaxed));
        if (v == d->publishedVersion)
            return;
        d->publishedVersion = v;
        Q_EMIT countersChanged(counters());
    });
    connect(&d->timeoutTimer, &QTimer::timeout, this, [this] { d->enforceTimeouts(); });
}

SimServer::~SimServer()
{
    d->closeAll();
    d->scheduler.reset();
    delete d->tcp;
    d->tcp = nullptr;
}

bool SimServer::listen()
{
    if (isListening())
        return true;
    d->error = d->config.validate();
    if (!d->error.isEmpty())
        return false;

    QHostAddress address;
    const QString host = d->config.host.trimmed();
    if (host.isEmpty() || host == QLatin1String("localhost")) {
        address = QHostAddress(QHostAddress::LocalHost);
    } else if (!address.setAddress(host)) {
        const QHostInfo info = QHostInfo::fromName(host);
        if (info.addresses().isEmpty()) {
            d->error = QCoreApplication::translate("ts::SimServer", "Could not find the address of %1.").arg(host);
            return false;
        }
        address = info.addresses().constFirst();
    }

    if (!d->tcp) {
        d->tcp = new QTcpServer(this);
        d->tcp->setListenBacklogSize(d->config.listenBacklog);
        d->tcp->setMaxPendingConnections(std::max(30, d->config.listenBacklog));
        connect(d->tcp, &QTcpServer::newConnection, this, [this] { d->onNewConnection(); });
    }
    if (!d->tcp->listen(address, d->config.port)) {
        d->error = QCoreApplication::translate("ts::SimServer", "Could not listen on %1 port %2: %3")
                       .arg(address.toString())
                       .arg(d->config.port)
                       .arg(d->tcp->errorString());
        return false;
    }
    recordArrivalTimes(*d->tcp);
    d->publishTimer.start();
    d->timeoutTimer.start(timeoutCheckIntervalMs(d->config));
    return true;
}

void SimServer::close()
{
    d->closeAll();
    d->publishTimer.stop();
    d->timeoutTimer.stop();
}

bool SimServer::isListening() const
{
    return d->tcp && d->tcp->isListening();
}

QString SimServer::errorString() const
{
    return d->error;
}

quint16 SimServer::port() const
{
    return isListening() ? d->tcp->serverPort() : 0;
}

QUrl SimServer::baseUrl() const
{
    if (!isListening())
        return {};
    QHostAddress address = d->tcp->serverAddress();
    if (address == QHostAddress::AnyIPv4 || address == QHostAddress::Any)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress(QHostAddress::LocalHostIPv6);
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(address.toString());
    url.setPort(port());
    return url;
}

const SimServerConfig &SimServer::config() const
{
    return d->config;
}

SimCounters SimServer::counters() const
{
    constexpr auto relaxed = std::memory_order_relaxed;
    const Stats &s = d->stats;
    SimCounters c;
    c.running = s.running.load(relaxed);
    c.waiting = s.waiting.load(relaxed);
    c.peakRunning = s.peakRunning.load(relaxed);
    c.connections = s.connections.load(relaxed);
    c.requestsServed = s.servedLength.load(relaxed) + s.servedStop.load(relaxed);
    c.requestsAborted = s.aborted.load(relaxed);
    c.requestsRejected = s.rejected.load(relaxed);
    c.requestsTimedOut = s.timedOut.load(relaxed);
    c.promptTokens = s.promptTokens.load(relaxed);
    c.generatedTokens = s.generatedTokens.load(relaxed);
    c.preemptions = s.preemptions.load(relaxed);
    c.kvCacheUsage = s.kvCacheUsage.load(relaxed);
    return c;
}

SimLateness SimServer::writeLateness() const
{
    return d->stats.lateness.snapshot();
}

void SimServer::resetPeaks()
{
    d->stats.peakRunning.store(d->stats.running.load(std::memory_order_relaxed), std::memory_order_relaxed);
    d->stats.lateness.reset();
    d->stats.touch();
}

} // namespace ts
