// create/run options as they reach ContainerConfig, and the values the CLI refuses itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <ostream>

#include "support/fake_daemon.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::ContainerConfig config_of(const std::vector<std::string>& options) {
  FakeDaemon daemon;
  std::vector<std::string> args = {"create"};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back("busybox");
  CliResult result = run_cli(daemon, args);
  EXPECT_EQ(result.status, 0) << result.err;
  auto creates = daemon.requests<v1::CreateContainerRequest>("Containers.Create");
  return creates.empty() ? v1::ContainerConfig() : creates.front().config();
}

TEST(CliOptions, MapToTheContainerConfig) {
  v1::ContainerConfig config = config_of({"-e",           "A=1",
                                          "--env",        "B=two words",
                                          "-v",           "/srv/data:/data",
                                          "-v",           "/etc/hosts:/h:ro",
                                          "-w",           "/work",
                                          "-u",           "1000:1000",
                                          "--hostname",   "box",
                                          "--network",    "host",
                                          "--memory",     "64m",
                                          "--cpus",       "1.5",
                                          "--pids-limit", "100",
                                          "--read-only",  "--cap-add",
                                          "NET_ADMIN",    "--cap-drop",
                                          "CAP_CHOWN",    "--cap-drop",
                                          "MKNOD",        "--privileged",
                                          "--init",       "-t"});
  EXPECT_THAT(config.env(), ElementsAre("A=1", "B=two words"));
  ASSERT_EQ(config.mounts_size(), 2);
  EXPECT_EQ(config.mounts(0).source(), "/srv/data");
  EXPECT_EQ(config.mounts(0).destination(), "/data");
  EXPECT_FALSE(config.mounts(0).read_only());
  EXPECT_EQ(config.mounts(1).source(), "/etc/hosts");
  EXPECT_EQ(config.mounts(1).destination(), "/h");
  EXPECT_TRUE(config.mounts(1).read_only());
  EXPECT_EQ(config.working_dir(), "/work");
  EXPECT_EQ(config.user(), "1000:1000");
  EXPECT_EQ(config.hostname(), "box");
  EXPECT_EQ(config.network(), "host");
  EXPECT_EQ(config.resources().memory_bytes(), 67108864);
  EXPECT_DOUBLE_EQ(config.resources().cpus(), 1.5);
  EXPECT_EQ(config.resources().pids_limit(), 100);
  EXPECT_TRUE(config.read_only());
  EXPECT_THAT(config.cap_add(), ElementsAre("NET_ADMIN"));
  EXPECT_THAT(config.cap_drop(), ElementsAre("CAP_CHOWN", "MKNOD"));
  EXPECT_TRUE(config.privileged());
  EXPECT_TRUE(config.init());
  EXPECT_TRUE(config.tty());
  EXPECT_FALSE(config.stdin_open());
  EXPECT_FALSE(config.auto_remove());
  EXPECT_THAT(config.command(), IsEmpty());  // the image's own
}

TEST(CliOptions, NothingSetMeansTheDefaults) {
  v1::ContainerConfig config = config_of({});
  EXPECT_EQ(config.resources().memory_bytes(), 0);
  EXPECT_EQ(config.resources().cpus(), 0);
  EXPECT_EQ(config.resources().pids_limit(), 0);
  EXPECT_EQ(config.network(), "");
  EXPECT_FALSE(config.privileged());
}

TEST(CliOptions, MemoryTakesDockerUnits) {
  EXPECT_EQ(config_of({"-m", "1g"}).resources().memory_bytes(), 1073741824);
  EXPECT_EQ(config_of({"--memory", "512k"}).resources().memory_bytes(), 524288);
  EXPECT_EQ(config_of({"--memory", "100000000"}).resources().memory_bytes(), 100000000);
  EXPECT_EQ(config_of({"--memory", "1.5G"}).resources().memory_bytes(), 1610612736);
  EXPECT_EQ(config_of({"--memory", "64mb"}).resources().memory_bytes(), 67108864);
}

TEST(CliOptions, EnvFilesComeFirstAndMinusEWins) {
  TempDir dir;
  std::string path = dir.path() + "/env";
  std::ofstream(path) << "# a comment\nA=from-file\n\n  B=2\nC=x=y\n";
  v1::ContainerConfig config = config_of({"--env-file", path, "-e", "A=from-flag"});
  EXPECT_THAT(config.env(), ElementsAre("A=from-file", "B=2", "C=x=y", "A=from-flag"));
}

TEST(CliOptions, ABareNameTakesTheCallersValueOrNothing) {
  ::setenv("CRADLE_CLI_TEST_PASSED", "yes", 1);
  ::unsetenv("CRADLE_CLI_TEST_UNSET");
  v1::ContainerConfig config =
      config_of({"-e", "CRADLE_CLI_TEST_PASSED", "-e", "CRADLE_CLI_TEST_UNSET"});
  EXPECT_THAT(config.env(), ElementsAre("CRADLE_CLI_TEST_PASSED=yes"));
}

TEST(CliOptions, EntrypointAndLabels) {
  FakeDaemon daemon;
  run_cli(daemon, {"create", "--entrypoint", "/bin/env", "-l", "tier=web", "busybox", "-i"});
  auto create = daemon.requests<v1::CreateContainerRequest>("Containers.Create").at(0);
  EXPECT_THAT(create.config().entrypoint(), ElementsAre("/bin/env"));
  EXPECT_THAT(create.config().command(), ElementsAre("-i"));
  EXPECT_EQ(create.labels().at("tier"), "web");
}

struct BadValue {
  std::vector<std::string> options;
  std::string message;
};

// Test names show the options, not the struct's bytes.
void PrintTo(const BadValue& value, std::ostream* out) {
  for (const auto& option : value.options)
    *out << option << ' ';
}

class CliBadOption : public ::testing::TestWithParam<BadValue> {};

TEST_P(CliBadOption, IsRefusedBeforeAnyCallWith125) {
  FakeDaemon daemon;
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), GetParam().options.begin(), GetParam().options.end());
  args.push_back("busybox");
  CliResult result = run_cli(daemon, args);
  EXPECT_EQ(result.status, 125);
  EXPECT_THAT(result.err, HasSubstr(GetParam().message));
  EXPECT_TRUE(result.err.starts_with("Error: ")) << result.err;
  EXPECT_THAT(daemon.calls(), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Values, CliBadOption,
    ::testing::Values(
        BadValue{{"--memory", "lots"},
                 "invalid value \"lots\" for --memory: expected a number of bytes"},
        BadValue{{"--memory=-5m"}, "invalid value \"-5m\" for --memory"},
        BadValue{{"--memory", "12q"}, "invalid value \"12q\" for --memory"},
        BadValue{{"--cpus", "many"}, "invalid value \"many\" for --cpus"},
        BadValue{{"--cpus", "0"}, "invalid value \"0\" for --cpus"},
        BadValue{{"-v", "relative:/x"},
                 "invalid volume \"relative:/x\": the source must be an absolute path"},
        BadValue{{"-v", "/a:b"}, "the destination must be an absolute path"},
        BadValue{{"-v", "/a"}, "expected SOURCE:DESTINATION"},
        BadValue{{"-v", "/a:/b:rx"}, "the mode must be ro or rw"},
        BadValue{{"-w", "work"}, "must be an absolute path"},
        BadValue{{"--pids-limit", "many"}, "--pids-limit"},
        BadValue{{"--env-file", "/nonexistent/env"}, "cannot read the env file /nonexistent/env"}));

}  // namespace
}  // namespace cradle::testing
