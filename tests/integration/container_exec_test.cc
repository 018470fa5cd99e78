// Processes exec'd into a running container (core::Container::exec): they join its namespaces
// and cgroup, take the identity and limits of their own process spec, and the runtime stays
// their parent.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/error.h"
#include "core/container.h"
#include "core/spec_parser.h"
#include "shim_run.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  return out;
}

class ContainerExec : public ::testing::Test {
 protected:
  void SetUp() override {
    start([](nlohmann::json&) {});
  }
  void TearDown() override {
    if (container_) container_->destroy();
  }

  void start(const std::function<void(nlohmann::json&)>& edit) {
    if (container_) container_->destroy();
    bundle_ = std::make_unique<BusyboxBundle>(std::vector<std::string>{"sleep", "1000"});
    bundle_->config()["hostname"] = "exec-host";
    edit(bundle_->config());
    bundle_->write();
    ContainerConfig config;
    config.id = unique_id("exec");
    config.bundle_dir = bundle_->path();
    container_ = Container::create(load_spec(bundle_->path()), config, ignore_warnings);
    container_->start();
  }

  struct Output {
    int status;
    std::string out;
  };
  // Execs args with stdout and stderr on a pipe, and waits for it.
  Output exec(const std::vector<std::string>& args, uid_t uid = 0) {
    Process process = container_->spec().process;
    process.args = args;
    process.user.uid = uid;
    process.user.gid = uid;
    ns::ExecPlan plan = container_->plan_exec(process, ignore_warnings);
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    plan.process.stdio[1] = write_end.get();
    plan.process.stdio[2] = write_end.get();
    ns::ContainerProcess p = container_->exec(plan, ignore_warnings);
    p.start();
    write_end.reset();
    std::string out = read_all(read_end.get());
    return {p.wait().shell_status(), out};
  }

  static void ignore_warnings(const std::string&) {}

  std::unique_ptr<BusyboxBundle> bundle_;
  std::unique_ptr<Container> container_;
};

TEST_F(ContainerExec, JoinsTheContainersNamespacesAndCgroup) {
  Output o = exec(
      {"sh", "-c", "echo $$; hostname; grep ^0:: /proc/self/cgroup; ls /proc | grep -c '^[0-9]'"});
  EXPECT_EQ(o.status, 0);
  // Its own pid in the container's pid namespace (the init is 1), the container's hostname and
  // cgroup, and only the container's processes in /proc: sleep, sh, grep... no host process.
  EXPECT_THAT(o.out, MatchesRegex("[0-9]+\nexec-host\n0::/\n[2-5]\n"));
  EXPECT_NE(o.out.substr(0, 2), "1\n");
}

TEST_F(ContainerExec, ExitCodeComesBack) {
  EXPECT_EQ(exec({"sh", "-c", "exit 9"}).status, 9);
}

TEST_F(ContainerExec, RunsAsTheUserOfItsProcessSpec) {
  EXPECT_EQ(exec({"id", "-u"}, 1234).out, "1234\n");
}

TEST_F(ContainerExec, MissingExecutableIsAClearError) {
  try {
    exec({"no-such-tool"});
    FAIL() << "exec of a missing executable succeeded";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("executable file \"no-such-tool\" not found in $PATH"));
  }
}

TEST_F(ContainerExec, WorksInAUserNamespacedContainer) {
  start([](nlohmann::json& config) { add_user_namespace(config, 300000); });
  Output o = exec({"sh", "-c", "cat /proc/self/uid_map; id -u"});
  EXPECT_EQ(o.status, 0);
  EXPECT_THAT(o.out, MatchesRegex(" +0 +300000 +65536\n0\n"));
}

TEST_F(ContainerExec, GetsATerminalFromTheContainersDevpts) {
  Process process = container_->spec().process;
  process.args = {"sh", "-c", "tty"};
  process.terminal = true;
  ns::ExecPlan plan = container_->plan_exec(process, ignore_warnings);
  ns::ContainerProcess p = container_->exec(plan, ignore_warnings);
  UniqueFd master = p.take_pty_master();
  ASSERT_TRUE(master.valid());
  p.start();
  EXPECT_EQ(p.wait().shell_status(), 0);
  char buf[64];
  ssize_t n = ::read(master.get(), buf, sizeof buf);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)), "/dev/pts/0\r\n");
}

}  // namespace
}  // namespace cradle::testing
