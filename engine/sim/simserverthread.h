#pragma once

#include "sim/simserver.h"

#include <QObject>
#include <QString>

#include <memory>

namespace ts {

struct SimStartResult
{
    quint16 port = 0;
    QString error;                     // translated; empty on success
    bool ok() const { return error.isEmpty(); }
};

class SimServerThreadPrivate;

// Owns a QThread and a SimServer living in it, so a GUI can run the server without its event
// loop touching the server's timing. All methods are called from the owner's thread.
class SimServerThread : public QObject
{
    Q_OBJECT
public:
    explicit SimServerThread(QObject *parent = nullptr);
    ~SimServerThread() override;       // stops the server

    // Starts the thread and the server; returns once it listens (or failed to).
    // A running server is stopped first.
    SimStartResult start(const SimServerConfig &config);
    void stop();                       // returns when the thread has ended
    bool isRunning() const;

    quint16 port() const;              // 0 when not running
    QUrl baseUrl() const;
    SimCounters counters() const;
    SimLateness writeLateness() const;
    void resetPeaks();

Q_SIGNALS:
    // Forwarded (queued) from the server thread.
    void countersChanged(const ts::SimCounters &counters);

private:
    std::unique_ptr<SimServerThreadPrivate> d;
};

} // namespace ts
