#include "namespaces/rootfs_symlinks.h"

#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <vector>

#include "base/error.h"

namespace cradle::ns {
namespace {

constexpr int kMaxSymlinks = 40;  // the kernel's own limit (MAXSYMLINKS)

std::deque<std::string> split_path(const std::string& path) {
  std::deque<std::string> parts;
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    if (end > pos) parts.emplace_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

std::string join_path(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts)
    out += "/" + p;
  return out.empty() ? "/" : out;
}

}  // namespace

std::optional<EscapingSymlink> find_escaping_symlink(const std::string& rootfs,
                                                     const std::string& path) {
  std::vector<std::string> resolved;
  std::deque<std::string> pending = split_path(path);
  std::optional<EscapingSymlink> last_link;
  int links = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (resolved.empty()) return last_link;  // only a symlink's target can climb above "/"
      resolved.pop_back();
      continue;
    }
    resolved.push_back(part);
    std::string host_path = rootfs + join_path(resolved);
    struct stat st;
    if (::lstat(host_path.c_str(), &st) != 0) {
      if (errno == ENOENT) return std::nullopt;
      throw_errno("inspect " + host_path);
    }
    if (!S_ISLNK(st.st_mode)) continue;
    if (++links > kMaxSymlinks) throw_errno(ELOOP, "resolve " + path + " in the rootfs");
    char target[4096];
    ssize_t n = ::readlink(host_path.c_str(), target, sizeof target - 1);
    if (n < 0) throw_errno("read the symlink " + host_path);
    target[n] = '\0';
    std::string link_path = join_path(resolved);
    last_link = EscapingSymlink{link_path, target};
    resolved.pop_back();
    if (target[0] == '/') resolved.clear();
    std::deque<std::string> expanded = split_path(target);
    pending.insert(pending.begin(), expanded.begin(), expanded.end());
  }
  return std::nullopt;
}

}  // namespace cradle::ns
