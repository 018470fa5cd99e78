// Opening the shim's ends of a process's stdio without ever blocking the event loop (reference
// §5.2). Every fd is close-on-exec: none may leak into a container or a logger.
#pragma once

#include <string>
#include <string_view>

#include "base/unique_fd.h"

namespace cradle::shim {

// The end of a FIFO the relay copies through, and the opposite end it holds only so that the
// client closing its side never ends the stream (absent for a non-FIFO file).
struct FifoEnds {
  UniqueFd fd;
  UniqueFd keep_alive;
};

// stdout/stderr with no scheme. A FIFO is opened O_RDONLY|O_NONBLOCK first (that never blocks)
// and that reader is kept, so writes never fail with EPIPE and a client can re-attach; then
// O_WRONLY|O_NONBLOCK, which succeeds because a reader exists. Any other existing file is
// opened for appending, as the runc shim does. `stream` ("stdout") names the stream in errors.
FifoEnds open_output_fifo(const std::string& path, std::string_view stream);

// stdin: a non-blocking reader, plus a writer so the client closing its writer gives no EOF;
// only dropping `keep_alive` (CloseIO) lets EOF through. The path must be a FIFO.
FifoEnds open_input_fifo(const std::string& path);

// file://: O_WRONLY|O_APPEND|O_CREAT, 0644, missing parent directories made 0755 (runc shim).
UniqueFd open_log_file(const std::string& path, std::string_view stream);

// /dev/null with `flags` (O_RDONLY, O_WRONLY): the stdio of a stream given as "".
UniqueFd open_dev_null(int flags);

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};
// A close-on-exec pipe, blocking at both ends: the process's end must stay blocking (programs
// do not expect EAGAIN on their stdio); the shim makes its own end non-blocking.
Pipe make_pipe();

// A close-on-exec copy of fd, numbered min_fd or above.
UniqueFd duplicate_fd(int fd, int min_fd = 0);

}  // namespace cradle::shim
