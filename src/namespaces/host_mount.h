// Mounts in the shim's own mount namespace: the rootfs a containerd snapshotter hands to Create
// (an overlay, or a bind for a single layer), mounted on the bundle's rootfs directory and taken
// down again on Delete. Options are read the way containerd's own mount package reads them.
#pragma once

#include <string>
#include <vector>

namespace cradle::ns {

struct HostMount {
  std::string type;
  std::string source;
  std::vector<std::string> options;
};

struct MountCall {
  unsigned long flags = 0;
  unsigned long propagation = 0;  // applied by a second call, as containerd does
  std::string data;
  bool readonly_bind = false;  // a bind asked "ro": needs a remount to take effect
};

// Splits options into mount(2) flags and the filesystem's data string. Pure, for tests.
MountCall mount_call_for(const HostMount& mount);

// Mounts each in order on target. On failure, unmounts what it mounted and throws an Error
// naming the mount ("mount overlay on /run/.../rootfs: ...").
void mount_all(const std::vector<HostMount>& mounts, const std::string& target);

// Unmounts everything stacked on target (lazily, so a busy mount does not stop the shim);
// a target with nothing mounted is fine.
void unmount_all(const std::string& target);

}  // namespace cradle::ns
