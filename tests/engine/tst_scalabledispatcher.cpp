#include "eventloop/scalabledispatcher.h"

#include <QAbstractEventDispatcher>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

#ifdef Q_OS_LINUX
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace ts;

namespace {

#ifdef Q_OS_LINUX
// A connected pair of local stream sockets, closed on destruction.
struct SocketPair
{
    int fds[2] = { -1, -1 };
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0); }
    ~SocketPair()
    {
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    void send(const char *text) const { QVERIFY(::write(fds[1], text, qstrlen(text)) > 0); }
    void closePeer() { ::close(std::exchange(fds[1], -1)); }
};
#endif

// Runs an event loop in which nothing is due, while another thread does `act` to it after 50 ms;
// returns the loop's exit code, 1 if only the 20 s safety net ended it.
int execWhileAnotherThread(const std::function<void(QEventLoop &)> &act)
{
    QEventLoop loop;
    std::thread other([&loop, &act] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        act(loop);
    });
    QTimer safety;
    safety.setSingleShot(true);
    QObject::connect(&safety, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    safety.start(20000);
    const int code = loop.exec();
    other.join();
    return code;
}

} // namespace

// The test runs its own event loop on the dispatcher (see main below), so every Qt facility it
// uses (sockets, timers, queued calls, QTest's waits) goes through it.
class TestScalableDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tcpExchangeBothWays();
    void singleShotTimerWaitsItsTime();
    void timerStoppedInItsHandlerFiresNoMore();
    void zeroTimerFiresOnEveryPass();
    void remainingTime();
    void callFromAnotherThreadWakesTheLoop();
    void quitFromAnotherThread();
    void notifierDeletedWhileDueGetsNoEvent();
    void hangUpWakesTheReadNotifier();
    void regularFileIsReadyAtOnce();
    void givenToAThread();
    void timersMoveWithTheirObject();
};

void TestScalableDispatcher::initTestCase()
{
#ifndef Q_OS_LINUX
    QSKIP("The scalable dispatcher is for Linux; elsewhere Qt's own is used.");
#endif
    QVERIFY(hasScalableEventDispatcher(QThread::currentThread()));
}

void TestScalableDispatcher::tcpExchangeBothWays()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> accepted(server.nextPendingConnection());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);

    // More than the kernel's socket buffers hold, so writing waits on write notifications.
    const QByteArray up(4 * 1024 * 1024, 'u');
    const QByteArray down(4 * 1024 * 1024, 'd');
    client.write(up);
    accepted->write(down);
    QByteArray atServer, atClient;
    QObject::connect(accepted.get(), &QTcpSocket::readyRead, [&] { atServer += accepted->readAll(); });
    QObject::connect(&client, &QTcpSocket::readyRead, [&] { atClient += client.readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(atServer.size(), up.size(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(atClient.size(), down.size(), 20000);
    QCOMPARE(atServer, up);
    QCOMPARE(atClient, down);

    client.disconnectFromHost();
    QTRY_COMPARE(accepted->state(), QAbstractSocket::UnconnectedState);
}

void TestScalableDispatcher::singleShotTimerWaitsItsTime()
{
    QElapsedTimer clock;
    clock.start();
    qint64 firedAfter = -1;
    QTimer::singleShot(60, Qt::PreciseTimer, this, [&] { firedAfter = clock.elapsed(); });
    QTRY_VERIFY(firedAfter >= 0);
    QVERIFY2(firedAfter >= 60, qPrintable(QString::number(firedAfter)));
}

void TestScalableDispatcher::timerStoppedInItsHandlerFiresNoMore()
{
    QTimer timer;
    timer.setInterval(5);
    int ticks = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++ticks == 3)
            timer.stop();
    });
    timer.start();
    QTRY_COMPARE(ticks, 3);
    QTest::qWait(50);
    QCOMPARE(ticks, 3);
    QVERIFY(!timer.isActive());
}

void TestScalableDispatcher::zeroTimerFiresOnEveryPass()
{
    QTimer timer;
    timer.setInterval(0);
    int ticks = 0;
    connect(&timer, &QTimer::timeout, this, [&] { ++ticks; });
    timer.start();
    QTRY_VERIFY(ticks >= 100);
}

void TestScalableDispatcher::remainingTime()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.start(10000);
    const int remaining = timer.remainingTime();
    QVERIFY2(remaining > 0 && remaining <= 10000, qPrintable(QString::number(remaining)));
    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);
}

