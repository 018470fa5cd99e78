#include "core/container_defaults.h"

#include <string>

namespace cradle {

namespace {

using nlohmann::json;

json mount(const char* destination, const char* type, const char* source, json options) {
  return json{{"destination", destination},
              {"type", type},
              {"source", source},
              {"options", std::move(options)}};
}

json allow_char_device(int major, int minor) {
  json rule{{"allow", true}, {"type", "c"}, {"major", major}, {"access", "rwm"}};
  if (minor >= 0) rule["minor"] = minor;  // absent: any minor (136:* for every pty)
  return rule;
}

}  // namespace

json default_mounts(bool privileged) {
  json sys_options = {"nosuid", "noexec", "nodev"};
  if (!privileged) sys_options.push_back("ro");
  return json::array({
      mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mount("/dev/pts", "devpts", "devpts",
            {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      mount("/sys", "sysfs", "sysfs", sys_options),
      mount("/sys/fs/cgroup", "cgroup", "cgroup", sys_options),
  });
}

json default_masked_paths() {
  return {"/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/sys/firmware",
          "/proc/scsi",
          "/sys/devices/virtual/powercap"};
}

json default_readonly_paths() {
  return {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
}

json default_device_rules(bool privileged) {
  if (privileged) return json::array({{{"allow", true}, {"access", "rwm"}}});
  return json::array({
      {{"allow", false}, {"access", "rwm"}},
      allow_char_device(1, 3),     // /dev/null
      allow_char_device(1, 8),     // /dev/random
      allow_char_device(1, 7),     // /dev/full
      allow_char_device(5, 0),     // /dev/tty
      allow_char_device(1, 5),     // /dev/zero
      allow_char_device(1, 9),     // /dev/urandom
      allow_char_device(5, 1),     // /dev/console
      allow_char_device(136, -1),  // /dev/pts/*
      allow_char_device(5, 2),     // /dev/ptmx
  });
}

}  // namespace cradle
