#include "core/spec_parser.h"

#include <seccomp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"

namespace cradle {
namespace {

using ::testing::ElementsAre;
using ::testing::FieldsAre;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::StartsWith;

// What `runc spec` (runc 1.1.5) writes.
constexpr std::string_view kRuncSpec = R"json(
{
	"ociVersion": "1.0.2-dev",
	"process": {
		"terminal": true,
		"user": {
			"uid": 0,
			"gid": 0
		},
		"args": [
			"sh"
		],
		"env": [
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm"
		],
		"cwd": "/",
		"capabilities": {
			"bounding": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"effective": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"permitted": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"ambient": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 1024,
				"soft": 1024
			}
		],
		"noNewPrivileges": true
	},
	"root": {
		"path": "rootfs",
		"readonly": true
	},
	"hostname": "runc",
	"mounts": [
		{
			"destination": "/proc",
			"type": "proc",
			"source": "proc"
		},
		{
			"destination": "/dev",
			"type": "tmpfs",
			"source": "tmpfs",
			"options": [
				"nosuid",
				"strictatime",
				"mode=755",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/pts",
			"type": "devpts",
			"source": "devpts",
			"options": [
				"nosuid",
				"noexec",
				"newinstance",
				"ptmxmode=0666",
				"mode=0620",
				"gid=5"
			]
		},
		{
			"destination": "/dev/shm",
			"type": "tmpfs",
			"source": "shm",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"mode=1777",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/mqueue",
			"type": "mqueue",
			"source": "mqueue",
			"options": [
				"nosuid",
				"noexec",
				"nodev"
			]
		},
		{
			"destination": "/sys",
			"type": "sysfs",
			"source": "sysfs",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"ro"
			]
		},
		{
			"destination": "/sys/fs/cgroup",
			"type": "cgroup",
			"source": "cgroup",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"relatime",
				"ro"
			]
		}
	],
	"linux": {
		"resources": {
			"devices": [
				{
					"allow": false,
					"access": "rwm"
				}
			]
		},
		"namespaces": [
			{
				"type": "pid"
			},
			{
				"type": "network"
			},
			{
				"type": "ipc"
			},
			{
				"type": "uts"
			},
			{
				"type": "mount"
			}
		],
		"maskedPaths": [
			"/proc/acpi",
			"/proc/asound",
			"/proc/kcore",
			"/proc/keys",
			"/proc/latency_stats",
			"/proc/timer_list",
			"/proc/timer_stats",
			"/proc/sched_debug",
			"/sys/firmware",
			"/proc/scsi"
		],
		"readonlyPaths": [
			"/proc/bus",
			"/proc/fs",
			"/proc/irq",
			"/proc/sys",
			"/proc/sysrq-trigger"
		]
	}
})json";

ns::CapabilityMask caps(std::initializer_list<int> numbers) {
  ns::CapabilityMask mask = 0;
  for (int cap : numbers)
    mask |= ns::CapabilityMask{1} << cap;
  return mask;
}

constexpr int kCapKill = 5;
constexpr int kCapNetBindService = 10;
constexpr int kCapNetAdmin = 12;
constexpr int kCapSysAdmin = 21;
constexpr int kCapAuditWrite = 29;

