#pragma once

#include <QHash>
#include <QString>

#include <memory>
#include <vector>

class QNetworkAccessManager;
class QObject;

namespace ts {

// Hands out network managers so that no request ever waits inside one. Qt 6.4 lets a
// QNetworkAccessManager open at most six HTTP/1.1 connections per host and silently queues the
// rest, which would add that wait to the TTFT. The pool gives each manager at most six requests
// per origin at a time and makes a new manager when all are full, so the server sees every
// request the moment it is sent. Not thread-safe: one pool per thread.
class ManagerPool
{
public:
    static constexpr int kConnectionsPerHost = 6;

    explicit ManagerPool(QObject *parent);
    ~ManagerPool();

    QNetworkAccessManager *acquire(const QString &origin);
    void release(QNetworkAccessManager *manager, const QString &origin);

    int managerCount() const { return int(m_managers.size()); }

private:
    struct Slots
    {
        QNetworkAccessManager *manager;
        int inUse;
    };
    QObject *m_parent;
    std::vector<QNetworkAccessManager *> m_managers;
    QHash<QString, std::vector<Slots>> m_byOrigin;
};

} // namespace ts
