#include "eventloop/scalabledispatcher.h"
#include "httprequest.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "transport/bufferedsocketproxy.h"
#include "transport/httpthread.h"
#include "transport/managerpool.h"

#include <QAuthenticator>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

using namespace ts;

namespace {
const QString kOrigin = QStringLiteral("http://127.0.0.1:80");

// Starts a fixed-latency simulated server on a free port; its completions URL, or an invalid one.
QUrl startFixedServer(SimServerThread &server, int ttftMs, int itlMs)
{
    SimServerConfig config = *simPresetConfig(QStringLiteral("fixed"));
    config.port = 0;
    config.ttftMs = ttftMs;
    config.itlMs = itlMs;
    if (!server.start(config).ok())
        return {};
    QUrl url = server.baseUrl();
    url.setPath(QStringLiteral("/v1/completions"));
    return url;
}

// A JSON request to url, and the body of a streamed completion of maxTokens for it.
QNetworkRequest jsonRequest(const QUrl &url)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    return request;
}

QByteArray streamBody(int maxTokens)
{
    return R"({"model":"tokenstorm-sim","prompt":"hi","max_tokens":)" + QByteArray::number(maxTokens)
        + R"(,"stream":true})";
}

// The manager a test row asks for: one from a pool, or a plain QNetworkAccessManager (Qt's
// defaults: the row that shows the test can fail).
struct ManagerUnderTest
{
    explicit ManagerUnderTest(bool fromPool)
        : manager(fromPool ? pool.acquire(kOrigin, false).manager : &plain)
    {
    }

    QObject parent;
    ManagerPool pool { &parent, 1 };
    QNetworkAccessManager plain;
    QNetworkAccessManager *manager;
};

void addManagerRows()
{
    QTest::addColumn<bool>("fromPool");
    QTest::addRow("manager from the pool") << true;
    QTest::addRow("plain manager") << false;
}

// An HTTP/1.1 server in the test's own thread that answers each request it reads with what
// `answer` returns for it: the raw bytes to write (the connection stays open), or nothing, to
// close the connection without answering.
class ScriptedServer
{
public:
    using Answer = std::function<QByteArray(int index, const QByteArray &request)>;