TEST(ParseSpec, ReadsTheRuncDefaultSpec) {
  Spec spec = parse_spec_text(kRuncSpec);
  EXPECT_EQ(spec.oci_version, "1.0.2-dev");
  EXPECT_TRUE(spec.process.terminal);
  EXPECT_EQ(spec.process.console_size, std::nullopt);
  EXPECT_EQ(spec.process.user.uid, 0u);
  EXPECT_EQ(spec.process.user.gid, 0u);
  EXPECT_EQ(spec.process.user.umask, std::nullopt);
  EXPECT_THAT(spec.process.args, ElementsAre("sh"));
  EXPECT_THAT(spec.process.env,
              ElementsAre("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                          "TERM=xterm"));
  EXPECT_EQ(spec.process.cwd, "/");
  const auto runc_caps = caps({kCapAuditWrite, kCapKill, kCapNetBindService});
  EXPECT_EQ(spec.process.capabilities.bounding, runc_caps);
  EXPECT_EQ(spec.process.capabilities.effective, runc_caps);
  EXPECT_EQ(spec.process.capabilities.permitted, runc_caps);
  EXPECT_EQ(spec.process.capabilities.ambient, runc_caps);
  EXPECT_EQ(spec.process.capabilities.inheritable, 0u);
  ASSERT_EQ(spec.process.rlimits.size(), 1u);
  EXPECT_EQ(spec.process.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(spec.process.rlimits[0].soft, 1024u);
  EXPECT_EQ(spec.process.rlimits[0].hard, 1024u);
  EXPECT_TRUE(spec.process.no_new_privileges);
  EXPECT_EQ(spec.process.oom_score_adj, std::nullopt);
  EXPECT_EQ(spec.root.path, "rootfs");
  EXPECT_TRUE(spec.root.readonly);
  EXPECT_EQ(spec.hostname, "runc");
  EXPECT_EQ(spec.domainname, "");
  ASSERT_EQ(spec.mounts.size(), 7u);
  EXPECT_EQ(spec.mounts[0].destination, "/proc");
  EXPECT_EQ(spec.mounts[0].type, "proc");
  EXPECT_EQ(spec.mounts[0].source, "proc");
  EXPECT_TRUE(spec.mounts[0].options.empty());
  EXPECT_EQ(spec.mounts[2].destination, "/dev/pts");
  EXPECT_THAT(spec.mounts[2].options, ElementsAre("nosuid", "noexec", "newinstance",
                                                  "ptmxmode=0666", "mode=0620", "gid=5"));
  EXPECT_EQ(spec.mounts[6].destination, "/sys/fs/cgroup");
  EXPECT_EQ(spec.mounts[6].type, "cgroup");
  EXPECT_TRUE(spec.hooks.prestart.empty());
  EXPECT_TRUE(spec.annotations.empty());
  ASSERT_TRUE(spec.linux.resources.has_value());
  EXPECT_THAT(spec.linux.resources->devices, ElementsAre(FieldsAre(false, 'a', -1, -1, "rwm")));
  EXPECT_EQ(spec.linux.resources->memory, std::nullopt);
  std::vector<NamespaceType> types;
  for (const auto& ns : spec.linux.namespaces) {
    types.push_back(ns.type);
    EXPECT_EQ(ns.path, "");
  }
  EXPECT_THAT(types, ElementsAre(NamespaceType::kPid, NamespaceType::kNetwork, NamespaceType::kIpc,
                                 NamespaceType::kUts, NamespaceType::kMount));
  EXPECT_THAT(spec.linux.masked_paths,
              ElementsAre("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                          "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                          "/proc/sched_debug", "/sys/firmware", "/proc/scsi"));
  EXPECT_THAT(spec.linux.readonly_paths, ElementsAre("/proc/bus", "/proc/fs", "/proc/irq",
                                                     "/proc/sys", "/proc/sysrq-trigger"));
  EXPECT_EQ(spec.linux.seccomp, std::nullopt);
  EXPECT_EQ(spec.linux.rootfs_propagation, Propagation::kUnset);
  EXPECT_EQ(spec.linux.cgroups_path, "");
}

// Every field cradle reads, each set to something other than its default.
constexpr std::string_view kMaximalSpec = R"json({
  "ociVersion": "1.2.0",
  "process": {
    "terminal": true,
    "consoleSize": {"height": 40, "width": 120},
    "user": {"uid": 1000, "gid": 1001, "umask": 18, "additionalGids": [5, 6]},
    "args": ["/bin/server", "--port", "80"],
    "env": ["PATH=/bin", "EMPTY="],
    "cwd": "/srv//data/",
    "capabilities": {
      "bounding": ["CAP_NET_ADMIN", "CAP_SYS_ADMIN"],
      "effective": ["CAP_NET_ADMIN"],
      "permitted": ["CAP_NET_ADMIN", "CAP_KILL"],
      "inheritable": ["CAP_KILL"],
      "ambient": ["CAP_SYS_ADMIN"]
    },
    "rlimits": [
      {"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 4096},
      {"type": "RLIMIT_CORE", "soft": 18446744073709551615, "hard": 18446744073709551615}
    ],
    "noNewPrivileges": true,
    "oomScoreAdj": -500,
    "apparmorProfile": "cradle-default",
    "selinuxLabel": "system_u:system_r:container_t:s0",
    "commandLine": "ignored, a Windows field"
  },
  "root": {"path": "/var/lib/cradle/rootfs", "readonly": true},
  "hostname": "box",
  "domainname": "example.org",
  "mounts": [
    {"destination": "/data/../mnt//x/", "type": "bind", "source": "/host/x",
     "options": ["rbind", "ro"]}
  ],
  "hooks": {
    "prestart": [{"path": "/bin/pre", "args": ["pre", "-v"], "env": ["A=1"], "timeout": 5}],
    "createRuntime": [{"path": "/bin/cr"}],
    "createContainer": [{"path": "/bin/cc"}],
    "startContainer": [{"path": "/bin/sc"}],
    "poststart": [{"path": "/bin/ps"}],
    "poststop": [{"path": "/bin/pst"}, {"path": "/bin/pst2"}]
  },
  "annotations": {"org.example/key": "value"},
  "someFutureField": {"anything": [1, 2, 3]},
  "linux": {
    "namespaces": [
      {"type": "pid"}, {"type": "network", "path": "/run/netns/n1"}, {"type": "mount"},
      {"type": "ipc"}, {"type": "uts"}, {"type": "user"}, {"type": "cgroup"}, {"type": "time"}
    ],
    "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
    "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 1}],
    "devices": [
      {"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0,
       "gid": 0},
      {"type": "p", "path": "/dev/pipe"}
    ],
    "sysctl": {"net.ipv4.ip_forward": "1", "kernel.shmmax": "65536",
               "fs.mqueue.msg_max": "10", "kernel.domainname": "x"},
    "seccomp": {
      "defaultAction": "SCMP_ACT_ERRNO",
      "defaultErrnoRet": 38,
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
      "listenerPath": "/run/listener.sock",
      "listenerMetadata": "meta",
      "syscalls": [
        {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"},
                  {"index": 1, "value": 255, "valueTwo": 18446744073709551615,
                   "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
        {"names": ["ptrace"], "action": "SCMP_ACT_NOTIFY"}
      ]
    },
    "rootfsPropagation": "rslave",
    "maskedPaths": ["/proc/kcore"],
    "readonlyPaths": ["/proc/sys/"],
    "cgroupsPath": "/cradle/box",
    "mountLabel": "system_u:object_r:container_file_t:s0",
    "intelRdt": {"closID": "ignored"},
    "resources": {
      "memory": {"limit": 536870912, "reservation": 268435456, "swap": -1, "kernel": 1,
                 "kernelTCP": 2, "swappiness": 60, "disableOOMKiller": true,
                 "useHierarchy": false, "checkBeforeUpdate": true},
      "cpu": {"shares": 1024, "quota": 50000, "burst": 1000, "period": 100000,
              "realtimeRuntime": 950000, "realtimePeriod": 1000000, "cpus": "0-1",
              "mems": "0", "idle": 1},
      "pids": {"limit": 100},
      "blockIO": {
        "weight": 500, "leafWeight": 300,
        "weightDevice": [{"major": 8, "minor": 0, "weight": 600, "leafWeight": 200},
                         {"major": 8, "minor": 16}],
        "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
        "throttleWriteBpsDevice": [{"major": 8, "minor": 1, "rate": 2097152}],
        "throttleReadIOPSDevice": [{"major": 8, "minor": 2, "rate": 100}],
        "throttleWriteIOPSDevice": [{"major": 8, "minor": 3, "rate": 200}]
      },
      "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
      "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
      "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}, "mlx4_0": {}},
      "devices": [
        {"allow": false, "access": "rwm"},
        {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"},
        {"allow": true, "type": "b", "major": 8}
      ],
      "unified": {"memory.high": "400000000", "io.weight": "default 100"}
    }
  }
})json";

TEST(ParseSpec, ReadsEveryFieldOfAMaximalSpec) {
  Spec spec = parse_spec_text(kMaximalSpec);
  EXPECT_EQ(spec.oci_version, "1.2.0");

  const Process& process = spec.process;
  EXPECT_TRUE(process.terminal);
  ASSERT_TRUE(process.console_size.has_value());
  EXPECT_EQ(process.console_size->height, 40u);
  EXPECT_EQ(process.console_size->width, 120u);
  EXPECT_EQ(process.user.uid, 1000u);
  EXPECT_EQ(process.user.gid, 1001u);
  EXPECT_THAT(process.user.umask, Optional(022u));
  EXPECT_THAT(process.user.additional_gids, ElementsAre(5u, 6u));
  EXPECT_THAT(process.args, ElementsAre("/bin/server", "--port", "80"));
  EXPECT_THAT(process.env, ElementsAre("PATH=/bin", "EMPTY="));
  EXPECT_EQ(process.cwd, "/srv/data");
  EXPECT_EQ(process.capabilities.bounding, caps({kCapNetAdmin, kCapSysAdmin}));
  EXPECT_EQ(process.capabilities.effective, caps({kCapNetAdmin}));
  EXPECT_EQ(process.capabilities.permitted, caps({kCapNetAdmin, kCapKill}));
  EXPECT_EQ(process.capabilities.inheritable, caps({kCapKill}));
  EXPECT_EQ(process.capabilities.ambient, caps({kCapSysAdmin}));
  constexpr auto kUint64Max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_THAT(process.rlimits, ElementsAre(FieldsAre(RLIMIT_NOFILE, 1024u, 4096u),
                                           FieldsAre(RLIMIT_CORE, kUint64Max, kUint64Max)));
  EXPECT_TRUE(process.no_new_privileges);
  EXPECT_THAT(process.oom_score_adj, Optional(-500));
  EXPECT_EQ(process.apparmor_profile, "cradle-default");
  EXPECT_EQ(process.selinux_label, "system_u:system_r:container_t:s0");

  EXPECT_EQ(spec.root.path, "/var/lib/cradle/rootfs");
  EXPECT_TRUE(spec.root.readonly);
  EXPECT_EQ(spec.hostname, "box");
  EXPECT_EQ(spec.domainname, "example.org");
  ASSERT_EQ(spec.mounts.size(), 1u);
  EXPECT_EQ(spec.mounts[0].destination, "/mnt/x");
  EXPECT_EQ(spec.mounts[0].type, "bind");
  EXPECT_EQ(spec.mounts[0].source, "/host/x");
  EXPECT_THAT(spec.mounts[0].options, ElementsAre("rbind", "ro"));

  ASSERT_EQ(spec.hooks.prestart.size(), 1u);
  EXPECT_EQ(spec.hooks.prestart[0].path, "/bin/pre");
  EXPECT_THAT(spec.hooks.prestart[0].args, ElementsAre("pre", "-v"));
  EXPECT_THAT(spec.hooks.prestart[0].env, ElementsAre("A=1"));
  EXPECT_THAT(spec.hooks.prestart[0].timeout_seconds, Optional(5));
  ASSERT_EQ(spec.hooks.create_runtime.size(), 1u);
  EXPECT_EQ(spec.hooks.create_runtime[0].path, "/bin/cr");
  EXPECT_EQ(spec.hooks.create_runtime[0].timeout_seconds, std::nullopt);
  ASSERT_EQ(spec.hooks.create_container.size(), 1u);
  EXPECT_EQ(spec.hooks.create_container[0].path, "/bin/cc");
  ASSERT_EQ(spec.hooks.start_container.size(), 1u);
  EXPECT_EQ(spec.hooks.start_container[0].path, "/bin/sc");
  ASSERT_EQ(spec.hooks.poststart.size(), 1u);
  EXPECT_EQ(spec.hooks.poststart[0].path, "/bin/ps");
  ASSERT_EQ(spec.hooks.poststop.size(), 2u);
  EXPECT_EQ(spec.hooks.poststop[1].path, "/bin/pst2");
  EXPECT_THAT(spec.annotations, ElementsAre(Pair("org.example/key", "value")));

  const Linux& linux = spec.linux;
  ASSERT_EQ(linux.namespaces.size(), 8u);
  EXPECT_EQ(linux.namespaces[1].type, NamespaceType::kNetwork);
  EXPECT_EQ(linux.namespaces[1].path, "/run/netns/n1");
  EXPECT_EQ(linux.namespaces[5].type, NamespaceType::kUser);
  EXPECT_EQ(linux.namespaces[6].type, NamespaceType::kCgroup);
  EXPECT_EQ(linux.namespaces[7].type, NamespaceType::kTime);
  EXPECT_THAT(linux.uid_mappings, ElementsAre(FieldsAre(0u, 100000u, 65536u)));
  EXPECT_THAT(linux.gid_mappings, ElementsAre(FieldsAre(0u, 200000u, 1u)));
  EXPECT_THAT(
      linux.devices,
      ElementsAre(FieldsAre('c', "/dev/fuse", 10, 229, Optional(0666u), Optional(0u), Optional(0u)),
                  FieldsAre('p', "/dev/pipe", 0, 0, std::nullopt, std::nullopt, std::nullopt)));
  EXPECT_THAT(linux.sysctl,
              ElementsAre(Pair("fs.mqueue.msg_max", "10"), Pair("kernel.domainname", "x"),
                          Pair("kernel.shmmax", "65536"), Pair("net.ipv4.ip_forward", "1")));

  ASSERT_TRUE(linux.seccomp.has_value());
  const ns::SeccompProfile& seccomp = *linux.seccomp;
  EXPECT_EQ(seccomp.default_action, ns::SeccompAction::kErrno);
  EXPECT_THAT(seccomp.default_errno_ret, Optional(38u));
  EXPECT_THAT(seccomp.architectures, ElementsAre(SCMP_ARCH_X86_64, SCMP_ARCH_X86));
  EXPECT_EQ(seccomp.filter_flags, SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW);
  EXPECT_EQ(seccomp.listener_path, "/run/listener.sock");
  EXPECT_EQ(seccomp.listener_metadata, "meta");
  ASSERT_EQ(seccomp.syscalls.size(), 4u);
  EXPECT_THAT(seccomp.syscalls[0].names, ElementsAre("read", "write"));
  EXPECT_EQ(seccomp.syscalls[0].action, ns::SeccompAction::kAllow);
  EXPECT_EQ(seccomp.syscalls[0].errno_ret, std::nullopt);
  EXPECT_THAT(seccomp.syscalls[1].args,
              ElementsAre(FieldsAre(0u, 8u, 0u, ns::SeccompOperator::kEqualTo),
                          FieldsAre(1u, 255u, kUint64Max, ns::SeccompOperator::kMaskedEqual)));
  EXPECT_EQ(seccomp.syscalls[2].action, ns::SeccompAction::kErrno);
  EXPECT_THAT(seccomp.syscalls[2].errno_ret, Optional(1u));
  EXPECT_EQ(seccomp.syscalls[3].action, ns::SeccompAction::kNotify);

  EXPECT_EQ(linux.rootfs_propagation, Propagation::kSlave);
  EXPECT_TRUE(linux.rootfs_propagation_recursive);
  EXPECT_THAT(linux.masked_paths, ElementsAre("/proc/kcore"));
  EXPECT_THAT(linux.readonly_paths, ElementsAre("/proc/sys"));
  EXPECT_EQ(linux.cgroups_path, "/cradle/box");
  EXPECT_EQ(linux.mount_label, "system_u:object_r:container_file_t:s0");

  ASSERT_TRUE(linux.resources.has_value());
  const cgroups::Resources& resources = *linux.resources;
  ASSERT_TRUE(resources.memory.has_value());
  EXPECT_THAT(*resources.memory, FieldsAre(Optional(536870912), Optional(268435456), Optional(-1),
                                           Optional(1), Optional(2), Optional(60u), Optional(true),
                                           Optional(false), Optional(true)));
  ASSERT_TRUE(resources.cpu.has_value());
  EXPECT_THAT(*resources.cpu,
              FieldsAre(Optional(1024u), Optional(50000), Optional(1000u), Optional(100000u),
                        Optional(950000), Optional(1000000u), "0-1", "0", Optional(1)));
  ASSERT_TRUE(resources.pids.has_value());
  EXPECT_THAT(resources.pids->limit, Optional(100));
  ASSERT_TRUE(resources.block_io.has_value());
  const cgroups::BlockIoResources& block_io = *resources.block_io;
  EXPECT_THAT(block_io.weight, Optional(500));
  EXPECT_THAT(block_io.leaf_weight, Optional(300));
  EXPECT_THAT(block_io.weight_device, ElementsAre(FieldsAre(8, 0, Optional(600), Optional(200)),
                                                  FieldsAre(8, 16, std::nullopt, std::nullopt)));
  EXPECT_THAT(block_io.throttle_read_bps_device, ElementsAre(FieldsAre(8, 0, 1048576u)));
  EXPECT_THAT(block_io.throttle_write_bps_device, ElementsAre(FieldsAre(8, 1, 2097152u)));
  EXPECT_THAT(block_io.throttle_read_iops_device, ElementsAre(FieldsAre(8, 2, 100u)));
  EXPECT_THAT(block_io.throttle_write_iops_device, ElementsAre(FieldsAre(8, 3, 200u)));
  EXPECT_THAT(resources.hugepage_limits, ElementsAre(FieldsAre("2MB", 209715200u)));
  ASSERT_TRUE(resources.network.has_value());
  EXPECT_THAT(resources.network->class_id, Optional(1048577u));
  EXPECT_THAT(resources.network->priorities, ElementsAre(Pair("eth0", 500u)));
  EXPECT_THAT(resources.rdma,
              ElementsAre(Pair("mlx4_0", FieldsAre(std::nullopt, std::nullopt)),
                          Pair("mlx5_1", FieldsAre(Optional(3u), Optional(10000u)))));
  EXPECT_THAT(resources.devices,
              ElementsAre(FieldsAre(false, 'a', -1, -1, "rwm"), FieldsAre(true, 'c', 10, 229, "rw"),
                          FieldsAre(true, 'b', 8, -1, "rwm")));
  EXPECT_THAT(resources.unified,
              ElementsAre(Pair("io.weight", "default 100"), Pair("memory.high", "400000000")));
}

TEST(ParseSpec, ReadsPropagationWithoutTheRecursivePrefix) {
  nlohmann::json config = nlohmann::json::parse(kRuncSpec);
  config["linux"]["rootfsPropagation"] = "private";
  Spec spec = parse_spec(config);
  EXPECT_EQ(spec.linux.rootfs_propagation, Propagation::kPrivate);
  EXPECT_FALSE(spec.linux.rootfs_propagation_recursive);
}

TEST(ParseSpec, ReadsNullAsAbsent) {
  nlohmann::json config = nlohmann::json::parse(kRuncSpec);
  config["hostname"] = nullptr;
  config["linux"]["resources"] = nullptr;
  Spec spec = parse_spec(config);
  EXPECT_EQ(spec.hostname, "");
  EXPECT_EQ(spec.linux.resources, std::nullopt);
}

// The smallest config parse_spec accepts; error tests change one thing in it.
nlohmann::json minimal_config() {
  return nlohmann::json::parse(R"({
    "ociVersion": "1.2.0",
    "process": {"args": ["sh"], "cwd": "/"},
    "root": {"path": "rootfs"},
    "linux": {"namespaces": [{"type": "mount"}]}
  })");
}

TEST(ParseSpec, AcceptsTheMinimalConfig) {
  Spec spec = parse_spec(minimal_config());
  EXPECT_THAT(spec.process.args, ElementsAre("sh"));
  EXPECT_EQ(spec.root.path, "rootfs");
}

// "<code>: <message>" of the error parse_spec throws.
std::string error_of(const nlohmann::json& config) {
  try {
    parse_spec(config);
  } catch (const Error& e) {
    return std::string(error_code_name(e.code())) + ": " + e.what();
  }
  return "no error";
}

std::string error_of_text(std::string_view text) {
  try {
    parse_spec_text(text);
  } catch (const Error& e) {
    return std::string(error_code_name(e.code())) + ": " + e.what();
  }
  return "no error";
}

// minimal_config() with the value at pointer replaced by the JSON value.
nlohmann::json with(const std::string& pointer, std::string_view value) {
  nlohmann::json config = minimal_config();
  config[nlohmann::json::json_pointer(pointer)] = nlohmann::json::parse(value);
  return config;
}

nlohmann::json without(const std::string& pointer) {
  nlohmann::json config = minimal_config();
  nlohmann::json::json_pointer ptr(pointer);
  config[ptr.parent_pointer()].erase(ptr.back());
  return config;
}

TEST(ParseSpecError, InvalidJson) {
  EXPECT_THAT(error_of_text("{\"ociVersion\": "),
              StartsWith("InvalidArgument: config.json: not valid JSON: "
                         "[json.exception.parse_error.101] parse error at line 1, column 16"));
}

TEST(ParseSpecError, DocumentNotAnObject) {
  EXPECT_EQ(error_of_text("[1]"), "InvalidArgument: config.json: must be an object, got array");
}

TEST(ParseSpecError, RequiredFieldMissing) {
  EXPECT_EQ(error_of(without("/ociVersion")), "InvalidArgument: ociVersion: required");
  EXPECT_EQ(error_of(without("/process")), "InvalidArgument: process: required");
  EXPECT_EQ(error_of(without("/process/args")), "InvalidArgument: process.args: required");
  EXPECT_EQ(error_of(without("/process/cwd")), "InvalidArgument: process.cwd: required");
  EXPECT_EQ(error_of(without("/root/path")), "InvalidArgument: root.path: required");
  EXPECT_EQ(error_of(with("/mounts", R"([{"source": "x"}])")),
            "InvalidArgument: mounts[0].destination: required");
}

TEST(ParseSpecError, WrongJsonType) {
  EXPECT_EQ(error_of(with("/hostname", "5")),
            "InvalidArgument: hostname: must be a string, got number");
  EXPECT_EQ(error_of(with("/process/terminal", R"("yes")")),
            "InvalidArgument: process.terminal: must be a boolean, got string");
  EXPECT_EQ(error_of(with("/mounts", "{}")),
            "InvalidArgument: mounts: must be an array, got object");
  EXPECT_EQ(error_of(with("/linux", "[]")), "InvalidArgument: linux: must be an object, got array");
  EXPECT_EQ(error_of(with("/process/args", R"(["sh", 1])")),
            "InvalidArgument: process.args[1]: must be a string, got number");
  EXPECT_EQ(error_of(with("/process/user", R"({"uid": "0"})")),
            "InvalidArgument: process.user.uid: must be an integer, got string");
  EXPECT_EQ(error_of(with("/annotations", R"({"a": 1})")),
            "InvalidArgument: annotations.a: must be a string, got number");
}

TEST(ParseSpecError, NumberNotAnInteger) {
  EXPECT_EQ(error_of(with("/process/user", R"({"uid": 1.5})")),
            "InvalidArgument: process.user.uid: must be an integer, got 1.5");
}

TEST(ParseSpecError, NegativeUnsigned) {
  EXPECT_EQ(error_of(with("/process/user", R"({"uid": -1})")),
            "InvalidArgument: process.user.uid: must not be negative, got -1");
  EXPECT_EQ(
      error_of(with("/process/rlimits", R"([{"type": "RLIMIT_CORE", "soft": -1, "hard": 0}])")),
      "InvalidArgument: process.rlimits[0].soft: must not be negative, got -1");
}

TEST(ParseSpecError, IntegerOutOfRange) {
  EXPECT_EQ(error_of(with("/process/user", R"({"gid": 4294967296})")),
            "InvalidArgument: process.user.gid: must be at most 4294967295, got 4294967296");
  EXPECT_EQ(error_of(with("/linux/resources", R"({"memory": {"limit": 9223372036854775808}})")),
            "InvalidArgument: linux.resources.memory.limit: must be at most "
            "9223372036854775807, got 9223372036854775808");
  EXPECT_EQ(error_of(with("/process/oomScoreAdj", "1001")),
            "InvalidArgument: process.oomScoreAdj: must be between -1000 and 1000, got 1001");
  EXPECT_EQ(error_of(with("/process/user", R"({"umask": 512})")),
            "InvalidArgument: process.user.umask: must be at most 511, got 512");
  EXPECT_EQ(error_of(with("/linux/resources", R"({"blockIO": {"weight": 65536}})")),
            "InvalidArgument: linux.resources.blockIO.weight: must be at most 65535, got 65536");
}

TEST(ParseSpecError, ArgsEmpty) {
  EXPECT_EQ(error_of(with("/process/args", "[]")),
            "InvalidArgument: process.args: must not be empty");
}

TEST(ParseSpecError, EnvWithoutEquals) {
  EXPECT_EQ(error_of(with("/process/env", R"(["A=1", "FOO"])")),
            "InvalidArgument: process.env[1]: must have the form KEY=value, got \"FOO\"");
  EXPECT_EQ(error_of(with("/hooks", R"({"poststart": [{"path": "/bin/x", "env": ["X"]}]})")),
            "InvalidArgument: hooks.poststart[0].env[0]: must have the form KEY=value, got \"X\"");
}

TEST(ParseSpecError, RelativePaths) {
  EXPECT_EQ(error_of(with("/process/cwd", R"("srv")")),
            "InvalidArgument: process.cwd: must be an absolute path, got \"srv\"");
  EXPECT_EQ(error_of(with("/mounts", R"([{"destination": "/a"}, {"destination": "/b"},
                                         {"destination": "/c"}, {"destination": "tmp"}])")),
            "InvalidArgument: mounts[3].destination: must be an absolute path, got \"tmp\"");
  EXPECT_EQ(error_of(with("/hooks", R"({"poststop": [{"path": "bin/x"}]})")),
            "InvalidArgument: hooks.poststop[0].path: must be an absolute path, got \"bin/x\"");
  EXPECT_EQ(error_of(with("/linux/maskedPaths", R"(["proc/kcore"])")),
            "InvalidArgument: linux.maskedPaths[0]: must be an absolute path, got "
            "\"proc/kcore\"");
  EXPECT_EQ(error_of(with("/linux/readonlyPaths", R"(["/proc/sys", ""])")),
            "InvalidArgument: linux.readonlyPaths[1]: must be an absolute path, got \"\"");
  EXPECT_EQ(error_of(with("/linux/devices", R"([{"type": "c", "path": "null"}])")),
            "InvalidArgument: linux.devices[0].path: must be an absolute path, got \"null\"");
  EXPECT_EQ(error_of(with("/linux/namespaces/1", R"({"type": "pid", "path": "ns/pid"})")),
            "InvalidArgument: linux.namespaces[1].path: must be an absolute path, got "
            "\"ns/pid\"");
}

TEST(ParseSpecError, UnknownCapability) {
  EXPECT_EQ(error_of(with("/process/capabilities",
                          R"({"bounding": ["CAP_KILL", "CAP_CHOWN", "CAP_FOO"]})")),
            "InvalidArgument: process.capabilities.bounding[2]: unknown capability \"CAP_FOO\"");
  EXPECT_EQ(error_of(with("/process/capabilities", R"({"ambient": ["cap_kill"]})")),
            "InvalidArgument: process.capabilities.ambient[0]: unknown capability \"cap_kill\"");
}

TEST(ParseSpecError, BadRlimits) {
  EXPECT_EQ(error_of(with("/process/rlimits", R"([{"type": "RLIMIT_FOO", "soft": 1, "hard": 1}])")),
            "InvalidArgument: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"");
  EXPECT_EQ(error_of(with("/process/rlimits", R"([{"type": "RLIMIT_NOFILE", "soft": 1,
                                                   "hard": 1},
                                                  {"type": "RLIMIT_NOFILE", "soft": 2,
                                                   "hard": 2}])")),
            "InvalidArgument: process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\"");
  EXPECT_EQ(error_of(with("/process/rlimits",
                          R"([{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}])")),
            "InvalidArgument: process.rlimits[0]: soft limit 2048 exceeds hard limit 1024");
  EXPECT_EQ(error_of(with("/process/rlimits", R"([{"type": "RLIMIT_NOFILE", "soft": 1}])")),
            "InvalidArgument: process.rlimits[0].hard: required");
}

TEST(ParseSpecError, ConsoleSizeIncomplete) {
  EXPECT_EQ(error_of(with("/process/consoleSize", R"({"height": 24})")),
            "InvalidArgument: process.consoleSize.width: required");
}

TEST(ParseSpecError, IdmappedMountsAreUnsupported) {
  EXPECT_EQ(error_of(with("/mounts", R"([{"destination": "/a", "type": "bind", "source": "/b",
      "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}])")),
            "Unimplemented: mounts[0].uidMappings: idmapped mounts are not supported");
}

TEST(ParseSpecError, BadHookTimeout) {
  EXPECT_EQ(error_of(with("/hooks", R"({"prestart": [{"path": "/bin/x", "timeout": 0}]})")),
            "InvalidArgument: hooks.prestart[0].timeout: must be at least 1, got 0");
}

TEST(ParseSpecError, EmptyAnnotationKey) {
  EXPECT_EQ(error_of(with("/annotations", R"({"": "x"})")),
            "InvalidArgument: annotations[\"\"]: keys must not be empty");
}

TEST(ParseSpecError, BadNamespaces) {
  EXPECT_EQ(error_of(with("/linux/namespaces/1", R"({"type": "net"})")),
            "InvalidArgument: linux.namespaces[1].type: unknown namespace type \"net\"");
  EXPECT_EQ(error_of(with("/linux/namespaces/1", R"({"type": "mount"})")),
            "InvalidArgument: linux.namespaces[1].type: duplicate namespace type \"mount\"");
}

TEST(ParseSpecError, MountNamespaceMissing) {
  EXPECT_EQ(error_of(with("/linux/namespaces", "[]")),
            "InvalidArgument: linux.namespaces: must include a mount namespace: cradle sets up "
            "the root filesystem in one");
  EXPECT_EQ(error_of(without("/linux")),
            "InvalidArgument: linux.namespaces: must include a mount namespace: cradle sets up "
            "the root filesystem in one");
}

TEST(ParseSpecError, IdMappingSizeZero) {
  nlohmann::json config = with("/linux/namespaces/1", R"({"type": "user"})");
  config["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 0}}};
  EXPECT_EQ(error_of(config),
            "InvalidArgument: linux.uidMappings[0].size: must be at least 1, got 0");
}

TEST(ParseSpecError, IdMappingsWithoutUserNamespace) {
  EXPECT_EQ(error_of(with("/linux/gidMappings", R"([{"containerID": 0, "hostID": 1000,
                                                    "size": 1}])")),
            "InvalidArgument: linux.gidMappings: needs a user namespace, and linux.namespaces "
            "has none");
}

TEST(ParseSpecError, NewUserNamespaceWithoutMappings) {
  nlohmann::json config = with("/linux/namespaces/1", R"({"type": "user"})");
  EXPECT_EQ(error_of(config),
            "InvalidArgument: linux.uidMappings: required by a new user namespace");
  config["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
  EXPECT_EQ(error_of(config),
            "InvalidArgument: linux.gidMappings: required by a new user namespace");
  config["linux"]["gidMappings"] = config["linux"]["uidMappings"];
  EXPECT_EQ(error_of(config), "no error");
}

TEST(ParseSpec, AcceptsAJoinedUserNamespaceWithoutMappings) {
  EXPECT_EQ(error_of(with("/linux/namespaces/1", R"({"type": "user", "path": "/proc/1/ns/user"})")),
            "no error");
}

TEST(ParseSpecError, HostnameWithoutNewUtsNamespace) {
  EXPECT_EQ(error_of(with("/hostname", R"("box")")),
            "InvalidArgument: hostname: needs a new uts namespace, and linux.namespaces has none");
  nlohmann::json joined = with("/domainname", R"("example.org")");
  joined["linux"]["namespaces"].push_back({{"type", "uts"}, {"path", "/proc/1/ns/uts"}});
  EXPECT_EQ(error_of(joined),
            "InvalidArgument: domainname: needs a new uts namespace, not the one joined at "
            "\"/proc/1/ns/uts\"");
}

TEST(ParseSpecError, BadDevices) {
  EXPECT_EQ(error_of(with("/linux/devices", R"([{"type": "x", "path": "/dev/x"}])")),
            "InvalidArgument: linux.devices[0].type: must be one of \"c\", \"b\", \"u\", \"p\", "
            "got \"x\"");
  EXPECT_EQ(error_of(with("/linux/devices", R"([{"type": "b", "path": "/dev/sda", "major": 8}])")),
            "InvalidArgument: linux.devices[0].minor: required");
}

TEST(ParseSpecError, SysctlOutsideTheContainersNamespaces) {
  EXPECT_EQ(error_of(with("/linux/sysctl", R"({"kernel.shmmax": "1"})")),
            "InvalidArgument: linux.sysctl[\"kernel.shmmax\"]: not allowed in the host's ipc "
            "namespace (linux.namespaces has no ipc namespace)");
  EXPECT_EQ(error_of(with("/linux/sysctl", R"({"net.ipv4.ip_forward": "1"})")),
            "InvalidArgument: linux.sysctl[\"net.ipv4.ip_forward\"]: not allowed in the host's "
            "network namespace (linux.namespaces has no network namespace)");
  EXPECT_EQ(error_of(with("/linux/sysctl", R"({"vm.swappiness": "1"})")),
            "InvalidArgument: linux.sysctl[\"vm.swappiness\"]: not allowed: it is not in a "
            "namespace of the container");
  nlohmann::json uts = with("/linux/sysctl", R"({"kernel.hostname": "x"})");
  uts["linux"]["namespaces"].push_back({{"type", "uts"}});
  EXPECT_EQ(error_of(uts),
            "InvalidArgument: linux.sysctl[\"kernel.hostname\"]: not allowed: use "
            "the hostname field");
}

TEST(ParseSpec, AcceptsNetworkSysctlsInAJoinedNetworkNamespace) {
  nlohmann::json config = with("/linux/sysctl", R"({"net.core.somaxconn": "1024"})");
  config["linux"]["namespaces"].push_back({{"type", "network"}, {"path", "/run/netns/cni-1"}});
  EXPECT_EQ(error_of(config), "no error");
}

TEST(ParseSpecError, BadRootfsPropagation) {
  EXPECT_EQ(error_of(with("/linux/rootfsPropagation", R"("rfoo")")),
            "InvalidArgument: linux.rootfsPropagation: must be shared, slave, private or "
            "unbindable, or one of them with an r prefix, got \"rfoo\"");
}

// minimal_config() with linux.seccomp set to the profile.
nlohmann::json with_seccomp(std::string_view profile) {
  return with("/linux/seccomp", profile);
}

TEST(ParseSpecError, BadSeccompProfile) {
  EXPECT_EQ(error_of(with_seccomp(R"({"syscalls": []})")),
            "InvalidArgument: linux.seccomp.defaultAction: required");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_FOO"})")),
            "InvalidArgument: linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\"");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
                                      "defaultErrnoRet": 1})")),
            "InvalidArgument: linux.seccomp.defaultErrnoRet: only SCMP_ACT_ERRNO and "
            "SCMP_ACT_TRACE take an errno, not SCMP_ACT_ALLOW");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
                                      "architectures": ["SCMP_ARCH_PDP11"]})")),
            "InvalidArgument: linux.seccomp.architectures[0]: unknown architecture "
            "\"SCMP_ARCH_PDP11\"");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
                                      "flags": ["SECCOMP_FILTER_FLAG_FOO"]})")),
            "InvalidArgument: linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\"");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
                                      "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]})")),
            "InvalidArgument: linux.seccomp.syscalls[0].names: must not be empty");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
                                      "syscalls": [{"names": ["read"], "action": "SCMP_ACT_KILL",
                                                    "errnoRet": 1}]})")),
            "InvalidArgument: linux.seccomp.syscalls[0].errnoRet: only SCMP_ACT_ERRNO and "
            "SCMP_ACT_TRACE take an errno, not SCMP_ACT_KILL");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
                                      "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
                                                    "errnoRet": 65536}]})")),
            "InvalidArgument: linux.seccomp.syscalls[0].errnoRet: must be at most 65535, got "
            "65536");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
                    "args": [{"index": 6, "value": 0, "op": "SCMP_CMP_EQ"}]}]})")),
            "InvalidArgument: linux.seccomp.syscalls[0].args[0].index: must be at most 5, got 6");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
                    "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_APPROX"}]}]})")),
            "InvalidArgument: linux.seccomp.syscalls[0].args[0].op: unknown operator "
            "\"SCMP_CMP_APPROX\"");
  EXPECT_EQ(error_of(with_seccomp(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_NOTIFY"}]})")),
            "InvalidArgument: linux.seccomp.listenerPath: required when an action is "
            "SCMP_ACT_NOTIFY");
}

