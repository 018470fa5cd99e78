// Directory helpers for the daemon's storage, every failure an Error naming the path.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace cradle {

// Makes path and its missing parents with mode (an existing directory is fine).
void make_dirs(const std::string& path, mode_t mode);

// Makes a new directory <parent>/<prefix>XXXXXX (mode 0700) and returns its path.
std::string make_temp_dir(const std::string& parent, std::string_view prefix);

// The names in a directory, without "." and "..".
std::vector<std::string> list_dir(const std::string& path);

// Removes path and everything below it, never following a symlink; a missing path is fine.
void remove_tree(const std::string& path);

// Removes a tree whose name others read as "complete" (a layer, a container's snapshot): it is
// first renamed to <parent>/<prefix>XXXXXX, so a crash half way leaves a temporary, never a
// damaged tree under the real name. A missing path is fine.
void remove_tree_atomically(const std::string& path, const std::string& parent,
                            std::string_view prefix);

}  // namespace cradle
