// `cradle ps`: docker's table (golden, with the clock fixed), -a, -q and --format json.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "support/fake_daemon.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

google::protobuf::Timestamp before_now(std::chrono::seconds ago) {
  google::protobuf::Timestamp at;
  at.set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>((test_now() - ago).time_since_epoch())
          .count());
  return at;
}

v1::Container container(const std::string& short_id, const std::string& name,
                        const std::string& image, v1::TaskStatus status, std::chrono::seconds age) {
  v1::Container c;
  c.set_id(short_id + std::string(52, '0'));
  c.set_name(name);
  c.set_image(image);
  c.set_status(status);
  *c.mutable_created_at() = before_now(age);
  return c;
}

class CliPs : public ::testing::Test {
 protected:
  CliPs() {
    v1::Container frozen =
        container("f00f00f00f00", "frozen", "busybox", v1::TASK_STATUS_PAUSED, 3min);
    frozen.mutable_config()->add_command("top");
    daemon_.add_container(frozen);

    v1::Container web = container("0123456789ab", "web", "busybox", v1::TASK_STATUS_RUNNING, 5s);
    for (const char* word : {"sh", "-c", "while true; do sleep 1; done"})
      web.mutable_config()->add_command(word);
    daemon_.add_container(web);

    v1::Container old = container("abcdefabcdef", "old", "docker.io/library/alpine:latest",
                                  v1::TASK_STATUS_STOPPED, 2h);
    // The spec's args win over the config: they include the image's entrypoint.
    old.set_spec_json(R"({"process": {"args": ["echo", "hi"]}})");
    old.mutable_config()->add_command("ignored");
    *old.mutable_exited_at() = before_now(2min);
    daemon_.add_container(old);

    daemon_.add_container(container("cafecafecafe", "fresh", "busybox", v1::TASK_STATUS_NONE, 30s));
  }

  FakeDaemon daemon_;
};

TEST_F(CliPs, ListsRunningAndPausedContainersNewestFirst) {
  CliResult result = run_cli(daemon_, {"ps"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS          "
            "        NAMES\n"
            "0123456789ab   busybox   \"sh -c while true; d…\"   5 seconds ago   Up 5 seconds    "
            "        web\n"
            "f00f00f00f00   busybox   \"top\"                    3 minutes ago   Up 3 minutes "
            "(Paused)   frozen\n");
  auto lists = daemon_.requests<v1::ListContainersRequest>("Containers.List");
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_FALSE(lists.front().all());
}

TEST_F(CliPs, AllListsEveryContainer) {
  CliResult result = run_cli(daemon_, {"ps", "-a"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "CONTAINER ID   IMAGE                             COMMAND                  CREATED    "
            "      STATUS                     NAMES\n"
            "0123456789ab   busybox                           \"sh -c while true; d…\"   5 seconds "
            "ago    Up 5 seconds               web\n"
            "cafecafecafe   busybox                           \"\"                       30 "
            "seconds ago   Created                    fresh\n"
            "f00f00f00f00   busybox                           \"top\"                    3 minutes "
            "ago    Up 3 minutes (Paused)      frozen\n"
            "abcdefabcdef   docker.io/library/alpine:latest   \"echo hi\"                2 hours "
            "ago      Exited (0) 2 minutes ago   old\n");
  EXPECT_TRUE(daemon_.requests<v1::ListContainersRequest>("Containers.List").front().all());
}

TEST_F(CliPs, QuietPrintsShortIds) {
  CliResult result = run_cli(daemon_, {"ps", "-aq"});
  EXPECT_EQ(result.out, "0123456789ab\ncafecafecafe\nf00f00f00f00\nabcdefabcdef\n");
}

TEST_F(CliPs, NoTruncShowsFullIdsAndCommands) {
  CliResult result = run_cli(daemon_, {"ps", "--no-trunc"});
  EXPECT_THAT(result.out, ::testing::HasSubstr("0123456789ab" + std::string(52, '0')));
  EXPECT_THAT(result.out, ::testing::HasSubstr("\"sh -c while true; do sleep 1; done\""));
}

TEST_F(CliPs, JsonIsOneObjectPerLine) {
  CliResult result = run_cli(daemon_, {"ps", "-a", "--format", "json"});
  EXPECT_EQ(result.status, 0) << result.err;
  std::istringstream lines(result.out);
  std::vector<nlohmann::json> objects;
  for (std::string line; std::getline(lines, line);)
    objects.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(objects.size(), 4u);
  EXPECT_EQ(objects[0]["ID"], "0123456789ab");
  EXPECT_EQ(objects[0]["Names"], "web");
  EXPECT_EQ(objects[0]["Image"], "busybox");
  EXPECT_EQ(objects[0]["Status"], "Up 5 seconds");
  EXPECT_EQ(objects[0]["State"], "running");
  EXPECT_EQ(objects[0]["RunningFor"], "5 seconds");
  EXPECT_EQ(objects[0]["CreatedAt"], "2024-05-01 11:59:55 +0000 UTC");
  EXPECT_EQ(objects[1]["State"], "created");
  EXPECT_EQ(objects[2]["State"], "paused");
  EXPECT_EQ(objects[3]["State"], "exited");
  EXPECT_EQ(objects[3]["Command"], "\"echo hi\"");
}

TEST_F(CliPs, AnUnknownFormatIsRefused) {
  CliResult result = run_cli(daemon_, {"ps", "--format", "yaml"});
  EXPECT_EQ(result.status, 125);
  EXPECT_TRUE(daemon_.calls().empty());
}

}  // namespace
}  // namespace cradle::testing