void TestScalableDispatcher::callFromAnotherThreadWakesTheLoop()
{
    const int code = execWhileAnotherThread([](QEventLoop &loop) {
        QMetaObject::invokeMethod(&loop, [&loop] { loop.exit(7); }, Qt::QueuedConnection);
    });
    QCOMPARE(code, 7);
}

void TestScalableDispatcher::quitFromAnotherThread()
{
    // Thread-safe: interrupts the dispatcher.
    QCOMPARE(execWhileAnotherThread([](QEventLoop &loop) { loop.quit(); }), 0);
}

void TestScalableDispatcher::notifierDeletedWhileDueGetsNoEvent()
{
#ifdef Q_OS_LINUX
    SocketPair a, b;
    a.send("x");
    b.send("y");
    auto first = std::make_unique<QSocketNotifier>(qintptr(a.fds[0]), QSocketNotifier::Read);
    auto second = std::make_unique<QSocketNotifier>(qintptr(b.fds[0]), QSocketNotifier::Read);
    int activations = 0;
    // Both are ready in the same pass; whichever comes first deletes the other.
    connect(first.get(), &QSocketNotifier::activated, this, [&] { ++activations; second.reset(); });
    connect(second.get(), &QSocketNotifier::activated, this, [&] { ++activations; first.reset(); });
    QCoreApplication::processEvents();
    QCOMPARE(activations, 1);
    QCOMPARE(int(!first) + int(!second), 1);
#endif
}

void TestScalableDispatcher::hangUpWakesTheReadNotifier()
{
#ifdef Q_OS_LINUX
    SocketPair pair;
    QSocketNotifier notifier(qintptr(pair.fds[0]), QSocketNotifier::Read);
    bool activated = false;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        activated = true;
        notifier.setEnabled(false);
    });
    QTest::qWait(20);
    QVERIFY(!activated);
    pair.closePeer();
    QTRY_VERIFY(activated);
#endif
}

// epoll refuses regular files, which poll() reports ready at once; so must the dispatcher.
void TestScalableDispatcher::regularFileIsReadyAtOnce()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QSocketNotifier notifier(qintptr(file.handle()), QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        if (++activations == 3)
            notifier.setEnabled(false);
    });
    QTRY_COMPARE(activations, 3);
    QTest::qWait(20);
    QCOMPARE(activations, 3);
}

void TestScalableDispatcher::givenToAThread()
{
    QThread thread;
    useScalableEventDispatcher(&thread);
    QVERIFY(hasScalableEventDispatcher(&thread));
    thread.start();
    auto *worker = new QObject;
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    std::atomic<bool> fired = false;
    QMetaObject::invokeMethod(worker, [&fired, worker] {
        QTimer::singleShot(10, worker, [&fired] { fired = true; });
    });
    QTRY_VERIFY(fired.load());
    thread.quit();
    QVERIFY(thread.wait(5000));
}

// Qt moves an object's running timers with it: it asks the old thread's dispatcher which
// timers the object has, takes them off there and starts them in the new thread.
void TestScalableDispatcher::timersMoveWithTheirObject()
{
    QThread thread;
    useScalableEventDispatcher(&thread);
    thread.start();

    auto *timer = new QTimer;
    timer->setInterval(5);
    std::atomic<int> ticks = 0;
    std::atomic<bool> inOtherThread = true;
    connect(timer, &QTimer::timeout, timer, [&] {
        ++ticks;
        if (QThread::currentThread() != &thread)
            inOtherThread = false;
    }, Qt::DirectConnection);
    QObject other;
    other.startTimer(60000);   // another object's timer stays where it is
    timer->start();
    const QList<QAbstractEventDispatcher::TimerInfo> before =
        QAbstractEventDispatcher::instance()->registeredTimers(timer);
    QCOMPARE(before.size(), 1);
    QCOMPARE(before.front().interval, 5);

    timer->moveToThread(&thread);
    QVERIFY(QAbstractEventDispatcher::instance()->registeredTimers(timer).isEmpty());
    QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(&other).size(), 1);
    QTRY_VERIFY(ticks.load() >= 3);
    QVERIFY(inOtherThread.load());

    QMetaObject::invokeMethod(timer, [timer] { delete timer; }, Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(5000));
}

int main(int argc, char *argv[])
{
    if (QAbstractEventDispatcher *dispatcher = createScalableEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    TestScalableDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_scalabledispatcher.moc"
