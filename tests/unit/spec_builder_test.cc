// Image config + user options -> the OCI spec docker would run: every spec built here must pass
// cradle's own parser, and each option must change what docker's would.
#include "core/spec_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <climits>
#include <cstdlib>
#include <fstream>

#include "base/error.h"
#include "core/capability_options.h"
#include "core/spec_parser.h"
#include "image_rootfs_fixture.h"
#include "support/error_matcher.h"
#include "support/temp_dir.h"

namespace cradle {
namespace {

using ::cradle::testing::IsError;
using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Throws;

constexpr const char* kId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr const char* kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

ns::CapabilityMask cap(const char* name) {
  return ns::CapabilityMask{1} << *ns::capability_from_name(name);
}

class SpecBuilder : public ::testing::Test {
 protected:
  SpecBuilder() {
    image_.cmd = {"sh"};
    image_.env = {kDefaultPath};
    context_ = SpecContext{.id = kId,
                           .name = "web",
                           .cgroups_path = std::string("/cradle/default/") + kId,
                           .image_rootfs = rootfs_.path(),
                           .init_path = host_.path() + "/cradle-init"};
    std::ofstream(context_.init_path) << "#!/bin/sh\n";
    ::chmod(context_.init_path.c_str(), 0755);
  }

  json build() { return build_container_spec(image_, options_, context_); }
  // Built and read back by the parser the shim uses: what the container will really get.
  Spec parsed() { return parse_spec(build()); }
  auto fails_with(const std::string& message) {
    return Throws<Error>(IsError(ErrorCode::kInvalidArgument, message));
  }
  std::vector<std::string> mount_destinations(const Spec& spec) {
    std::vector<std::string> out;
    for (const auto& m : spec.mounts)
      out.push_back(m.destination);
    return out;
  }
  const Mount& mount_at(const Spec& spec, const std::string& destination) {
    for (const auto& m : spec.mounts)
      if (m.destination == destination) return m;
    throw std::runtime_error("no mount at " + destination);
  }

