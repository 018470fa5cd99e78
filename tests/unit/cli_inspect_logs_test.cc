// `cradle inspect`, `cradle logs` and `cradle events`: what they ask and how they print it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fake_daemon.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;

v1::Container add(FakeDaemon& daemon, const std::string& name) {
  v1::Container container;
  container.set_name(name);
  container.set_image("busybox");
  container.set_status(v1::TASK_STATUS_RUNNING);
  return daemon.add_container(container);
}

google::protobuf::Timestamp at(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp time;
  time.set_seconds(seconds);
  time.set_nanos(nanos);
  return time;
}

TEST(CliInspect, PrintsAJsonArrayOfTheContainers) {
  FakeDaemon daemon;
  std::string web = add(daemon, "web").id();
  std::string db = add(daemon, "db").id();
  CliResult result = run_cli(daemon, {"inspect", "web", "db"});
  EXPECT_EQ(result.status, 0) << result.err;
  auto json = nlohmann::json::parse(result.out);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["id"], web);
  EXPECT_EQ(json[0]["name"], "web");
  EXPECT_EQ(json[0]["image"], "busybox");
  EXPECT_EQ(json[0]["status"], "TASK_STATUS_RUNNING");
  EXPECT_EQ(json[0]["exitStatus"], 0);  // zero values are shown too
  EXPECT_EQ(json[1]["id"], db);
}

TEST(CliInspect, OneNameIsStillAnArray) {
  FakeDaemon daemon;
  add(daemon, "web");
  auto json = nlohmann::json::parse(run_cli(daemon, {"inspect", "web"}).out);
  ASSERT_TRUE(json.is_array());
  EXPECT_EQ(json.size(), 1u);
}

TEST(CliInspect, PrintsWhatItFoundAndNamesWhatItDidNot) {
  FakeDaemon daemon;
  add(daemon, "web");
  CliResult result = run_cli(daemon, {"inspect", "missing", "web"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: no such container: missing\n");
  auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["name"], "web");
}

TEST(CliLogs, SendsTheTailAndPrintsEachEntryToItsStream) {
  FakeDaemon daemon;
  std::string id = add(daemon, "web").id();
  v1::LogEntry out;
  out.set_stream("stdout");
  out.set_data("two\n");
  v1::LogEntry err;
  err.set_stream("stderr");
  err.set_data("three\n");
  daemon.set_logs({out, err});
  CliResult result = run_cli(daemon, {"logs", "--tail", "2", "web"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "two\n");
  EXPECT_EQ(result.err, "three\n");
  auto requests = daemon.requests<v1::LogsRequest>("Tasks.Logs");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].container_id(), id);
  EXPECT_EQ(requests[0].tail(), 2);
  EXPECT_FALSE(requests[0].follow());
}

TEST(CliLogs, DefaultsToEverythingAndFollowsOnRequest) {
  FakeDaemon daemon;
  add(daemon, "web");
  run_cli(daemon, {"logs", "-f", "web"});
  auto request = daemon.requests<v1::LogsRequest>("Tasks.Logs").at(0);
  EXPECT_EQ(request.tail(), -1);
  EXPECT_TRUE(request.follow());
}

TEST(CliLogs, TimestampsPrefixEachEntry) {
  FakeDaemon daemon;
  add(daemon, "web");
  v1::LogEntry entry;
  entry.set_stream("stdout");
  entry.set_data("hello\n");
  *entry.mutable_time() = at(1714564800, 5);
  daemon.set_logs({entry});
  EXPECT_EQ(run_cli(daemon, {"logs", "-t", "web"}).out, "2024-05-01T12:00:00.000000005Z hello\n");
}

TEST(CliLogs, ABadTailIsRefused) {
  FakeDaemon daemon;
  add(daemon, "web");
  CliResult result = run_cli(daemon, {"logs", "--tail", "some", "web"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err,
            "Error: invalid value \"some\" for --tail: expected a number of lines or all\n");
}

TEST(CliEvents, PrintsOneLinePerEventWithTheFilters) {
  FakeDaemon daemon;
  v1::Envelope exit;
  *exit.mutable_timestamp() = at(1714564800, 123456789);
  exit.set_namespace_("default");
  exit.set_topic("/tasks/exit");
  exit.set_event_json(R"({"container_id":"abc","exit_status":0})");
  v1::Envelope create = exit;
  create.set_topic("/containers/create");
  create.set_event_json(R"({"id":"abc"})");
  daemon.set_events({create, exit});
  CliResult result =
      run_cli(daemon, {"events", "--filter", "topic~=/tasks/", "-f", "namespace==default"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "2024-05-01T12:00:00.123456789Z default /containers/create {\"id\":\"abc\"}\n"
            "2024-05-01T12:00:00.123456789Z default /tasks/exit "
            "{\"container_id\":\"abc\",\"exit_status\":0}\n");
  auto subscribe = daemon.requests<v1::SubscribeRequest>("Events.Subscribe").at(0);
  EXPECT_THAT(subscribe.filters(), ElementsAre("topic~=/tasks/", "namespace==default"));
}

}  // namespace
}  // namespace cradle::testing
