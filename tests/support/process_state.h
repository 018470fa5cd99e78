// A process's scheduler state, as /proc/PID/status names it, for tests that check what freezing
// and killing did.
#pragma once

#include <sys/types.h>

namespace cradle::testing {

// The first letter of the "State:" line of /proc/PID/status (R, S, D, Z, ...), or '-' if the
// process is gone.
char process_state(pid_t pid);

}  // namespace cradle::testing
