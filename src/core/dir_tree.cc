#include "core/dir_tree.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/error.h"

namespace cradle {

void make_dirs(const std::string& path, mode_t mode) {
  std::size_t slash = 0;
  while (slash != std::string::npos) {
    slash = path.find('/', slash + 1);
    std::string prefix = path.substr(0, slash);
    if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) throw_errno("create " + prefix);
  }
}

std::string make_temp_dir(const std::string& parent, std::string_view prefix) {
  std::string path = parent + "/" + std::string(prefix) + "XXXXXX";
  if (::mkdtemp(path.data()) == nullptr) throw_errno("create a directory in " + parent);
  return path;
}

std::vector<std::string> list_dir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) throw_errno("open " + path);
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    dirent* entry = ::readdir(dir);
    if (entry == nullptr) break;
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) throw_errno(err, "read " + path);
  return names;
}

void remove_tree(const std::string& path) {
  std::error_code error;
  std::filesystem::remove_all(path, error);
  if (error) throw_errno(error.value(), "remove " + path);
}

void remove_tree_atomically(const std::string& path, const std::string& parent,
                            std::string_view prefix) {
  std::string doomed = make_temp_dir(parent, prefix);
  // rename(2) onto an empty directory replaces it: the tree takes the temporary's name.
  if (::rename(path.c_str(), doomed.c_str()) != 0) {
    int err = errno;
    ::rmdir(doomed.c_str());
    if (err == ENOENT) return;
    throw_errno(err, "rename " + path + " to " + doomed);
  }
  remove_tree(doomed);
}

}  // namespace cradle
