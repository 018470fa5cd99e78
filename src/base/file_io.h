// Small whole-file helpers over fds, for kernel interface files (cgroupfs, procfs) and configs.
#pragma once

#include <string>
#include <string_view>

#include "base/unique_fd.h"

namespace cradle {

// Writes all of data, retrying short writes and EINTR. false on an error (errno says which):
// for writers that must go on when their reader is gone.
bool write_fully(int fd, std::string_view data);
// The same, throwing "write <what>: <reason>" on an error.
void write_all(int fd, std::string_view data, const std::string& what);

// Adds O_NONBLOCK to the fd's status flags.
void set_nonblocking(int fd);

// Opens path relative to dir_fd (AT_FDCWD for plain paths) with O_CLOEXEC added; throws on error.
UniqueFd open_at(int dir_fd, const std::string& path, int flags, mode_t mode = 0);

std::string read_file(const std::string& path);
std::string read_file_at(int dir_fd, const std::string& path);

// One write(2) of the whole value: kernel interface files take a value in a single write.
void write_file_at(int dir_fd, const std::string& path, std::string_view value);
void write_file(const std::string& path, std::string_view value);

// Whether a file must survive a power loss. Runtime state (bundles, shim addresses, pids: what
// lives in the state dir, /run) describes processes that a reboot ends anyway, so it skips the
// fsync, which cost 3-7 ms a file on this machine's disk, several times per container start.
enum class Durability { kSurvivesPowerLoss, kUntilReboot };

// Writes to path.tmp then renames over path, so readers see the old or the new file, never half
// (also after a crash of the writer; after a power loss only with kSurvivesPowerLoss).
void write_file_atomic(const std::string& path, std::string_view value, mode_t mode = 0644,
                       Durability durability = Durability::kSurvivesPowerLoss);

}  // namespace cradle
