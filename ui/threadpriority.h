#pragma once

namespace ts {

// Lowers the calling thread's scheduling priority (a higher nice value on Linux; threads it
// starts later inherit it). The benchmark's threads call this so that, when they keep every
// core busy, the GUI thread still gets a core as soon as it has work: the window stays
// responsive, and the requests' timestamps lose only the GUI's short bursts of work.
// Does nothing where the platform offers no per-thread priority.
void lowerCurrentThreadPriority();

} // namespace ts
