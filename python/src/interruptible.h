// Long C++ work (rollouts, training) run from Python without holding the
// GIL, stopped cleanly by Ctrl-C.
#pragma once

#include <functional>

namespace mnemo::python {

// Runs `work` on a thread of its own while this thread, which holds the GIL
// on entry, waits without it, checking every 50 ms for Python signals
// (Ctrl-C) and calling `between` (may be empty) with the GIL. When a signal
// handler or `between` raises, calls `cancel` (which must make `work` end
// soon), waits for `work` and raises that Python exception. An exception of
// `work` is rethrown here.
void RunInterruptible(const std::function<void()>& work, const std::function<void()>& cancel,
                      const std::function<void()>& between = {});

}  // namespace mnemo::python