    explicit ScriptedServer(Answer answer) : m_answer(std::move(answer))
    {
        m_server.listen(QHostAddress::LocalHost);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { read(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/v1/completions").arg(m_server.serverPort()));
    }

    QList<QByteArray> requests;   // head and body of each one read
    int connections = 0;

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        while (const std::optional<test::HttpRequestBytes> request = test::takeRequest(buffer)) {
            requests.append(request->head + request->body);
            const QByteArray reply = m_answer(int(requests.size()) - 1, requests.back());
            if (reply.isEmpty()) {
                m_buffers.remove(socket);
                socket->abort();
                return;
            }
            socket->write(reply);
        }
    }

    Answer m_answer;
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QByteArray okReply(const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
}

// A plain-http request through a pool whose manager works in this thread where it can, set up
// as the transport worker does it. The number of Qt's waiting calls made direct goes to
// `changed`, or -1 where the manager has a thread of its own.
QNetworkReply *postInThisThread(ManagerPool &pool, const QUrl &url, const QByteArray &body, int *changed)
{
    const ManagerLease lease = pool.acquire(url.toString(QUrl::RemovePath), true);
    QNetworkReply *reply = lease.manager->post(jsonRequest(url), body);
    QCoreApplication::sendPostedEvents(reply, QEvent::MetaCall);
    *changed = lease.inCallingThread ? makeBlockingCallsDirect(reply) : -1;
    return reply;
}

// Qt's calls from its HTTP side that wait for the reply's thread: two for authentication
// (server, proxy), three for TLS (encrypted, SSL errors, pre-shared key) and one to rewind
// the request body.
constexpr int kWaitingCalls = QT_CONFIG(ssl) ? 6 : 3;

// read()-like system calls this process has made so far (every thread), or -1.
qint64 readCalls()
{
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("syscr:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

// The bytes of a reply's status line and header block as they came over the wire.
qint64 headerBlockBytes(const QNetworkReply &reply)
{
    qint64 bytes = qstrlen("HTTP/1.1 200 OK\r\n\r\n");
    for (const auto &[name, value] : reply.rawHeaderPairs())
        bytes += name.size() + 2 + value.size() + 2;
    return bytes;
}
} // namespace

class TestManagerPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void groupsFillInOrder_data();
    void groupsFillInOrder();
    void releasedSlotIsReused();
    void withoutGroupsEachManagerTakesSix();
    void managersShareTheLoad();
    void oneManagerHoldsManyGroupsAtTheServer_data();
    void oneManagerHoldsManyGroupsAtTheServer();
    void directConnectionsTakeTheBufferedPath();
    void configuredProxyIsKept();
    void headerBlockIsNotReadByteByByte_data();
    void headerBlockIsNotReadByteByByte();
    void httpThreadHasTheScalableDispatcher_data();
    void httpThreadHasTheScalableDispatcher();
    void plainHttpGoesThroughOneManagerInTheCallingThread();
    void streamIsReadInTheCallingThread();
    void authenticationChallengeIsAnsweredInTheSameThread();
    void requestBodyIsRewoundForASecondConnection();
};

void TestManagerPool::groupsFillInOrder_data()
{
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("groups");
    QTest::addRow("1") << 1 << 1;
    QTest::addRow("6") << 6 << 1;
    QTest::addRow("7") << 7 << 2;
    QTest::addRow("20") << 20 << 4;
    QTest::addRow("1000") << 1000 << 167;
}

void TestManagerPool::groupsFillInOrder()
{
    QFETCH(int, requests);
    QFETCH(int, groups);
    QObject parent;
    ManagerPool pool(&parent, 1);
    std::vector<int> perGroup;
    for (int i = 0; i < requests; ++i) {
        const ManagerLease lease = pool.acquire(kOrigin, true);
        QVERIFY(lease.manager);
        QCOMPARE(lease.member, 0);
        if (lease.group >= int(perGroup.size()))
            perGroup.resize(lease.group + 1);
        ++perGroup[lease.group];
    }
    QCOMPARE(pool.managerCount(), 1);
    QCOMPARE(pool.groupCount(kOrigin), groups);
    QCOMPARE(int(perGroup.size()), groups);
    for (int n : perGroup)
        QVERIFY(n >= 1 && n <= ManagerPool::kConnectionsPerHost);
    QCOMPARE(pool.inUse(kOrigin), requests);
}

void TestManagerPool::releasedSlotIsReused()
{
    QObject parent;
    ManagerPool pool(&parent, 1);
    std::vector<ManagerLease> leases;
    for (int i = 0; i < 18; ++i)
        leases.push_back(pool.acquire(kOrigin, true));
    const ManagerLease freed = leases[8];   // in group 1
    QCOMPARE(freed.group, 1);
    pool.release(freed, kOrigin);
    QCOMPARE(pool.inUse(kOrigin), 17);
    const ManagerLease again = pool.acquire(kOrigin, true);
    QCOMPARE(again.group, 1);
    QCOMPARE(pool.groupCount(kOrigin), 3);
    // A release the pool does not know about changes nothing.
    pool.release(ManagerLease {}, kOrigin);
    pool.release(freed, QStringLiteral("http://elsewhere:80"));
    QCOMPARE(pool.inUse(kOrigin), 18);
}

void TestManagerPool::withoutGroupsEachManagerTakesSix()
{
    QObject parent;
    ManagerPool pool(&parent, 1);
    for (int i = 0; i < 13; ++i) {
        const ManagerLease lease = pool.acquire(kOrigin, false);
        QCOMPARE(lease.group, 0);
    }
    QCOMPARE(pool.managerCount(), 3);
    QCOMPARE(pool.inUse(kOrigin), 13);
}

void TestManagerPool::managersShareTheLoad()
{
    QObject parent;
    ManagerPool pool(&parent, 4);
    std::vector<int> perMember(4, 0);
    for (int i = 0; i < 100; ++i)
        ++perMember[pool.acquire(kOrigin, true).member];
    QCOMPARE(pool.managerCount(), 4);
    for (int n : perMember)
        QCOMPARE(n, 25);
}

void TestManagerPool::oneManagerHoldsManyGroupsAtTheServer_data()
{
    QTest::addColumn<bool>("groups");
    QTest::addColumn<int>("expectedRunning");
    QTest::addRow("with groups") << true << 30;
    QTest::addRow("without groups") << false << ManagerPool::kConnectionsPerHost;
}

// The whole point of the groups: through one manager, 30 streams are 30 requests at the server.
// Without them Qt keeps all but six waiting inside the manager; that case shows the test can fail.
void TestManagerPool::oneManagerHoldsManyGroupsAtTheServer()
{
    QFETCH(bool, groups);
    QFETCH(int, expectedRunning);
    SimServerThread server;
    const QUrl url = startFixedServer(server, 1500, 10);
    QVERIFY(url.isValid());

    QNetworkAccessManager manager;
    std::vector<std::unique_ptr<QNetworkReply>> replies;
    for (int i = 0; i < 30; ++i) {
        QNetworkRequest request = jsonRequest(url);
        if (groups)
            request.setPeerVerifyName(ManagerPool::groupName(i / ManagerPool::kConnectionsPerHost));
        replies.emplace_back(manager.post(request, streamBody(2)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.counters().running, expectedRunning, 5000);
    QTest::qWait(200);   // nothing more arrives later
    QCOMPARE(server.counters().running, expectedRunning);
    for (auto &reply : replies)
        reply->abort();
}

void TestManagerPool::directConnectionsTakeTheBufferedPath()
{
    BufferedSocketProxy factory;
    const QList<QNetworkProxy> proxies =
        factory.queryProxy(QNetworkProxyQuery(QUrl(QStringLiteral("http://127.0.0.1:8000/v1/completions"))));
    QCOMPARE(proxies.size(), 1);
    // Not NoProxy, so Qt buffers the socket; a tunnel, so Qt sends the request to the server
    // itself in origin form; and DefaultProxy, so the socket connects directly.
    QCOMPARE(proxies.front().type(), QNetworkProxy::DefaultProxy);
    QVERIFY(proxies.front().isTransparentProxy());
}

void TestManagerPool::configuredProxyIsKept()
{
    const QNetworkProxy configured(QNetworkProxy::HttpProxy, QStringLiteral("proxy.example"), 3128);
    QNetworkProxy::setApplicationProxy(configured);
    BufferedSocketProxy factory;
    const QList<QNetworkProxy> proxies =
        factory.queryProxy(QNetworkProxyQuery(QUrl(QStringLiteral("http://gpu-host:8000/v1/completions"))));
    QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::DefaultProxy));
    QCOMPARE(proxies.size(), 1);
    QCOMPARE(proxies.front(), configured);
}

void TestManagerPool::headerBlockIsNotReadByteByByte_data()
{
    addManagerRows();
}

// Counts the process's read calls while streamed replies come in. Unbuffered, Qt 6.4 reads a
// reply's header block a byte per call, so there are more calls than header bytes; buffered,
// a streamed reply of a few tokens takes a few dozen calls, however long its headers.
void TestManagerPool::headerBlockIsNotReadByteByByte()
{
    QFETCH(bool, fromPool);
    if (readCalls() < 0)
        QSKIP("/proc/self/io is not readable here");
    SimServerThread server;
    const QUrl url = startFixedServer(server, 20, 2);
    QVERIFY(url.isValid());

    ManagerUnderTest tested(fromPool);
    const QNetworkRequest request = jsonRequest(url);

    constexpr int kReplies = 6;   // one connection each
    const qint64 before = readCalls();
    std::vector<std::unique_ptr<QNetworkReply>> replies;
    for (int i = 0; i < kReplies; ++i)
        replies.emplace_back(tested.manager->post(request, streamBody(4)));
    qint64 headerBytes = 0;
    for (auto &reply : replies) {
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY(reply->readAll().contains("[DONE]"));
        headerBytes += headerBlockBytes(*reply);
    }
    const qint64 calls = readCalls() - before;
    qInfo("%lld read calls for %lld header bytes", calls, headerBytes);
    if (fromPool)
        QVERIFY2(calls < headerBytes / 2, qPrintable(QStringLiteral("%1 read calls").arg(calls)));
    else
        QVERIFY2(calls > headerBytes, qPrintable(QStringLiteral("%1 read calls").arg(calls)));
}

void TestManagerPool::httpThreadHasTheScalableDispatcher_data()
{
    addManagerRows();
}

// A pool's manager reads its connections in a thread with the engine's dispatcher, and the
// replies come through it whole.
void TestManagerPool::httpThreadHasTheScalableDispatcher()
{
#ifndef TOKENSTORM_HAVE_QTNETWORK_PRIVATE
    QSKIP("Built without Qt Network's private header: the managers make their own threads.");
#else
    QFETCH(bool, fromPool);
    SimServerThread server;
    const QUrl url = startFixedServer(server, 10, 2);
    QVERIFY(url.isValid());

    ManagerUnderTest tested(fromPool);
    std::unique_ptr<QNetworkReply> reply(tested.manager->post(jsonRequest(url), streamBody(8)));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->readAll().count("data: {"), 8);

    const QThread *thread = httpThreadOf(tested.manager);
    QVERIFY(thread);
    QVERIFY(thread->isRunning());
    QCOMPARE(hasScalableEventDispatcher(thread), fromPool);
#endif
}

void TestManagerPool::plainHttpGoesThroughOneManagerInTheCallingThread()
{
    QObject parent;
    ManagerPool pool(&parent, 2, ManagerPool::HttpWork::CallingThread);
    const ManagerLease first = pool.acquire(kOrigin, true);
#ifndef TOKENSTORM_HAVE_QTNETWORK_PRIVATE
    QVERIFY(!first.inCallingThread);
    QSKIP("Built without Qt Network's private header: every manager has its own thread.");
#else
    QVERIFY(first.inCallingThread);
    QCOMPARE(httpThreadOf(first.manager), QThread::currentThread());
    for (int i = 1; i < 100; ++i) {
        const ManagerLease lease = pool.acquire(kOrigin, true);
        QCOMPARE(lease.member, first.member);
        QVERIFY(lease.inCallingThread);
    }
    QCOMPARE(pool.groupCount(kOrigin), 17);   // groups of six, as before
    // https (no groups) goes through managers with threads of their own.
    const QString https = QStringLiteral("https://127.0.0.1:443");
    const ManagerLease secure = pool.acquire(https, false);
    QVERIFY(!secure.inCallingThread);
    QVERIFY(secure.member != first.member);
    QVERIFY(httpThreadOf(secure.manager) != QThread::currentThread());
    QCOMPARE(pool.managerCount(), 2);
#endif
}

// The request and its stream are read in this thread, and come through whole.
void TestManagerPool::streamIsReadInTheCallingThread()
{
#ifndef TOKENSTORM_HAVE_QTNETWORK_PRIVATE
    QSKIP("Built without Qt Network's private header: every manager has its own thread.");
#else
    SimServerThread server;
    const QUrl url = startFixedServer(server, 10, 2);
    QVERIFY(url.isValid());
    QObject parent;
    ManagerPool pool(&parent, 1, ManagerPool::HttpWork::CallingThread);
    int changed = 0;
    std::unique_ptr<QNetworkReply> reply(postInThisThread(pool, url, streamBody(8), &changed));
    QCOMPARE(changed, kWaitingCalls);
    QCOMPARE(httpThreadOf(reply->manager()), QThread::currentThread());
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->readAll().count("data: {"), 8);
#endif
}

