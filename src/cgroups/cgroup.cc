#include "cgroups/cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <set>
#include <utility>

#include "base/error.h"
#include "base/file_io.h"
#include "base/scope_guard.h"
#include "cgroups/cgroup_events.h"
#include "cgroups/cgroup_file_format.h"
#include "cgroups/cgroup_path.h"
#include "cgroups/device_filter.h"
#include "cgroups/resources_v2.h"

namespace cradle::cgroups {

namespace {

// The directories from the root down to the leaf's parent: those whose subtree_control hands the
// leaf its controllers.
std::vector<std::string> ancestor_dirs(const std::string& root, const std::string& relative) {
  std::vector<std::string> dirs{root};
  for (size_t slash = relative.find('/'); slash != std::string::npos;
       slash = relative.find('/', slash + 1)) {
    dirs.push_back(root + "/" + relative.substr(0, slash));
  }
  return dirs;
}

// Enables in dir's cgroup.subtree_control each of controllers not enabled there yet, one write
// per controller so that a refusal names the controller.
void enable_controllers(const std::string& dir, const std::vector<std::string>& controllers) {
  const std::string control = dir + "/cgroup.subtree_control";
  std::set<std::string> enabled = parse_name_list(read_file(control));
  for (const std::string& controller : controllers) {
    if (enabled.contains(controller)) continue;
    try {
      write_file(control, "+" + controller);
    } catch (const Error& e) {
      if (e.sys_errno() != EBUSY) throw;
      throw Error(e.code(),
                  std::string(e.what()) + " (" + dir +
                      " has processes of its own, and cgroup v2 lets only a cgroup without "
                      "processes hand controllers down to its children)",
                  e.sys_errno());
    }
  }
}

void enable_controllers_in_ancestors(const std::string& root, const std::string& relative,
                                     const std::vector<std::string>& controllers) {
  if (controllers.empty()) return;
  for (const std::string& dir : ancestor_dirs(root, relative))
    enable_controllers(dir, controllers);
}

// The cgroup at dir and every cgroup below it, each parent before its children. A container may
// make sub-cgroups of its own (with a cgroup namespace), and they go with it.
std::vector<std::string> cgroup_tree(const std::string& dir) {
  std::vector<std::string> tree{dir};
  for (size_t i = 0; i < tree.size(); ++i) {
    std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(tree[i].c_str()), ::closedir);
    if (!listing) throw_errno("list cgroup " + tree[i]);
    errno = 0;
    while (const dirent* entry = ::readdir(listing.get())) {
      std::string_view name = entry->d_name;
      if (entry->d_type == DT_DIR && name != "." && name != "..") {
        tree.push_back(tree[i] + "/" + std::string(name));
      }
      errno = 0;
    }
    if (errno != 0) throw_errno("list cgroup " + tree[i]);
  }
  return tree;
}

// Another runtime's cleanup may remove an empty shared parent (like "cradle/") between our
// mkdir of it and of its child; making the path again then succeeds.
constexpr int kMakeDirsAttempts = 5;

// Makes each missing directory of dirs, parents first, adding those it made to `made`. Returns
// false if a parent vanished meanwhile.
bool make_missing_dirs(const std::vector<std::string>& dirs, std::vector<std::string>& made) {
  for (const std::string& dir : dirs) {
    if (::mkdir(dir.c_str(), 0755) == 0) {
      made.push_back(dir);
    } else if (errno == ENOENT) {
      return false;
    } else if (errno != EEXIST) {
      throw_errno("create cgroup " + dir);
    }
  }
  return true;
}

bool events_show_populated(const std::string& dir) {
  FlatKeyed events = read_cgroup_events(dir + "/cgroup.events");
  auto it = events.find("populated");
  return it != events.end() && it->second != 0;
}

}  // namespace

Cgroup::Cgroup(CgroupRoot root, std::string relative_path, UniqueFd dir, bool owned)
    : root_(std::move(root)),
      relative_path_(std::move(relative_path)),
      dir_(std::move(dir)),
      owned_(owned) {}

Cgroup::Cgroup(Cgroup&& other) noexcept
    : root_(std::move(other.root_)),
      relative_path_(std::move(other.relative_path_)),
      dir_(std::move(other.dir_)),
      owned_(std::exchange(other.owned_, false)) {}

Cgroup& Cgroup::operator=(Cgroup&& other) noexcept {
  if (this != &other) {
    remove_quietly();
    root_ = std::move(other.root_);
    relative_path_ = std::move(other.relative_path_);
    dir_ = std::move(other.dir_);
    owned_ = std::exchange(other.owned_, false);
  }
  return *this;
}

Cgroup::~Cgroup() {
  remove_quietly();
}

void Cgroup::remove_quietly() noexcept {
  if (!owned_ || !dir_) return;
  try {
    remove();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cradle: could not remove cgroup %s: %s\n", relative_path_.c_str(),
                 e.what());
  }
}

