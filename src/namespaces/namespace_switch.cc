#include "namespaces/namespace_switch.h"

#include <fcntl.h>
#include <sched.h>

#include <cstdlib>
#include <string>

#include "base/error.h"
#include "base/file_io.h"

namespace cradle::ns {
namespace {

const char* own_namespace_file(int nstype) {
  switch (nstype) {
    case CLONE_NEWNET: return "/proc/thread-self/ns/net";
    case CLONE_NEWIPC: return "/proc/thread-self/ns/ipc";
    case CLONE_NEWUTS: return "/proc/thread-self/ns/uts";
    case CLONE_NEWCGROUP: return "/proc/thread-self/ns/cgroup";
    case CLONE_NEWPID: return "/proc/thread-self/ns/pid";
    case CLONE_NEWTIME: return "/proc/thread-self/ns/time";
  }
  throw Error(ErrorCode::kInternal, "no per-thread namespace of type " + std::to_string(nstype));
}

}  // namespace

NamespaceSwitch::NamespaceSwitch(const std::vector<NamespaceEntry>& entries) {
  try {
    for (const auto& entry : entries) {
      UniqueFd saved = open_at(AT_FDCWD, own_namespace_file(entry.nstype), O_RDONLY);
      if (::setns(entry.fd, entry.nstype) != 0) throw_errno("join " + entry.what);
      saved_.push_back({entry.nstype, std::move(saved)});
    }
  } catch (...) {
    restore();
    throw;
  }
}

void NamespaceSwitch::restore() noexcept {
  for (auto& [nstype, fd] : saved_) {
    // Failing to return would leave every later child of this shim in the wrong namespace.
    if (::setns(fd.get(), nstype) != 0) std::abort();
  }
  saved_.clear();
}

}  // namespace cradle::ns
