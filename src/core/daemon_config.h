// cradled's configuration: /etc/cradle/config.yaml (yaml-cpp), every key optional, command-line
// flags over it. Several daemons can run side by side with their own root, state and socket.
#pragma once

#include <string>

namespace cradle {

struct DaemonConfig {
  std::string root = "/var/lib/cradle";  // metadata, images, snapshots
  std::string state = "/run/cradle";     // bundles, logs, sockets
  std::string socket = "/run/cradle/cradled.sock";
  std::string shim_binary;  // default: cradle-shim beside cradled
  std::string init_binary;  // default: cradle-init beside cradled
  // Imported as docker.io/library/busybox:latest when no image of that name exists. Default:
  // ../images/busybox.tar from cradled's directory (the build's) if present.
  std::string builtin_image;
  std::string default_namespace = "default";

  std::string events_socket() const { return state + "/cradled.ttrpc"; }
};

// Reads `path` over the defaults; a missing file leaves the defaults (unless required). Unknown
// keys and wrong types are errors naming the key.
DaemonConfig load_daemon_config(const std::string& path, bool required);

}  // namespace cradle
