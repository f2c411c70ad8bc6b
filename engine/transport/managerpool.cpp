#include "transport/managerpool.h"

#include <QNetworkAccessManager>

namespace ts {

ManagerPool::ManagerPool(QObject *parent) : m_parent(parent) {}

ManagerPool::~ManagerPool() = default; // managers are children of m_parent

QNetworkAccessManager *ManagerPool::acquire(const QString &origin)
{
    std::vector<Slots> &slots = m_byOrigin[origin];
    for (Slots &s : slots) {
        if (s.inUse < kConnectionsPerHost) {
            ++s.inUse;
            return s.manager;
        }
    }
    // Every manager that knows this origin is full: reuse one that has not met it yet, else make one.
    QNetworkAccessManager *manager = nullptr;
    for (QNetworkAccessManager *m : m_managers) {
        const bool known = std::any_of(slots.begin(), slots.end(), [m](const Slots &s) { return s.manager == m; });
        if (!known) {
            manager = m;
            break;
        }
    }
    if (!manager) {
        manager = new QNetworkAccessManager(m_parent);
        // Streaming replies must not be cached or redirected behind our back.
        manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_managers.push_back(manager);
    }
    slots.push_back({ manager, 1 });
    return manager;
}

void ManagerPool::release(QNetworkAccessManager *manager, const QString &origin)
{
    auto it = m_byOrigin.find(origin);
    if (it == m_byOrigin.end())
        return;
    for (Slots &s : *it) {
        if (s.manager == manager) {
            --s.inUse;
            return;
        }
    }
}

} // namespace ts
