#pragma once

#include <QHash>
#include <QString>

#include <vector>

class QNetworkAccessManager;
class QNetworkRequest;
class QObject;

namespace ts {

// Which network manager a request goes through, and which connection group inside it.
struct ManagerLease
{
    QNetworkAccessManager *manager = nullptr;
    int member = -1;   // index of the manager in its pool
    int group = 0;     // connection group; 0 = Qt's default one
    // The manager does its HTTP work in the pool's thread: each reply needs
    // makeBlockingCallsDirect() (httpthread.h) once Qt has set it up.
    bool inCallingThread = false;
};

// Hands out network managers so that no request ever waits inside one, with a small, fixed
// number of managers however many requests are in flight.
//
// Qt 6.4 lets a QNetworkAccessManager open at most six HTTP/1.1 connections per connection
// key and silently queues the rest, which would add that wait to the TTFT. The key is made of
// scheme, host, port, proxy and the request's peer verify name, so on plain http requests
// that carry different peer verify names (a name used by TLS only) go to different groups of
// six connections inside the same manager. The pool gives each group at most six requests,
// opens a new group when all are full, and spreads the requests over `managerCount`
// managers. Over https the name is also the TLS server name, so there each manager has one
// group only and the pool makes as many managers as the load needs.
//
// With HttpWork::CallingThread, plain-http requests all go through one manager that does its
// HTTP work in the pool's own thread (useCallingThreadForHttp in httpthread.h), where that is
// possible: no thread switch per block of a reply. The other requests, and all of them where
// it is not possible, use managers with threads of their own.
// Not thread-safe: one pool per thread.
class ManagerPool
{
public:
    static constexpr int kConnectionsPerHost = 6;

    enum class HttpWork { OwnThreads, CallingThread };

    ManagerPool(QObject *parent, int managerCount, HttpWork plainHttp = HttpWork::OwnThreads);
    ~ManagerPool();

    ManagerPool(const ManagerPool &) = delete;
    ManagerPool &operator=(const ManagerPool &) = delete;

    // groupsAllowed: the request may be put in a group other than 0 (plain http only).
    ManagerLease acquire(const QString &origin, bool groupsAllowed);
    void release(const ManagerLease &lease, const QString &origin);

    // Puts the request in the lease's connection group.
    static void applyGroup(QNetworkRequest &request, const ManagerLease &lease);
    static QString groupName(int group);

    int managerCount() const { return int(m_members.size()); }
    // Connection groups opened so far for origin, over all managers.
    int groupCount(const QString &origin) const;
    int inUse(const QString &origin) const;

private:
    struct Member
    {
        QNetworkAccessManager *manager = nullptr;
        bool inCallingThread = false;
        int load = 0;                                   // requests in flight, every origin
        QHash<QString, std::vector<int>> groupsByOrigin; // requests in flight per group
    };

    int addMember(bool inCallingThread);

    QObject *m_parent;
    int m_targetManagers;
    bool m_plainHttpInCallingThread;
    int m_callingThreadMember = -1;
    std::vector<Member> m_members;
};

} // namespace ts
