#include "transport/managerpool.h"

#include "transport/bufferedsocketproxy.h"
#include "transport/httpthread.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>

#include <algorithm>

namespace ts {

ManagerPool::ManagerPool(QObject *parent, int managerCount, HttpWork plainHttp)
    : m_parent(parent)
    , m_targetManagers(std::max(1, managerCount))
    , m_plainHttpInCallingThread(plainHttp == HttpWork::CallingThread)
{
}

ManagerPool::~ManagerPool()
{
    // The managers are children of m_parent, deleted after this.
    for (const Member &member : m_members) {
        if (member.inCallingThread)
            releaseHttpThread(member.manager);
    }
}

int ManagerPool::addMember(bool inCallingThread)
{
    auto *manager = new QNetworkAccessManager(m_parent);
    // Streaming replies must not be cached or redirected behind our back.
    manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    manager->setProxyFactory(new BufferedSocketProxy);   // the manager owns it
    inCallingThread = inCallingThread && useCallingThreadForHttp(manager);
    if (!inCallingThread)
        giveHttpThread(manager);
    m_members.push_back({ manager, inCallingThread, 0, {} });
    return int(m_members.size()) - 1;
}

ManagerLease ManagerPool::acquire(const QString &origin, bool groupsAllowed)
{
    if (groupsAllowed && m_plainHttpInCallingThread && m_callingThreadMember < 0) {
        const int added = addMember(true);
        if (m_members[added].inCallingThread)
            m_callingThreadMember = added;
        else
            m_plainHttpInCallingThread = false;   // not possible here: the added one has its own thread
    }
    int chosen = -1;
    if (groupsAllowed && m_callingThreadMember >= 0) {
        chosen = m_callingThreadMember;
    } else if (groupsAllowed) {
        // The least loaded manager; a new one while there are fewer than wanted and all are busy.
        int ownThreads = 0;
        for (int i = 0; i < int(m_members.size()); ++i) {
            if (m_members[i].inCallingThread)
                continue;
            ++ownThreads;
            if (chosen < 0 || m_members[i].load < m_members[chosen].load)
                chosen = i;
        }
        if (chosen < 0 || (m_members[chosen].load > 0 && ownThreads < m_targetManagers))
            chosen = addMember(false);
    } else {
        // Group 0 only: the least loaded manager with a free connection there, else a new one.
        for (int i = 0; i < int(m_members.size()); ++i) {
            if (m_members[i].inCallingThread)
                continue;
            const auto it = m_members[i].groupsByOrigin.constFind(origin);
            const int used = it == m_members[i].groupsByOrigin.cend() || it->empty() ? 0 : it->front();
            if (used < kConnectionsPerHost && (chosen < 0 || m_members[i].load < m_members[chosen].load))
                chosen = i;
        }
        if (chosen < 0)
            chosen = addMember(false);
    }

    Member &member = m_members[chosen];
    std::vector<int> &groups = member.groupsByOrigin[origin];
    int group = 0;
    while (group < int(groups.size()) && groups[group] >= kConnectionsPerHost)
        ++group;
    if (group == int(groups.size()))
        groups.push_back(0);
    Q_ASSERT(groupsAllowed || group == 0);
    ++groups[group];
    ++member.load;
    return { member.manager, chosen, group, member.inCallingThread };
}

void ManagerPool::release(const ManagerLease &lease, const QString &origin)
{
    if (lease.member < 0 || lease.member >= int(m_members.size()))
        return;
    Member &member = m_members[lease.member];
    const auto it = member.groupsByOrigin.find(origin);
    if (it == member.groupsByOrigin.end() || lease.group >= int(it->size()) || (*it)[lease.group] == 0)
        return;
    --(*it)[lease.group];
    --member.load;
}

QString ManagerPool::groupName(int group)
{
    return group == 0 ? QString() : QStringLiteral("tokenstorm-connection-group-%1").arg(group);
}

void ManagerPool::applyGroup(QNetworkRequest &request, const ManagerLease &lease)
{
    if (lease.group != 0)
        request.setPeerVerifyName(groupName(lease.group));
}

int ManagerPool::groupCount(const QString &origin) const
{
    int n = 0;
    for (const Member &member : m_members) {
        const auto it = member.groupsByOrigin.constFind(origin);
        if (it != member.groupsByOrigin.cend())
            n += int(it->size());
    }
    return n;
}

int ManagerPool::inUse(const QString &origin) const
{
    int n = 0;
    for (const Member &member : m_members) {
        const auto it = member.groupsByOrigin.constFind(origin);
        if (it != member.groupsByOrigin.cend()) {
            for (int used : *it)
                n += used;
        }
    }
    return n;
}

} // namespace ts
