#include "eventloop/scalabledispatcher.h"
#include "sim/simconfig.h"
#include "sim/simserverthread.h"
#include "transport/bufferedsocketproxy.h"
#include "transport/httpthread.h"
#include "transport/managerpool.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>
#include <QThread>

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

QTEST_GUILESS_MAIN(TestManagerPool)
#include "tst_managerpool.moc"