TEST(ParseSpecError, BadResources) {
  EXPECT_EQ(error_of(with("/linux/resources", R"({"pids": {}})")),
            "InvalidArgument: linux.resources.pids.limit: required");
  EXPECT_EQ(error_of(with("/linux/resources", R"({"devices": [{"allow": true, "type": "p"}]})")),
            "InvalidArgument: linux.resources.devices[0].type: must be one of \"a\", \"c\", "
            "\"b\", got \"p\"");
  EXPECT_EQ(error_of(with("/linux/resources", R"({"devices": [{"allow": true, "access": "rx"}]})")),
            "InvalidArgument: linux.resources.devices[0].access: must be made of r, w and m, got "
            "\"rx\"");
  EXPECT_EQ(error_of(with("/linux/resources", R"({"devices": [{"access": "r"}]})")),
            "InvalidArgument: linux.resources.devices[0].allow: required");
  EXPECT_EQ(error_of(with("/linux/resources", R"({"devices": [{"allow": true, "major": -2}]})")),
            "InvalidArgument: linux.resources.devices[0].major: must be at least -1, got -2");
}

// A bundle directory that is removed with everything in it when the test ends.
class BundleDir {
 public:
  BundleDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cradle-bundle-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) throw_errno("mkdtemp");
    path_ = pattern;
  }
  ~BundleDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  void write_config(std::string_view text) const { std::ofstream(path_ + "/config.json") << text; }

 private:
  std::string path_;
};

