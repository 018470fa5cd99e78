// The pty of a container process, allocated by the child inside the container's own devpts.
#pragma once

#include "namespaces/child_handoff.h"
#include "namespaces/start_plan.h"

namespace cradle::ns {

// Opens a pty from /dev/pts/ptmx, sizes it, makes its slave the controlling terminal and stdio
// of the calling process (which must lead its session), bind-mounts the slave on /dev/console
// when asked (the init does, exec'd processes do not), and returns the master for the parent.
int open_terminal(const ProcessPlan& process, const ChildHandoff& handoff, bool bind_console);

}  // namespace cradle::ns
