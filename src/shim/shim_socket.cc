#include "shim/shim_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "base/error.h"

namespace cradle::shim {
namespace {

// FNV-1a, 64 bits: a name, not a security boundary (the directory is root's, mode 0700).
std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

sockaddr_un unix_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    throw_invalid("socket path " + path + " is longer than " +
                  std::to_string(sizeof addr.sun_path - 1) + " bytes");
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

}  // namespace

std::string shim_socket_path(const ShimFlags& flags) {
  if (!flags.socket.empty()) return flags.socket;
  char name[17];
  std::snprintf(
      name, sizeof name, "%016llx",
      static_cast<unsigned long long>(fnv1a(flags.address + "/" + flags.ns + "/" + flags.id)));
  return std::string(kShimSocketDir) + "/" + name;
}

UniqueFd listen_unix(const std::string& path) {
  sockaddr_un addr = unix_address(path);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) throw_errno("socket");
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw_errno("remove the stale socket " + path);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw_errno("bind " + path);
  }
  if (::chmod(path.c_str(), 0600) != 0) throw_errno("chmod " + path);
  if (::listen(fd.get(), SOMAXCONN) != 0) throw_errno("listen on " + path);
  return fd;
}

bool unix_socket_alive(const std::string& path) {
  sockaddr_un addr = unix_address(path);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw_errno("socket");
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace cradle::shim