TEST(LoadSpec, ResolvesTheRootAgainstTheBundle) {
  BundleDir bundle;
  bundle.write_config(kRuncSpec);
  Spec spec = load_spec(bundle.path());
  EXPECT_EQ(spec.root.path, bundle.path() + "/rootfs");
  EXPECT_EQ(spec.hostname, "runc");
}

TEST(LoadSpec, ResolvesARelativeBundleAgainstTheCurrentDirectory) {
  BundleDir bundle;
  bundle.write_config(kRuncSpec);
  std::filesystem::path bundle_path(bundle.path());
  std::filesystem::path old_cwd = std::filesystem::current_path();
  std::filesystem::current_path(bundle_path.parent_path());
  std::string root;
  try {
    root = load_spec(bundle_path.filename().string() + "/").root.path;
  } catch (...) {
    std::filesystem::current_path(old_cwd);
    throw;
  }
  std::filesystem::current_path(old_cwd);
  EXPECT_EQ(root, bundle.path() + "/rootfs");
}

TEST(LoadSpec, KeepsAnAbsoluteRoot) {
  BundleDir bundle;
  nlohmann::json config = minimal_config();
  config["root"]["path"] = "/srv/rootfs/";
  bundle.write_config(config.dump());
  EXPECT_EQ(load_spec(bundle.path()).root.path, "/srv/rootfs");
}

TEST(LoadSpec, ReportsAMissingConfig) {
  BundleDir bundle;
  try {
    load_spec(bundle.path());
    FAIL() << "load_spec succeeded without a config.json";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(std::string(e.what()),
              "config.json: open " + bundle.path() + "/config.json: No such file or directory");
  }
}

}  // namespace
}  // namespace cradle
