#include "core/user_lookup.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

#include "base/error.h"
#include "base/unique_fd.h"
#include "core/json_field.h"
#include "namespaces/raw_syscalls.h"

namespace cradle {

namespace {

// moby's range for ids given as numbers: what fits a signed 32-bit id.
constexpr std::uint32_t kMaxId = 0x7fffffff;
// /etc/passwd of a real image is a few KiB; anything near this is not one.
constexpr std::size_t kMaxFileSize = 16 << 20;

struct PasswdEntry {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
};

struct GroupEntry {
  std::string name;
  gid_t gid = 0;
  std::vector<std::string> members;
};

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    auto end = s.find(separator);
    parts.push_back(s.substr(0, end));
    if (end == std::string_view::npos) return parts;
    s.remove_prefix(end + 1);
  }
}

std::optional<std::uint32_t> parse_id(std::string_view text) {
  std::uint32_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return id;
}

bool is_number(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

// The colon-separated records of a passwd or group file; blank and comment lines are skipped.
std::vector<std::vector<std::string_view>> records(std::string_view text) {
  std::vector<std::vector<std::string_view>> out;
  for (auto line : split(text, '\n')) {
    line = trim(line);
    if (line.empty() || line.starts_with('#')) continue;
    out.push_back(split(line, ':'));
  }
  return out;
}

// Lines that are not name:password:uid:gid[:gecos:home:shell] are skipped, as libc skips them.
std::vector<PasswdEntry> parse_passwd(std::string_view text) {
  std::vector<PasswdEntry> entries;
  for (const auto& f : records(text)) {
    if (f.size() < 4) continue;
    auto uid = parse_id(f[2]);
    auto gid = parse_id(f[3]);
    if (!uid || !gid) continue;
    entries.push_back(PasswdEntry{.name = std::string(f[0]),
                                  .uid = *uid,
                                  .gid = *gid,
                                  .home = f.size() > 5 ? std::string(f[5]) : std::string()});
  }
  return entries;
}

std::vector<GroupEntry> parse_group(std::string_view text) {
  std::vector<GroupEntry> entries;
  for (const auto& f : records(text)) {
    if (f.size() < 3) continue;
    auto gid = parse_id(f[2]);
    if (!gid) continue;
    GroupEntry entry{.name = std::string(f[0]), .gid = *gid, .members = {}};
    if (f.size() > 3) {
      for (auto member : split(f[3], ','))
        if (!trim(member).empty()) entry.members.emplace_back(trim(member));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

class ImageFiles {
 public:
  ImageFiles(const std::string& rootfs, std::string_view user) : user_(user) {
    if (rootfs.empty()) return;
    root_ = UniqueFd(::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root_) throw_errno("user " + quote(user_) + ": the image root " + rootfs);
  }

  // The file's text; empty when the image has no such file.
  std::string read(const char* path) const {
    if (!root_) return {};
    // RESOLVE_IN_ROOT makes every symlink resolve as if rootfs were "/": an image's
    // /etc/passwd -> /host/etc/passwd means rootfs/host/etc/passwd, never the host's file.
    // O_NONBLOCK: a fifo planted there must not hang the daemon; it is refused below.
    UniqueFd fd(ns::sys_openat2(root_.get(), path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
                                RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS));
    if (!fd && errno == ENOENT) return {};
    if (!fd) throw_errno(what(path));
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) throw_errno(what(path));
    if (!S_ISREG(st.st_mode)) throw_invalid(what(path) + ": not a regular file");
    if (static_cast<std::size_t>(st.st_size) > kMaxFileSize) {
      throw_invalid(what(path) + ": larger than 16 MiB");
    }
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno(what(path));
      if (n == 0) break;  // shrank while read: what was there is what counts
      done += static_cast<std::size_t>(n);
    }
    text.resize(done);
    return text;
  }

 private:
  std::string what(const char* path) const {
    return "user " + quote(user_) + ": /" + path + " in the image";
  }

  std::string user_;
  UniqueFd root_;
};

// The id a string of digits stands for; nullopt for a name.
std::optional<std::uint32_t> optional_id(std::string_view user, std::string_view text,
                                         const char* kind) {
  if (!is_number(text)) return std::nullopt;
  auto id = parse_id(text);
  if (!id || *id > kMaxId) {
    throw_invalid("user " + quote(user) + ": " + kind + " " + std::string(text) +
                  " is out of range (0 to " + std::to_string(kMaxId) + ")");
  }
  return id;
}

}  // namespace

ResolvedUser resolve_user(const std::string& rootfs, std::string_view user) {
  const auto colon = user.find(':');
  const std::string_view user_arg = user.substr(0, colon);
  const std::string_view group_arg =
      colon == std::string_view::npos ? std::string_view() : user.substr(colon + 1);
  // Digits are always an id, as in docker: a user literally named "1000" cannot be named.
  const auto uid = optional_id(user, user_arg, "uid");
  const auto gid = optional_id(user, group_arg, "gid");
  ImageFiles files(rootfs, user);
  ResolvedUser resolved;

  // The first matching line wins. No user at all means uid 0, looked up for its groups and home.
  const auto passwd = parse_passwd(files.read("etc/passwd"));
  auto entry = std::ranges::find_if(passwd, [&](const PasswdEntry& e) {
    return uid || user_arg.empty() ? e.uid == uid.value_or(0) : e.name == user_arg;
  });
  std::string matched_name;
  if (entry != passwd.end()) {
    matched_name = entry->name;
    resolved.uid = entry->uid;
    resolved.gid = entry->gid;
    if (!entry->home.empty()) resolved.home = entry->home;
  } else if (uid) {
    resolved.uid = *uid;  // a uid with no entry is fine, as in docker: gid 0, home "/"
  } else if (!user_arg.empty()) {
    throw_invalid("user " + quote(user) + ": no such user in the image");
  }

  if (group_arg.empty() && matched_name.empty()) return resolved;
  const auto groups = parse_group(files.read("etc/group"));
  if (group_arg.empty()) {
    // Supplementary groups come only with the implicit form, as in docker: "bob:staff" is exactly
    // uid bob, gid staff.
    for (const auto& g : groups)
      if (std::ranges::find(g.members, matched_name) != g.members.end()) {
        resolved.additional_gids.push_back(g.gid);
      }
    return resolved;
  }
  auto group = std::ranges::find_if(
      groups, [&](const GroupEntry& g) { return gid ? g.gid == *gid : g.name == group_arg; });
  if (group != groups.end()) {
    resolved.gid = group->gid;
  } else if (gid) {
    resolved.gid = *gid;
  } else {
    throw_invalid("user " + quote(user) + ": no such group " + quote(group_arg) + " in the image");
  }
  return resolved;
}

}  // namespace cradle
