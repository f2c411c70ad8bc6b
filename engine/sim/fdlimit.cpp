#include "sim/fdlimit.h"

#include <QCoreApplication>
#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#include <cerrno>
#include <cstring>
#endif

namespace ts {

FdLimitResult raiseFileDescriptorLimit()
{
    FdLimitResult result;
#ifdef Q_OS_UNIX
    rlimit lim {};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) {
        result.error = QCoreApplication::translate("ts::FdLimit", "Could not read the open file limit: %1")
                           .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return result;
    }
    result.before = lim.rlim_cur == RLIM_INFINITY ? -1 : static_cast<long long>(lim.rlim_cur);
    result.after = result.before;
    if (lim.rlim_cur == lim.rlim_max)
        return result;
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
        result.error = QCoreApplication::translate("ts::FdLimit", "Could not raise the open file limit: %1")
                           .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return result;
    }
    result.after = raised.rlim_cur == RLIM_INFINITY ? -1 : static_cast<long long>(raised.rlim_cur);
#endif
    return result;
}

} // namespace ts
