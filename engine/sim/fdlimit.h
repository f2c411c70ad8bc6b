#pragma once

#include <QString>

namespace ts {

struct FdLimitResult
{
    long long before = -1;  // soft limit found
    long long after = -1;   // soft limit now (the hard maximum when raising worked)
    QString error;          // translated; empty on success
};

// Raises the soft RLIMIT_NOFILE to the hard maximum, so thousands of concurrent streams do not
// run out of sockets. Call once at startup (server and client alike). No-op off POSIX.
FdLimitResult raiseFileDescriptorLimit();

} // namespace ts
