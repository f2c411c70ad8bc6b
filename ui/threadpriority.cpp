#include "threadpriority.h"

#include <QtGlobal>

#include <algorithm>
#include <cerrno>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ts {

void lowerCurrentThreadPriority()
{
#ifdef Q_OS_LINUX
    // On Linux the nice value belongs to the thread, so PRIO_PROCESS with a thread id changes
    // only this one. 10 gives a busy thread about a tenth of the weight of the GUI's.
    constexpr int niceIncrement = 10;
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        ::setpriority(PRIO_PROCESS, tid, std::min(current + niceIncrement, 19));
#endif
}

} // namespace ts
