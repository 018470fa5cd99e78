// Puts the calling thread into other namespaces for the length of a scope, and back. The shim
// uses it around clone3: namespaces joined by path (net, ipc, uts, cgroup, pid, time) and, for
// exec, the container's pid namespace, are per thread, so the child is born in them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/unique_fd.h"

namespace cradle::ns {

struct NamespaceEntry {
  int fd = -1;       // a namespace file, or a pidfd
  int nstype = 0;    // one CLONE_NEW* flag
  std::string what;  // for the error: "the namespace /run/netns/x"
};

class NamespaceSwitch {
 public:
  explicit NamespaceSwitch(const std::vector<NamespaceEntry>& entries);
  ~NamespaceSwitch() { restore(); }
  NamespaceSwitch(const NamespaceSwitch&) = delete;
  NamespaceSwitch& operator=(const NamespaceSwitch&) = delete;

 private:
  void restore() noexcept;
  std::vector<std::pair<int, UniqueFd>> saved_;
};

}  // namespace cradle::ns