// A 401 with a Basic challenge: Qt asks the manager for credentials and waits for the answer.
// In one thread that wait would never end; made direct, the handler runs and Qt sends the
// request again with them.
void TestManagerPool::authenticationChallengeIsAnsweredInTheSameThread()
{
    ScriptedServer server([](int index, const QByteArray &request) -> QByteArray {
        if (index == 0)
            return "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"ts\"\r\nContent-Length: 0\r\n\r\n";
        return request.toLower().contains("authorization: basic dxnlcjpwyxnz") ? okReply("welcome") : QByteArray();
    });
    QObject parent;
    ManagerPool pool(&parent, 1, ManagerPool::HttpWork::CallingThread);
    int asked = 0;
    int changed = 0;
    std::unique_ptr<QNetworkReply> reply(postInThisThread(pool, server.url(), "{}", &changed));
    QObject::connect(reply->manager(), &QNetworkAccessManager::authenticationRequired, &parent,
                     [&](QNetworkReply *, QAuthenticator *authenticator) {
                         ++asked;
                         QCOMPARE(QThread::currentThread(), parent.thread());
                         authenticator->setUser(QStringLiteral("user"));
                         authenticator->setPassword(QStringLiteral("pass"));
                     });
    if (changed >= 0)
        QCOMPARE(changed, kWaitingCalls);
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->readAll(), QByteArrayLiteral("welcome"));
    QCOMPARE(asked, 1);
    QCOMPARE(server.requests.size(), 2);
}

