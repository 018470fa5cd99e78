// cradle exec's process: the container's process with the exec's command, environment, user,
// directory and terminal; it must pass the parser containerd's Exec goes through.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "core/capability_options.h"
#include "core/spec_builder.h"
#include "core/spec_parser.h"
#include "image_rootfs_fixture.h"
#include "support/error_matcher.h"

namespace cradle {
namespace {

using ::cradle::testing::IsError;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Throws;

class ExecProcess : public ::testing::Test {
 protected:
  ExecProcess() {
    ImageConfig image;
    image.cmd = {"sh"};
    image.env = {"PATH=/bin", "A=1"};
    image.working_dir = "/srv";
    ContainerOptions options;
    options.user = "bob";
    options.cap_add = {"NET_ADMIN"};
    container_ = build_container_spec(image, options,
                                      SpecContext{.id = "c1",
                                                  .name = "c1",
                                                  .cgroups_path = {},
                                                  .image_rootfs = rootfs_.path(),
                                                  .init_path = {}});
    exec_.args = {"ls", "-l"};
  }

  Process build() {
    return parse_process_text(build_exec_process(container_, exec_, rootfs_.path()).dump());
  }

  testing::ImageRootfs rootfs_;
  nlohmann::json container_;
  ProcessOptions exec_;
};

TEST_F(ExecProcess, DefaultsAreTheContainersProcess) {
  Process process = build();
  Process container = parse_spec(container_).process;
  EXPECT_THAT(process.args, ElementsAre("ls", "-l"));
  EXPECT_EQ(process.env, container.env);
  EXPECT_EQ(process.cwd, "/srv");
  EXPECT_EQ(process.user.uid, 1000u);
  EXPECT_EQ(process.user.additional_gids, container.user.additional_gids);
  EXPECT_FALSE(process.terminal);
  EXPECT_EQ(process.capabilities.bounding,
            default_capabilities() |
                (ns::CapabilityMask{1} << *ns::capability_from_name("CAP_NET_ADMIN")));
  EXPECT_EQ(process.capabilities.bounding, container.capabilities.bounding);
  EXPECT_EQ(process.capabilities.effective, container.capabilities.effective);
  ASSERT_EQ(process.rlimits.size(), 1u);
  EXPECT_EQ(process.rlimits[0].hard, 1024u);
  EXPECT_EQ(process.no_new_privileges, container.no_new_privileges);
}

TEST_F(ExecProcess, OptionsReplaceWhatTheyName) {
  exec_.env = {"A=2", "B=3"};
  exec_.working_dir = "/tmp/";
  exec_.user = "0:50";
  exec_.tty = true;
  Process process = build();
  EXPECT_EQ(process.user.uid, 0u);
  EXPECT_EQ(process.user.gid, 50u);
  EXPECT_TRUE(process.user.additional_gids.empty());
  EXPECT_EQ(process.cwd, "/tmp");
  EXPECT_TRUE(process.terminal);
  EXPECT_THAT(process.env,
              ElementsAre("PATH=/bin", "HOSTNAME=c1", "A=2", "HOME=/root", "TERM=xterm", "B=3"));
}

TEST_F(ExecProcess, BadOptionsAreRefused) {
  exec_.user = "nobody";
  EXPECT_THAT([&] { build(); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "user \"nobody\": no such user in the image")));
  exec_.user.clear();
  exec_.working_dir = "tmp";
  EXPECT_THAT([&] { build(); }, Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                                      "--workdir tmp: must be an absolute path")));
  exec_.working_dir.clear();
  exec_.args.clear();
  EXPECT_THAT([&] { build(); }, Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                                      "exec: a command to run is required")));
  exec_.args = {"ls"};
  container_ = nlohmann::json::object();
  EXPECT_THAT([&] { build(); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "exec: the container's spec has no process to start from")));
}

}  // namespace
}  // namespace cradle
