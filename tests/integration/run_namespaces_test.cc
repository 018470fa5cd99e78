// Namespaces a container gets or joins: user namespace id maps, a network namespace joined by
// path, a cgroup namespace, sysctls in the new network namespace.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "shim_run.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

class RunNamespaces : public ShimRunTest {};

// A named network namespace made with `ip netns`, deleted again at the end of the test.
class NamedNetns {
 public:
  NamedNetns() : name_(unique_id("cradle-netns")) {
    ProcessResult r = run_process({"/usr/bin/ip", "netns", "add", name_});
    if (r.status != 0)
      throw std::runtime_error("ip netns add failed (is iproute2 installed?): " + r.err);
  }
  ~NamedNetns() { run_process({"/usr/bin/ip", "netns", "delete", name_}); }
  std::string path() const { return "/run/netns/" + name_; }

 private:
  std::string name_;
};

TEST_F(RunNamespaces, UserNamespaceMapsIds) {
  BusyboxBundle bundle({"sh", "-c",
                        "cat /proc/self/uid_map /proc/self/gid_map; id -u; "
                        "stat -c %u /bin/busybox; ls /dev/null"});
  add_user_namespace(bundle.config(), 100000);
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  // The image belongs to host root, which the namespace does not map: it shows as the overflow
  // uid. /dev/null is the host's node bound in, since mknod is not allowed there.
  EXPECT_THAT(r.out, ::testing::MatchesRegex(
                         " +0 +100000 +65536\n +0 +100000 +65536\n0\n65534\n/dev/null\n"));
}

TEST_F(RunNamespaces, JoinsANetworkNamespaceByPath) {
  NamedNetns netns;
  struct stat st;
  ASSERT_EQ(::stat(netns.path().c_str(), &st), 0);
  BusyboxBundle bundle({"readlink", "/proc/self/ns/net"});
  join_namespace(bundle.config(), "network", netns.path());
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "net:[" + std::to_string(st.st_ino) + "]\n");
}

TEST_F(RunNamespaces, JoinsANetworkNamespaceByPathInsideANewUserNamespace) {
  NamedNetns netns;
  struct stat st;
  ASSERT_EQ(::stat(netns.path().c_str(), &st), 0);
  BusyboxBundle bundle({"sh", "-c", "readlink /proc/self/ns/net; id -u"});
  auto& config = bundle.config();
  join_namespace(config, "network", netns.path());
  add_user_namespace(config, 200000);
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "net:[" + std::to_string(st.st_ino) + "]\n0\n");
}

TEST_F(RunNamespaces, JoiningAFileThatIsNoNamespaceIsRefused) {
  BusyboxBundle bundle({"true"});
  join_namespace(bundle.config(), "network", "/etc/hostname");
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 125);
  EXPECT_THAT(r.err, HasSubstr("linux.namespaces[1].path: /etc/hostname is not a namespace file"));
}

TEST_F(RunNamespaces, JoiningANamespaceOfAnotherKindIsRefused) {
  BusyboxBundle bundle({"true"});
  join_namespace(bundle.config(), "network", "/proc/self/ns/uts");
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 125);
  EXPECT_THAT(r.err, HasSubstr("/proc/self/ns/uts is a namespace of another kind"));
}

TEST_F(RunNamespaces, SeesItsOwnCgroupAsRoot) {
  BusyboxBundle bundle({"sh", "-c", "grep ^0:: /proc/self/cgroup; ls /sys/fs/cgroup/cgroup.procs"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "0::/\n/sys/fs/cgroup/cgroup.procs\n");
}

TEST_F(RunNamespaces, WritesSysctlsInTheContainersNamespaces) {
  BusyboxBundle bundle({"sh", "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni"});
  bundle.config()["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}, {"kernel.shmmni", "1234"}};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "1\n1234\n");
}

}  // namespace
}  // namespace cradle::testing
