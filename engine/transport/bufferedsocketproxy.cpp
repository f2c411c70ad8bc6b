#include "transport/bufferedsocketproxy.h"

namespace ts {

QList<QNetworkProxy> BufferedSocketProxy::queryProxy(const QNetworkProxyQuery &query)
{
    const QList<QNetworkProxy> configured = QNetworkProxyFactory::proxyForQuery(query);
    if (configured.isEmpty() || configured.front().type() == QNetworkProxy::NoProxy)
        return { QNetworkProxy(QNetworkProxy::DefaultProxy) };
    return configured;
}

} // namespace ts
