// The parent's end of the handoff protocol (handoff.h): the socketpair and its messages.
#pragma once

#include <utility>

#include "base/unique_fd.h"
#include "namespaces/handoff.h"

namespace cradle::ns {

// {parent end, child end}, both close-on-exec.
std::pair<UniqueFd, UniqueFd> make_handoff_channel();

void send_handoff(int fd, HandoffType type);

// Receives one message, and the fd passed with it if `passed` is given. False on EOF (the child
// exec'd or exited).
bool receive_handoff(int fd, HandoffMessage& msg, UniqueFd* passed);

}  // namespace cradle::ns
