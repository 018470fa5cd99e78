// The host's device nodes, for docker's --privileged: the container gets every one of them.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cradle {

// linux.devices entries (type, path, major, minor, fileMode, uid, gid) for every character and
// block device below dev_dir, walked without following symlinks, with the path it has below /dev
// in the container. Skipped as runc skips them: /dev/console (the container has its own) and the
// directories pts, shm, fd, mqueue, .lxc, .lxd-mounts and .udev.
nlohmann::json host_devices(const std::string& dev_dir = "/dev");

}  // namespace cradle
