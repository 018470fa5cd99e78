// What a user asks of a container (cradle create/run), in core's own terms: the API layer
// converts its protobuf messages to and from these, so core knows no wire format.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cradle {

struct MountOption {
  std::string source;       // a host path
  std::string destination;  // in the container
  bool read_only = false;
};

struct ResourceOptions {
  std::int64_t memory_bytes = 0;  // 0: no limit
  double cpus = 0;                // 0: no limit
  std::int64_t pids_limit = 0;    // 0: no limit
};

struct ContainerOptions {
  std::vector<std::string> command;     // replaces the image's Cmd when not empty
  std::vector<std::string> entrypoint;  // replaces the image's Entrypoint when not empty
  std::vector<std::string> env;         // KEY=value, over the image's Env
  std::string working_dir;
  std::string user;  // "uid[:gid]" or names from the image's /etc/passwd and /etc/group
  std::string hostname;
  std::string network = "none";  // "none": a network namespace with only lo; "host"
  std::vector<MountOption> mounts;
  ResourceOptions resources;
  bool read_only = false;
  std::vector<std::string> cap_add;  // "NET_ADMIN", "CAP_NET_ADMIN" or "ALL"
  std::vector<std::string> cap_drop;
  bool privileged = false;
  bool tty = false;
  bool stdin_open = false;
  bool init = false;  // a reaping pid 1 (the shim's own init mode) before the command
  bool auto_remove = false;
};

struct ProcessOptions {  // cradle exec
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string working_dir;
  std::string user;
  bool tty = false;
  bool stdin_open = false;
};

// An exit the daemon recorded: the status (code or 128+signal) and when, in ns since the epoch.
struct ExitInfo {
  std::uint32_t status = 0;
  std::int64_t exited_at_ns = 0;
  std::string reason;  // set when the daemon had to infer it ("the shim died")
};

}  // namespace cradle