Cgroup Cgroup::create(const CgroupRoot& root, const std::string& relative_path,
                      const std::vector<std::string>& controllers_needed) {
  std::string relative = normalize_cgroups_path(relative_path);
  const std::string leaf = root.mount_path + "/" + relative;
  for (const std::string& controller : controllers_needed) {
    if (!root.controllers.contains(controller)) {
      throw_missing_controller("cgroup " + leaf, controller);
    }
  }

  std::vector<std::string> made;
  ScopeGuard unmake([&made] {
    // Best effort: a concurrent create may already have put its own cgroup in a shared parent,
    // which then stays, rightly.
    for (auto dir = made.rbegin(); dir != made.rend(); ++dir) {
      static_cast<void>(::rmdir(dir->c_str()));
    }
  });
  std::vector<std::string> dirs = ancestor_dirs(root.mount_path, relative);
  dirs.erase(dirs.begin());  // the root exists
  dirs.push_back(leaf);
  for (int attempt = 1; !make_missing_dirs(dirs, made); ++attempt) {
    if (attempt == kMakeDirsAttempts) {
      throw Error(ErrorCode::kUnavailable,
                  "create cgroup " + leaf + ": its parents kept vanishing while it was made");
    }
  }
  const bool leaf_existed = made.empty() || made.back() != leaf;
  if (leaf_existed && events_show_populated(leaf)) {
    throw Error(ErrorCode::kAlreadyExists, "cgroup " + leaf +
                                               " already exists and has processes in it "
                                               "(cgroup.events: populated 1)");
  }
  enable_controllers_in_ancestors(root.mount_path, relative, controllers_needed);
  UniqueFd dir = open_at(AT_FDCWD, leaf, O_RDONLY | O_DIRECTORY);
  unmake.dismiss();
  return Cgroup(root, std::move(relative), std::move(dir), /*owned=*/true);
}

std::optional<Cgroup> Cgroup::open_existing(const CgroupRoot& root,
                                            const std::string& relative_path) {
  std::string relative = normalize_cgroups_path(relative_path);
  const std::string dir = root.mount_path + "/" + relative;
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw_errno("open cgroup " + dir);
  }
  return Cgroup(root, std::move(relative), UniqueFd(fd), /*owned=*/false);
}

void Cgroup::write_resources(const Resources& resources, Translation mode) {
  check_resources_supported(resources, root_.controllers, mode);
  std::vector<bpf_insn> device_filter;
  if (!resources.devices.empty()) {
    device_filter = compile_device_filter(with_default_device_rules(resources.devices));
  }
  enable_controllers_in_ancestors(root_.mount_path, relative_path_,
                                  controllers_needed(resources, mode));
  for (const CgroupWrite& write : translate_resources(resources, mode)) {
    // Without the file its controller is off for this cgroup, so the value is the default already.
    if (write.restores_default && ::faccessat(dir_.get(), write.file.c_str(), F_OK, 0) != 0) {
      if (errno == ENOENT) continue;
      throw_errno("check " + file(write.file.c_str()));
    }
    try {
      write_file(path() + "/" + write.file, write.value);
    } catch (const Error& e) {
      throw Error(e.code(), "apply " + write.resource + ": " + e.what(), e.sys_errno());
    }
  }
  if (!device_filter.empty()) attach_device_filter(dir_.get(), device_filter, path());
}

void Cgroup::apply(const Resources& resources) {
  write_resources(resources, Translation::kCreate);
}

void Cgroup::update(const Resources& resources) {
  write_resources(resources, Translation::kUpdate);
}

void Cgroup::freeze(bool frozen) {
  write_file(file("cgroup.freeze"), frozen ? "1" : "0");
  wait_for_cgroup_event(file("cgroup.events"), "frozen", frozen ? 1 : 0, kStateChangeTimeout);
}

void Cgroup::kill() {
  write_file(file("cgroup.kill"), "1");
}

bool Cgroup::populated() const {
  return events_show_populated(path());
}

std::vector<pid_t> Cgroup::pids() const {
  std::vector<pid_t> pids;
  for (const std::string& dir : cgroup_tree(path())) {
    const std::string procs = dir + "/cgroup.procs";
    std::vector<pid_t> here = parse_pid_list(read_file(procs), procs);
    pids.insert(pids.end(), here.begin(), here.end());
  }
  return pids;
}

void Cgroup::remove() {
  if (!dir_) return;
  const std::string dir = path();
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) throw_errno("stat cgroup " + dir);
  } else {
    kill();
    try {
      wait_for_cgroup_event(file("cgroup.events"), "populated", 0, kStateChangeTimeout);
    } catch (const Error& e) {
      throw Error(e.code(),
                  "remove cgroup " + dir + ": its processes outlived SIGKILL: " + e.what());
    }
    std::vector<std::string> tree = cgroup_tree(dir);
    for (auto child_first = tree.rbegin(); child_first != tree.rend(); ++child_first) {
      if (::rmdir(child_first->c_str()) != 0 && errno != ENOENT) {
        throw_errno("remove cgroup " + *child_first);
      }
    }
  }
  dir_.reset();
  owned_ = false;
}

}  // namespace cradle::cgroups
