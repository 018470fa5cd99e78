// One container's cgroup in the v2 tree: made (with its missing parents and the controllers it
// needs enabled from the root down), configured, frozen, killed and removed. RAII: an owned cgroup
// is removed when its Cgroup goes away, unless release() handed it over (a long-running shim keeps
// the container's cgroup after the `create` process exits).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "cgroups/cgroup_root.h"
#include "cgroups/resources.h"
#include "cgroups/resources_v2.h"

namespace cradle::cgroups {

class Cgroup {
 public:
  // How long remove() and freeze() wait for the kernel to report the new state.
  static constexpr std::chrono::seconds kStateChangeTimeout{10};

  // Makes (or reuses, if it exists and is empty) the cgroup at relative_path, an OCI cgroupsPath:
  // "/a/b" and "a/b" both mean <v2 root>/a/b. Enables controllers_needed in every ancestor's
  // cgroup.subtree_control. Throws kInvalidArgument for a bad path, kFailedPrecondition for a
  // controller the tree lacks, kAlreadyExists if the cgroup exists and has processes. On failure,
  // the directories it made are removed again; controllers it enabled in ancestors that existed
  // before stay enabled (others may rely on them by then).
  static Cgroup create(const CgroupRoot& root, const std::string& relative_path,
                       const std::vector<std::string>& controllers_needed);

  // The existing cgroup at relative_path, or nullopt if there is none. Not owned: the destructor
  // leaves it, remove() deletes it (a shim's `delete` cleaning up after a container).
  static std::optional<Cgroup> open_existing(const CgroupRoot& root,
                                             const std::string& relative_path);

  Cgroup(Cgroup&& other) noexcept;
  Cgroup& operator=(Cgroup&& other) noexcept;
  Cgroup(const Cgroup&) = delete;
  Cgroup& operator=(const Cgroup&) = delete;
  // Removes an owned cgroup; a failure is reported on stderr, not thrown.
  ~Cgroup();

  // The cgroup directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC: clone3's clone_args.cgroup.
  int fd() const { return dir_.get(); }
  // Absolute, e.g. "/sys/fs/cgroup/cradle/abc".
  std::string path() const { return root_.mount_path + "/" + relative_path_; }
  // Relative to the v2 root, e.g. "cradle/abc".
  const std::string& relative_path() const { return relative_path_; }

  // Writes translate_resources(resources), enabling in the ancestors any controller it needs that
  // create() did not, and attaches the device filter made of resources.devices followed by the
  // default devices (device_filter.h) unless that list is empty (then every device is allowed).
  // Throws as check_resources_supported does, and on a failed write naming the OCI field, the
  // file and the kernel's reason.
  void apply(const Resources& resources);

  // Applies new values to a cgroup in use: as apply(), but a field given with the value that
  // means "no limit" writes the kernel's default (Translation::kUpdate), so a limit can be lifted,
  // and a non-empty device list replaces the device filter; an empty one keeps it.
  void update(const Resources& resources);

  // Writes cgroup.freeze and waits until cgroup.events reports the cgroup (un)frozen.
  void freeze(bool frozen);
  // SIGKILLs every process in the cgroup and its descendants (cgroup.kill); does not wait.
  void kill();
  // Whether a process lives in the cgroup or a descendant (cgroup.events "populated").
  bool populated() const;
  // The processes in the cgroup and its descendants (their cgroup.procs).
  std::vector<pid_t> pids() const;
  // Kills what is inside, waits until the cgroup is empty, then removes it and any descendant
  // cgroups, but not its parents. A cgroup already gone counts as removed.
  void remove();
  // Stops owning the cgroup: the destructor leaves it in place.
  void release() { owned_ = false; }

 private:
  Cgroup(CgroupRoot root, std::string relative_path, UniqueFd dir, bool owned);
  void remove_quietly() noexcept;
  std::string file(const char* name) const { return path() + "/" + name; }
  void write_resources(const Resources& resources, Translation mode);

  CgroupRoot root_;
  std::string relative_path_;
  UniqueFd dir_;
  bool owned_ = false;
};

}  // namespace cradle::cgroups
