// Small whole-file helpers over fds, for kernel interface files (cgroupfs, procfs) and configs.
#pragma once

#include <string>
#include <string_view>

#include "base/unique_fd.h"

namespace cradle {

// Opens path relative to dir_fd (AT_FDCWD for plain paths) with O_CLOEXEC added; throws on error.
UniqueFd open_at(int dir_fd, const std::string& path, int flags, mode_t mode = 0);

std::string read_file(const std::string& path);
std::string read_file_at(int dir_fd, const std::string& path);

// One write(2) of the whole value: kernel interface files take a value in a single write.
void write_file_at(int dir_fd, const std::string& path, std::string_view value);
void write_file(const std::string& path, std::string_view value);

// Writes to path.tmp then renames over path, so readers see the old or the new file, never half.
void write_file_atomic(const std::string& path, std::string_view value, mode_t mode = 0644);

}  // namespace cradle