// The server closes a kept-alive connection as the next request arrives on it, without an
// answer. Qt then sends the request again on a new connection, and first asks the reply's
// thread to rewind the request body, waiting for the answer.
void TestManagerPool::requestBodyIsRewoundForASecondConnection()
{
    ScriptedServer server([](int index, const QByteArray &) -> QByteArray {
        return index == 1 ? QByteArray() : okReply(index == 0 ? "first" : "second");
    });
    QObject parent;
    ManagerPool pool(&parent, 1, ManagerPool::HttpWork::CallingThread);
    int changed = 0;
    std::unique_ptr<QNetworkReply> first(postInThisThread(pool, server.url(), R"({"n":1})", &changed));
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), 5000);
    QCOMPARE(first->readAll(), QByteArrayLiteral("first"));

    const QByteArray body = R"({"prompt":"the second request, sent twice"})";
    std::unique_ptr<QNetworkReply> second(postInThisThread(pool, server.url(), body, &changed));
    if (changed >= 0)
        QCOMPARE(changed, kWaitingCalls);
    QTRY_VERIFY_WITH_TIMEOUT(second->isFinished(), 5000);
    QCOMPARE(second->error(), QNetworkReply::NoError);
    QCOMPARE(second->readAll(), QByteArrayLiteral("second"));
    QCOMPARE(server.requests.size(), 3);
    QCOMPARE(server.connections, 2);
    QVERIFY(server.requests[1].endsWith(body));
    QVERIFY(server.requests[2].endsWith(body));
}

QTEST_GUILESS_MAIN(TestManagerPool)
#include "tst_managerpool.moc"
