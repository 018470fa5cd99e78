// Turns an image and a user's ContainerOptions into the OCI spec the shim runs, as docker would
// for the same `docker run` (containerd's ctr where docker leaves it to the daemon's setup): pid,
// ipc, uts, mount, network (unless host) and cgroup namespaces; /proc, /dev, /dev/pts, /dev/shm,
// /dev/mqueue, /sys (ro), /sys/fs/cgroup (ro) and no /run, as docker; docker's 14 default
// capabilities; containerd's device rules, masked and read-only paths; no_new_privileges off and
// no seccomp profile; RLIMIT_NOFILE 1024:1024 as ctr. Invalid options throw kInvalidArgument
// naming the option ("--cap-add FOO: unknown capability"); a missing --init binary is
// kFailedPrecondition. Parts: capability_options, user_lookup, process_env, container_defaults,
// host_devices (--privileged), exec_process_builder.cc.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/container_options.h"
#include "core/image_store.h"

namespace cradle {

struct SpecContext {
  std::string id;            // the container's
  std::string name;          // not in the spec: docker's hostname is the id's first 12 characters
  std::string cgroups_path;  // "/cradle/<ns>/<id>"
  std::string image_rootfs;  // a directory holding the image's files (for /etc/passwd, /etc/group)
  std::string init_path;     // the host path of the init to bind at /sbin/cradle-init (--init)
};

// image_rootfs is read only for the user's /etc/passwd and /etc/group; with --privileged the
// host's /dev is walked for its devices.
nlohmann::json build_container_spec(const ImageConfig& image, const ContainerOptions& options,
                                    const SpecContext& context);

// The process part, for an exec into a container running `container_spec` (as built above): its
// process with the exec's args, env over the container's, cwd, user (resolved in image_rootfs,
// HOME following it) and terminal; capabilities, rlimits and noNewPrivileges stay the container's.
nlohmann::json build_exec_process(const nlohmann::json& container_spec,
                                  const ProcessOptions& options, const std::string& image_rootfs);

}  // namespace cradle
