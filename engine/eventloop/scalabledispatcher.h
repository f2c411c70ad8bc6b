#pragma once

class QAbstractEventDispatcher;
class QThread;

namespace ts {

// An event dispatcher whose wake-ups cost the same however many sockets its thread watches.
//
// Qt's own dispatcher on Unix hands the kernel the whole list of watched sockets on every
// wake-up (poll), and the kernel registers and unregisters itself with each of them every time
// the thread sleeps. A thread that reads a thousand streams wakes for nearly every token, so
// that scan was the largest part of the client's CPU time per token (docs/performance.md).
// This one keeps the list in the kernel (epoll on Linux) and is told only about changes.
//
// Returns a new dispatcher, or nullptr where there is none (not Linux, or epoll unavailable):
// Qt's own is then used.
QAbstractEventDispatcher *createScalableEventDispatcher();

// Gives a thread that has not started yet such a dispatcher, when there is one.
void useScalableEventDispatcher(QThread *thread);

// Whether the thread's dispatcher is one of ours (for tests and diagnostics).
bool hasScalableEventDispatcher(const QThread *thread);

} // namespace ts
