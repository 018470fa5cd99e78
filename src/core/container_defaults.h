// The fixed parts of the spec build_container_spec writes, as docker and containerd write them:
// the filesystems every container mounts, the /proc and /sys paths it may not see or change, and
// the devices its cgroup lets it use.
#pragma once

#include <nlohmann/json.hpp>

namespace cradle {

// /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys and /sys/fs/cgroup, with docker's options.
// Privileged containers get /sys and the cgroup filesystem writable, as in docker.
nlohmann::json default_mounts(bool privileged);

// containerd's maskedPaths (plus /sys/devices/virtual/powercap, which docker and newer
// containerd also hide) and readonlyPaths.
nlohmann::json default_masked_paths();
nlohmann::json default_readonly_paths();

// linux.resources.devices: deny everything, then allow containerd's default devices (null, random,
// full, tty, zero, urandom, console, the ptys and ptmx) for rwm. Privileged: allow everything.
nlohmann::json default_device_rules(bool privileged);

}  // namespace cradle
