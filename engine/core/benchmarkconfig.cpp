#include "core/benchmarkconfig.h"

namespace ts {

QUrl TargetConfig::url() const
{
    QUrl u = baseUrl;
    QString path = u.path();
    if (path.endsWith(u'/'))
        path.chop(1);
    QString ep = endpoint;
    if (!ep.isEmpty() && !ep.startsWith(u'/'))
        ep.prepend(u'/');
    u.setPath(path + ep);
    return u;
}

} // namespace ts