  testing::ImageRootfs rootfs_;
  testing::TempDir host_;
  ImageConfig image_;
  ContainerOptions options_;
  SpecContext context_;
};

TEST_F(SpecBuilder, DefaultSpecHasDockersNamespacesMountsAndLimits) {
  Spec spec = parsed();
  EXPECT_EQ(spec.oci_version, "1.2.0");
  EXPECT_EQ(spec.root.path, "rootfs");
  EXPECT_FALSE(spec.root.readonly);
  EXPECT_EQ(spec.hostname, "0123456789ab");
  std::vector<NamespaceType> namespaces;
  for (const auto& n : spec.linux.namespaces) {
    namespaces.push_back(n.type);
    EXPECT_TRUE(n.path.empty());
  }
  EXPECT_THAT(namespaces,
              ElementsAre(NamespaceType::kPid, NamespaceType::kIpc, NamespaceType::kUts,
                          NamespaceType::kMount, NamespaceType::kNetwork, NamespaceType::kCgroup));
  EXPECT_THAT(mount_destinations(spec), ElementsAre("/proc", "/dev", "/dev/pts", "/dev/shm",
                                                    "/dev/mqueue", "/sys", "/sys/fs/cgroup"));
  EXPECT_THAT(mount_at(spec, "/sys").options, Contains("ro"));
  EXPECT_THAT(mount_at(spec, "/sys/fs/cgroup").options, Contains("ro"));
  EXPECT_EQ(spec.linux.cgroups_path, std::string("/cradle/default/") + kId);
  EXPECT_THAT(spec.linux.masked_paths, Contains("/proc/kcore"));
  EXPECT_THAT(spec.linux.masked_paths, Contains("/sys/firmware"));
  EXPECT_THAT(spec.linux.readonly_paths, ElementsAre("/proc/bus", "/proc/fs", "/proc/irq",
                                                     "/proc/sys", "/proc/sysrq-trigger"));
  EXPECT_TRUE(spec.linux.devices.empty());
  EXPECT_TRUE(spec.annotations.empty());
  EXPECT_FALSE(spec.linux.seccomp.has_value());
}

TEST_F(SpecBuilder, DefaultProcessIsRootWithDockersFourteenCapabilities) {
  Process process = parsed().process;
  EXPECT_THAT(process.args, ElementsAre("sh"));
  EXPECT_EQ(process.cwd, "/");
  EXPECT_FALSE(process.terminal);
  EXPECT_EQ(process.user.uid, 0u);
  EXPECT_EQ(process.user.gid, 0u);
  EXPECT_THAT(process.user.additional_gids, ElementsAre(10u));  // root is in wheel
  EXPECT_EQ(std::popcount(default_capabilities()), 14);
  EXPECT_EQ(process.capabilities.bounding, default_capabilities());
  EXPECT_EQ(process.capabilities.effective, default_capabilities());
  EXPECT_EQ(process.capabilities.permitted, default_capabilities());
  EXPECT_EQ(process.capabilities.inheritable, 0u);
  EXPECT_EQ(process.capabilities.ambient, 0u);
  EXPECT_FALSE(process.no_new_privileges);
  ASSERT_EQ(process.rlimits.size(), 1u);
  EXPECT_EQ(process.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(process.rlimits[0].soft, 1024u);
  EXPECT_EQ(process.rlimits[0].hard, 1024u);
  EXPECT_THAT(process.env, ElementsAre(kDefaultPath, "HOSTNAME=0123456789ab", "HOME=/root"));
}

TEST_F(SpecBuilder, DeviceRulesDenyAllThenAllowContainerdsDefaults) {
  Spec spec = parsed();
  const auto& rules = spec.linux.resources->devices;
  struct Rule {
    bool allow;
    char type;
    std::int64_t major, minor;
  };
  const std::vector<Rule> expected = {{false, 'a', -1, -1}, {true, 'c', 1, 3}, {true, 'c', 1, 8},
                                      {true, 'c', 1, 7},    {true, 'c', 5, 0}, {true, 'c', 1, 5},
                                      {true, 'c', 1, 9},    {true, 'c', 5, 1}, {true, 'c', 136, -1},
                                      {true, 'c', 5, 2}};
  ASSERT_EQ(rules.size(), expected.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(rules[i].allow, expected[i].allow) << i;
    EXPECT_EQ(rules[i].type, expected[i].type) << i;
    EXPECT_EQ(rules[i].major, expected[i].major) << i;
    EXPECT_EQ(rules[i].minor, expected[i].minor) << i;
    EXPECT_EQ(rules[i].access, "rwm") << i;
  }
}

struct ArgsCase {
  std::vector<std::string> image_entrypoint, image_cmd, entrypoint, command, expected;
};

class SpecBuilderArgs : public SpecBuilder, public ::testing::WithParamInterface<ArgsCase> {};

TEST_P(SpecBuilderArgs, FollowDockersEntrypointAndCmdRules) {
  const ArgsCase& c = GetParam();
  image_.entrypoint = c.image_entrypoint;
  image_.cmd = c.image_cmd;
  options_.entrypoint = c.entrypoint;
  options_.command = c.command;
  EXPECT_THAT(parsed().process.args, ElementsAreArray(c.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Table, SpecBuilderArgs,
    ::testing::Values(
        ArgsCase{{}, {"sh"}, {}, {}, {"sh"}},                      // the image's Cmd
        ArgsCase{{}, {"sh"}, {}, {"echo", "hi"}, {"echo", "hi"}},  // a command replaces Cmd
        ArgsCase{{"/entry"}, {"a"}, {}, {}, {"/entry", "a"}},      // Entrypoint + Cmd
        ArgsCase{{"/entry"}, {"a"}, {}, {"b"}, {"/entry", "b"}},   // Cmd replaced, not Entrypoint
        ArgsCase{{"/entry"}, {"a"}, {"/other"}, {}, {"/other"}},   // --entrypoint drops the Cmd
        ArgsCase{{"/entry"}, {"a"}, {"/other"}, {"x"}, {"/other", "x"}},
        ArgsCase{{"/entry"}, {}, {}, {}, {"/entry"}}));

TEST_F(SpecBuilder, NoCommandAnywhereIsRefused) {
  image_.cmd.clear();
  EXPECT_THAT([&] { build(); },
              fails_with("no command: the image has no Entrypoint or Cmd, and none was given"));
}

TEST_F(SpecBuilder, EnvIsImageThenOptionsLaterKeyWinning) {
  image_.env = {"PATH=/image/bin", "A=1", "B=2"};
  options_.env = {"B=3", "C=4", "A", "HOME=/custom"};  // a bare "A" unsets it, as in docker
  EXPECT_THAT(parsed().process.env, ElementsAre("PATH=/image/bin", "HOSTNAME=0123456789ab", "B=3",
                                                "C=4", "HOME=/custom"));
}

TEST_F(SpecBuilder, EnvGetsDefaultPathAndTermWithATerminal) {
  image_.env.clear();
  options_.tty = true;
  Process process = parsed().process;
  EXPECT_TRUE(process.terminal);
  EXPECT_THAT(process.env,
              ElementsAre(kDefaultPath, "HOSTNAME=0123456789ab", "TERM=xterm", "HOME=/root"));
  options_.env = {"TERM=vt100"};
  EXPECT_THAT(parsed().process.env, Contains("TERM=vt100"));
  EXPECT_THAT(parsed().process.env, Not(Contains("TERM=xterm")));
}

TEST_F(SpecBuilder, EnvWithoutAVariableNameIsRefused) {
  options_.env = {"=x"};
  EXPECT_THAT([&] { build(); }, fails_with("--env =x: the variable name is empty"));
}

TEST_F(SpecBuilder, WorkingDirComesFromTheOptionOrTheImage) {
  image_.working_dir = "app/./src";  // docker reads a relative WorkingDir from "/"
  EXPECT_EQ(parsed().process.cwd, "/app/src");
  options_.working_dir = "/srv//data/";
  EXPECT_EQ(parsed().process.cwd, "/srv/data");
  options_.working_dir = "data";
  EXPECT_THAT([&] { build(); }, fails_with("--workdir data: must be an absolute path"));
}

TEST_F(SpecBuilder, UserIsResolvedInTheImageAndLosesEffectiveCapabilities) {
  options_.user = "bob";
  Process process = parsed().process;
  EXPECT_EQ(process.user.uid, 1000u);
  EXPECT_EQ(process.user.gid, 1000u);
  EXPECT_THAT(process.user.additional_gids, ElementsAre(29u, 50u));
  EXPECT_THAT(process.env, Contains("HOME=/home/bob"));
  // As docker for a non-root user: only the bounding set, as execve would leave it.
  EXPECT_EQ(process.capabilities.bounding, default_capabilities());
  EXPECT_EQ(process.capabilities.effective, 0u);
  EXPECT_EQ(process.capabilities.permitted, 0u);
}

TEST_F(SpecBuilder, ImageUserAppliesUnlessTheOptionReplacesIt) {
  image_.user = "bob:staff";
  EXPECT_EQ(parsed().process.user.gid, 50u);
  options_.user = "0:0";
  EXPECT_EQ(parsed().process.user.uid, 0u);
  EXPECT_EQ(parsed().process.user.gid, 0u);
  options_.user = "nobody";
  EXPECT_THAT([&] { build(); }, fails_with("user \"nobody\": no such user in the image"));
}

TEST_F(SpecBuilder, CapAddAndDropAcceptAnySpelling) {
  options_.cap_add = {"NET_ADMIN", "cap_sys_ptrace", "Sys_Time"};
  options_.cap_drop = {"chown", "CAP_NET_RAW"};
  ns::CapabilityMask expected = (default_capabilities() & ~cap("CAP_CHOWN") & ~cap("CAP_NET_RAW")) |
                                cap("CAP_NET_ADMIN") | cap("CAP_SYS_PTRACE") | cap("CAP_SYS_TIME");
  Process process = parsed().process;
  EXPECT_EQ(process.capabilities.bounding, expected);
  EXPECT_EQ(process.capabilities.effective, expected);
  EXPECT_EQ(process.capabilities.permitted, expected);
}

TEST_F(SpecBuilder, CapAddAllIsEveryKnownCapabilityMinusTheDropped) {
  options_.cap_add = {"all"};
  EXPECT_EQ(parsed().process.capabilities.bounding, all_capabilities());
  EXPECT_NE(all_capabilities() & cap("CAP_SYS_ADMIN"), 0u);
  options_.cap_drop = {"NET_RAW"};
  EXPECT_EQ(parsed().process.capabilities.bounding, all_capabilities() & ~cap("CAP_NET_RAW"));
}

TEST_F(SpecBuilder, CapDropAllKeepsOnlyTheAdded) {
  options_.cap_drop = {"ALL"};
  EXPECT_EQ(parsed().process.capabilities.bounding, 0u);
  options_.cap_add = {"CHOWN"};
  EXPECT_EQ(parsed().process.capabilities.bounding, cap("CAP_CHOWN"));
}

TEST(AllCapabilities, StopAtTheRuntimesOwnBoundingSet) {
  if (::geteuid() != 0) GTEST_SKIP() << "dropping from the bounding set needs root";
  EXPECT_NE(all_capabilities() & cap("CAP_SYS_TIME"), 0u);
  EXPECT_EXIT(
      {
        if (::prctl(PR_CAPBSET_DROP, CAP_SYS_TIME) != 0) std::_Exit(2);
        std::_Exit((all_capabilities() & cap("CAP_SYS_TIME")) == 0 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(SpecBuilder, UnknownCapabilitiesAreRefusedAsGiven) {
  options_.cap_add = {"FOO"};
  EXPECT_THAT([&] { build(); }, fails_with("--cap-add FOO: unknown capability"));
  options_.cap_add = {};
  options_.cap_drop = {"cap_bar"};
  EXPECT_THAT([&] { build(); }, fails_with("--cap-drop cap_bar: unknown capability"));
}

TEST_F(SpecBuilder, PrivilegedGetsEverythingDockerGives) {
  options_.privileged = true;
  options_.cap_drop = {"CHOWN"};  // docker ignores drops for a privileged container
  Spec spec = parsed();
  EXPECT_EQ(spec.process.capabilities.bounding, all_capabilities());
  EXPECT_EQ(spec.process.capabilities.effective, all_capabilities());
  EXPECT_TRUE(spec.linux.masked_paths.empty());
  EXPECT_TRUE(spec.linux.readonly_paths.empty());
  EXPECT_THAT(mount_at(spec, "/sys").options, Not(Contains("ro")));
  EXPECT_THAT(mount_at(spec, "/sys/fs/cgroup").options, Not(Contains("ro")));
  const auto& rules = spec.linux.resources->devices;
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_TRUE(rules[0].allow);
  EXPECT_EQ(rules[0].type, 'a');
  EXPECT_EQ(rules[0].access, "rwm");
  // The host's devices come along; /dev/null is on every host, /dev/console never comes.
  bool has_null = false;
  for (const auto& d : spec.linux.devices) {
    EXPECT_NE(d.path, "/dev/console");
    EXPECT_FALSE(d.path.starts_with("/dev/pts/")) << d.path;
    if (d.path == "/dev/null") has_null = d.type == 'c' && d.major == 1 && d.minor == 3;
  }
  EXPECT_TRUE(has_null);
}

TEST_F(SpecBuilder, ReadOnlyMakesTheRootReadOnly) {
  options_.read_only = true;
  EXPECT_TRUE(parsed().root.readonly);
}

TEST_F(SpecBuilder, HostNetworkSharesTheHostsNamespaceNameAndResolver) {
  options_.network = "host";
  Spec spec = parsed();
  EXPECT_EQ(spec.find_namespace(NamespaceType::kNetwork), nullptr);
  EXPECT_NE(spec.find_namespace(NamespaceType::kUts), nullptr);
  char host[HOST_NAME_MAX + 1] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(spec.hostname, host);
  if (::access("/etc/resolv.conf", F_OK) == 0) {
    const Mount& resolv = mount_at(spec, "/etc/resolv.conf");
    EXPECT_EQ(resolv.source, "/etc/resolv.conf");
    EXPECT_THAT(resolv.options, Contains("ro"));
  }
  options_.hostname = "web";
  EXPECT_EQ(parsed().hostname, "web");
}

TEST_F(SpecBuilder, NetworkNoneHasItsOwnNamespaceAndOthersAreRefused) {
  options_.network = "none";
  EXPECT_NE(parsed().find_namespace(NamespaceType::kNetwork), nullptr);
  options_.network = "bridge";
  EXPECT_THAT([&] { build(); }, fails_with("--network bridge: only none and host are supported"));
}

TEST_F(SpecBuilder, HostnameOptionIsCheckedAndUsed) {
  options_.hostname = "db-1.example";
  EXPECT_EQ(parsed().hostname, "db-1.example");
  EXPECT_THAT(parsed().process.env, Contains("HOSTNAME=db-1.example"));
  options_.hostname = "bad_name";
  EXPECT_THAT([&] { build(); },
              fails_with("--hostname bad_name: not a valid hostname (dot-separated labels of "
                         "letters, digits and inner hyphens, at most 64 characters)"));
}

TEST_F(SpecBuilder, ResourcesBecomeCgroupLimits) {
  options_.resources = {.memory_bytes = 64 << 20, .cpus = 1.5, .pids_limit = 100};
  Spec spec = parsed();
  const auto& r = *spec.linux.resources;
  EXPECT_EQ(r.memory->limit, 64 << 20);
  EXPECT_EQ(r.cpu->quota, 150000);
  EXPECT_EQ(r.cpu->period, 100000u);
  EXPECT_FALSE(r.cpu->shares.has_value());
  EXPECT_EQ(r.pids->limit, 100);
}

TEST_F(SpecBuilder, NoResourceOptionsMeanNoLimits) {
  options_.resources.pids_limit = -1;  // docker's "unlimited"
  Spec spec = parsed();
  const auto& r = *spec.linux.resources;
  EXPECT_FALSE(r.memory.has_value());
  EXPECT_FALSE(r.cpu.has_value());
  EXPECT_FALSE(r.pids.has_value());
}

TEST_F(SpecBuilder, ResourceValuesOutOfRangeAreRefused) {
  options_.resources.memory_bytes = 1000;
  EXPECT_THAT([&] { build(); },
              fails_with("--memory 1000: below the minimum of 6 MiB (6291456 bytes)"));
  options_.resources.memory_bytes = -1;
  EXPECT_THAT([&] { build(); }, fails_with("--memory -1: must not be negative"));
  options_.resources.memory_bytes = 0;
  options_.resources.cpus = 0.001;
  EXPECT_THAT([&] { build(); }, fails_with("--cpus 0.001: must be between 0.01 and 1048576"));
  options_.resources.cpus = -2;
  EXPECT_THAT([&] { build(); }, fails_with("--cpus -2: must be between 0.01 and 1048576"));
}

TEST_F(SpecBuilder, BindMountsComeAfterTheDefaultsParentsFirst) {
  std::string data = host_.path();
  options_.mounts = {{.source = data, .destination = "/data/sub", .read_only = true},
                     {.source = data, .destination = "/data/", .read_only = false}};
  Spec spec = parsed();
  EXPECT_THAT(mount_destinations(spec),
              ElementsAre("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys",
                          "/sys/fs/cgroup", "/data", "/data/sub"));
  const Mount& sub = mount_at(spec, "/data/sub");
  EXPECT_EQ(sub.type, "bind");
  EXPECT_EQ(sub.source, data);
  EXPECT_THAT(sub.options, ElementsAre("rbind", "ro", "rprivate"));
  EXPECT_THAT(mount_at(spec, "/data").options, ElementsAre("rbind", "rprivate"));
}

TEST_F(SpecBuilder, BindMountReplacesTheDefaultAtItsDestination) {
  options_.mounts = {{.source = host_.path(), .destination = "/dev/shm", .read_only = false}};
  Spec spec = parsed();
  EXPECT_EQ(mount_at(spec, "/dev/shm").type, "bind");
  EXPECT_EQ(spec.mounts.size(), 7u);
}

TEST_F(SpecBuilder, BadBindMountsAreRefusedNamingTheVolume) {
  options_.mounts = {{.source = "data", .destination = "/data", .read_only = false}};
  EXPECT_THAT([&] { build(); },
              fails_with("--volume data:/data: the source must be an absolute path"));
  std::string missing = host_.path() + "/missing";
  options_.mounts = {{.source = missing, .destination = "/data", .read_only = false}};
  EXPECT_THAT([&] { build(); }, fails_with("--volume " + missing + ":/data: the source " + missing +
                                           " cannot be used: No such file or directory"));
  options_.mounts = {{.source = host_.path(), .destination = "data", .read_only = false}};
  EXPECT_THAT([&] { build(); }, fails_with("--volume " + host_.path() +
                                           ":data: the destination must be an absolute path"));
  options_.mounts = {{.source = host_.path(), .destination = "/", .read_only = false}};
  EXPECT_THAT([&] { build(); },
              fails_with("--volume " + host_.path() + ":/: the destination must not be /"));
  options_.mounts = {{.source = host_.path(), .destination = "/data", .read_only = false},
                     {.source = host_.path(), .destination = "/data/.", .read_only = true}};
  EXPECT_THAT([&] { build(); }, fails_with("--volume " + host_.path() +
                                           ":/data/.: /data is already a mount destination"));
}

TEST_F(SpecBuilder, InitRunsTheCommandUnderTheBoundInit) {
  options_.init = true;
  options_.command = {"echo", "hi"};
  Spec spec = parsed();
  EXPECT_THAT(spec.process.args, ElementsAre("/sbin/cradle-init", "--", "echo", "hi"));
  const Mount& init = mount_at(spec, "/sbin/cradle-init");
  EXPECT_EQ(init.source, context_.init_path);
  EXPECT_THAT(init.options, ElementsAre("bind", "ro"));
}

TEST_F(SpecBuilder, InitWithoutItsBinaryIsAFailedPrecondition) {
  options_.init = true;
  context_.init_path = host_.path() + "/nothing";
  EXPECT_THAT([&] { build(); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition,
                                    "--init: the init binary " + context_.init_path +
                                        " cannot be used: No such file or directory")));
}

}  // namespace
}  // namespace cradle
