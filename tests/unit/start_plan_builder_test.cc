// Spec -> start plan, checked as plain data: what the child will do, without a kernel.
#include "core/start_plan_builder.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/error.h"
#include "core/default_spec.h"
#include "core/spec_parser.h"
#include "support/temp_dir.h"

namespace cradle {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PlanBuilder : public ::testing::Test {
 protected:
  PlanBuilder() {
    ::mkdir((bundle_.path() + "/rootfs").c_str(), 0755);
    ::mkdir((bundle_.path() + "/rootfs/etc").c_str(), 0755);
    config_ = default_spec({});
  }
  ns::StartPlan build() {
    Spec spec = parse_spec(config_);
    PlanContext context{"c1", bundle_.path(), "/sys/fs/cgroup/cradle/c1", false};
    return build_start_plan(spec, context,
                            [this](const std::string& w) { warnings_.push_back(w); });
  }
  std::string build_error() {
    try {
      build();
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  const ns::MountStep& mount_at(const ns::StartPlan& plan, const std::string& dest) {
    for (const auto& m : plan.mounts)
      if (m.destination == dest) return m;
    throw std::runtime_error("no mount at " + dest);
  }

  testing::TempDir bundle_;
  nlohmann::json config_;
  std::vector<std::string> warnings_;
};

TEST_F(PlanBuilder, DefaultSpecMakesEveryNamespaceInOneClone) {
  ns::StartPlan plan = build();
  EXPECT_EQ(plan.clone_flags,
            static_cast<std::uint64_t>(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                                       CLONE_NEWNS | CLONE_NEWCGROUP));
  EXPECT_EQ(plan.unshare_flags, 0u);
  EXPECT_TRUE(plan.joins.empty());
  EXPECT_TRUE(plan.parent_joins.empty());
  EXPECT_EQ(plan.rootfs, bundle_.path() + "/rootfs");
  EXPECT_TRUE(plan.rootfs_readonly);
  EXPECT_EQ(plan.rootfs_propagation, static_cast<unsigned long>(MS_SLAVE));
  EXPECT_EQ(plan.hostname, "cradle");
}

TEST_F(PlanBuilder, MountsCarryTheirAttributesAndParameters) {
  ns::StartPlan plan = build();
  const ns::MountStep& dev = mount_at(plan, "/dev");
  EXPECT_EQ(dev.kind, ns::MountStep::Kind::kFilesystem);
  EXPECT_EQ(dev.fstype, "tmpfs");
  EXPECT_EQ(dev.attr_set, MOUNT_ATTR_NOSUID | MOUNT_ATTR_STRICTATIME);
  EXPECT_EQ(dev.fs_options, (std::vector<std::pair<std::string, std::string>>{{"mode", "755"},
                                                                              {"size", "65536k"}}));
  EXPECT_EQ(dev.description, "tmpfs on /dev");
  const ns::MountStep& sys = mount_at(plan, "/sys");
  EXPECT_EQ(sys.attr_set & MOUNT_ATTR_RDONLY, MOUNT_ATTR_RDONLY);
  EXPECT_TRUE(sys.fallback_bind_source.empty());
  // With a cgroup namespace the cgroup mount is a cgroup2 filesystem.
  EXPECT_EQ(mount_at(plan, "/sys/fs/cgroup").fstype, "cgroup2");
}

TEST_F(PlanBuilder, CgroupMountWithoutACgroupNamespaceBindsTheContainersCgroup) {
  auto& ns = config_["linux"]["namespaces"];
  ns.erase(ns.end() - 1);  // the cgroup namespace is last in the default spec
  ns::StartPlan plan = build();
  const ns::MountStep& cg = mount_at(plan, "/sys/fs/cgroup");
  EXPECT_EQ(cg.kind, ns::MountStep::Kind::kBind);
  EXPECT_EQ(cg.source, "/sys/fs/cgroup/cradle/c1");
  EXPECT_TRUE(cg.recursive);
}

TEST_F(PlanBuilder, DefaultDevicesSymlinksAndPtmx) {
  ns::StartPlan plan = build();
  std::vector<std::string> paths;
  for (const auto& d : plan.devices)
    paths.push_back(d.path);
  EXPECT_THAT(paths, ElementsAre("/dev/null", "/dev/zero", "/dev/full", "/dev/random",
                                 "/dev/urandom", "/dev/tty"));
  EXPECT_EQ(plan.devices[0].mode, static_cast<mode_t>(S_IFCHR | 0666));
  EXPECT_EQ(plan.devices[0].device, makedev(1, 3));
  EXPECT_FALSE(plan.devices[0].bind_from_host);
  EXPECT_TRUE(plan.mount_dev_pts);
  EXPECT_EQ(plan.dev_symlinks.back().path, "/dev/ptmx");
  EXPECT_EQ(plan.dev_symlinks.back().target, "pts/ptmx");
}

TEST_F(PlanBuilder, UserNamespaceWritesMapsAndBindsDevices) {
  config_["linux"]["namespaces"].push_back({{"type", "user"}});
  config_["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 10}},
                                     {{"containerID", 10}, {"hostID", 5000}, {"size", 1}}};
  config_["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 10}}};
  ns::StartPlan plan = build();
  EXPECT_EQ(plan.uid_map, "0 1000 10\n10 5000 1\n");
  EXPECT_EQ(plan.gid_map, "0 1000 10\n");
  EXPECT_TRUE(plan.user_namespace_maps_root);
  EXPECT_TRUE(plan.clone_flags & CLONE_NEWUSER);
  for (const auto& d : plan.devices)
    EXPECT_TRUE(d.bind_from_host) << d.path;
}

TEST_F(PlanBuilder, SysfsInAUserNamespaceWithoutItsOwnNetworkFallsBackToABind) {
  auto& ns = config_["linux"]["namespaces"];
  for (auto it = ns.begin(); it != ns.end(); ++it) {
    if ((*it)["type"] == "network") {
      ns.erase(it);
      break;
    }
  }
  ns.push_back({{"type", "user"}});
  config_["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 10}}};
  config_["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 10}}};
  EXPECT_EQ(mount_at(build(), "/sys").fallback_bind_source, "/sys");
}

TEST_F(PlanBuilder, NamespacesJoinedByPathAreEnteredByTheParent) {
  for (auto& n : config_["linux"]["namespaces"]) {
    if (n["type"] == "network") n["path"] = "/proc/self/ns/net";
    if (n["type"] == "ipc") n["path"] = "/proc/self/ns/ipc";
  }
  ns::StartPlan plan = build();
  ASSERT_EQ(plan.parent_joins.size(), 2u);
  EXPECT_EQ(plan.parent_joins[0].nstype, CLONE_NEWNET);
  EXPECT_EQ(plan.parent_joins[1].nstype, CLONE_NEWIPC);
  EXPECT_TRUE(plan.parent_joins[0].fd.valid());
  EXPECT_FALSE(plan.clone_flags & CLONE_NEWNET);
}

TEST_F(PlanBuilder, ProcessPlanHasExecReadyArrays) {
  config_["process"]["args"] = {"sh", "-c", "true"};
  config_["process"]["env"] = {"A=1", "PATH=/bin"};
  ns::StartPlan plan = build();
  ASSERT_EQ(plan.process.argv.size(), 4u);
  EXPECT_STREQ(plan.process.argv[2], "true");
  EXPECT_EQ(plan.process.argv[3], nullptr);
  ASSERT_EQ(plan.process.envp.size(), 3u);
  EXPECT_STREQ(plan.process.envp[1], "PATH=/bin");
  EXPECT_EQ(plan.process.search_path, "/bin");
  EXPECT_EQ(plan.process.umask, 022u);
  // CAP_KILL, CAP_NET_BIND_SERVICE, CAP_AUDIT_WRITE
  EXPECT_EQ(plan.process.capabilities.bounding, (1ull << 5) | (1ull << 10) | (1ull << 29));
  EXPECT_TRUE(plan.process.no_new_privileges);
}

TEST_F(PlanBuilder, SeccompIsCompiledToBpf) {
  config_["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"syscalls", {{{"names", {"mkdir"}}, {"action", "SCMP_ACT_ERRNO"}}}}};
  ns::StartPlan plan = build();
  ASSERT_TRUE(plan.process.seccomp);
  EXPECT_GT(plan.process.seccomp->instructions.size(), 3u);
}

TEST_F(PlanBuilder, AmbientCapabilitiesTheKernelCannotRaiseAreLeftOutWithAWarning) {
  config_["process"]["capabilities"]["ambient"] = {"CAP_KILL"};
  ns::StartPlan plan = build();
  EXPECT_EQ(plan.process.capabilities.ambient, 0u);
  EXPECT_THAT(warnings_, ElementsAre(HasSubstr("process.capabilities.ambient: CAP_KILL not both "
                                               "permitted and inheritable")));
}

TEST_F(PlanBuilder, ErrorsNameTheField) {
  config_["mounts"].push_back(
      {{"destination", "/data"}, {"type", "bind"}, {"source", "missing"}, {"options", {"rbind"}}});
  EXPECT_EQ(build_error(),
            "mounts[7].source: " + bundle_.path() + "/missing: No such file or directory");
}

TEST_F(PlanBuilder, RelativeBindSourcesAreRelativeToTheBundle) {
  ::mkdir((bundle_.path() + "/data").c_str(), 0755);
  config_["mounts"].push_back(
      {{"destination", "/data"}, {"type", "bind"}, {"source", "data"}, {"options", {"rbind"}}});
  ns::StartPlan plan = build();
  EXPECT_EQ(mount_at(plan, "/data").source, bundle_.path() + "/data");
  EXPECT_TRUE(mount_at(plan, "/data").destination_is_dir);
}

TEST_F(PlanBuilder, JoiningAMountNamespaceIsRefused) {
  for (auto& n : config_["linux"]["namespaces"]) {
    if (n["type"] == "mount") n["path"] = "/proc/self/ns/mnt";
  }
  EXPECT_THAT(build_error(), HasSubstr("joining an existing mount namespace is not supported"));
}

TEST_F(PlanBuilder, TerminalNeedsDevpts) {
  config_["process"]["terminal"] = true;
  auto& mounts = config_["mounts"];
  for (auto it = mounts.begin(); it != mounts.end(); ++it) {
    if ((*it)["destination"] == "/dev/pts") {
      mounts.erase(it);
      break;
    }
  }
  EXPECT_EQ(build_error(), "process.terminal: a terminal needs a devpts mount on /dev/pts");
}

}  // namespace
}  // namespace cradle
