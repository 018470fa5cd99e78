// The CLI's text helpers and value parsers, on their own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "cli/errors.h"
#include "cli/format.h"
#include "cli/option_values.h"
#include "cli/signal_names.h"

namespace cradle::cli {
namespace {

using namespace std::chrono_literals;

TEST(CliFormat, HumanDurationsReadAsDockersDo) {
  EXPECT_EQ(human_duration(300ms), "Less than a second");
  EXPECT_EQ(human_duration(1s), "1 second");
  EXPECT_EQ(human_duration(59s), "59 seconds");
  EXPECT_EQ(human_duration(60s), "About a minute");
  EXPECT_EQ(human_duration(119s), "About a minute");
  EXPECT_EQ(human_duration(59min), "59 minutes");
  EXPECT_EQ(human_duration(89min), "About an hour");
  EXPECT_EQ(human_duration(90min), "2 hours");
  EXPECT_EQ(human_duration(47h), "47 hours");
  EXPECT_EQ(human_duration(48h), "2 days");
  EXPECT_EQ(human_duration(24h * 14), "2 weeks");
  EXPECT_EQ(human_duration(24h * 60), "2 months");
  EXPECT_EQ(human_duration(24h * 365 * 3), "3 years");
}

TEST(CliFormat, Sizes) {
  EXPECT_EQ(human_size(999), "999B");
  EXPECT_EQ(human_size(1240000), "1.24MB");
  EXPECT_EQ(human_size(4'400'000'000), "4.4GB");
  EXPECT_EQ(binary_size(512), "512B");
  EXPECT_EQ(binary_size(1536), "1.5KiB");
  EXPECT_EQ(binary_size(64.0 * 1024 * 1024), "64MiB");
  EXPECT_EQ(binary_size(1.944 * 1024 * 1024 * 1024), "1.944GiB");
}

TEST(CliFormat, EllipsizeCountsCharactersNotBytes) {
  EXPECT_EQ(ellipsize("short", 20), "short");
  EXPECT_EQ(ellipsize("abcdefghij", 5), "abcd…");
  EXPECT_EQ(ellipsize("ééééé", 5), "ééééé");
  EXPECT_EQ(ellipsize("éééééé", 5), "éééé…");
  EXPECT_EQ(display_width("éé…"), 3u);
}

TEST(CliFormat, QuoteEscapes) {
  EXPECT_EQ(quote("sh -c \"x\""), "\"sh -c \\\"x\\\"\"");
  EXPECT_EQ(quote("a\\b\n\x01"), "\"a\\\\b\\n\\x01\"");
}

TEST(CliFormat, TablePadsColumnsButNotTheLast) {
  Table table({"A", "LONGER HEADER", "LAST"});
  table.add_row({"value-wider-than-ten", "x", "y"});
  EXPECT_EQ(table.render(),
            "A                      LONGER HEADER   LAST\n"
            "value-wider-than-ten   x               y\n");
}

TEST(CliFormat, Timestamps) {
  google::protobuf::Timestamp time;
  time.set_seconds(1714564800);
  time.set_nanos(42);
  EXPECT_EQ(rfc3339_nano(time), "2024-05-01T12:00:00.000000042Z");
  EXPECT_EQ(utc_date_time(to_time_point(time)), "2024-05-01 12:00:00 +0000 UTC");
  EXPECT_TRUE(is_set(time));
  EXPECT_FALSE(is_set(google::protobuf::Timestamp()));
}

TEST(CliValues, Memory) {
  EXPECT_EQ(parse_memory("--memory", "0"), 0);
  EXPECT_EQ(parse_memory("--memory", "100b"), 100);
  EXPECT_EQ(parse_memory("--memory", "64M"), 64 << 20);
  EXPECT_EQ(parse_memory("--memory", "2t"), int64_t{2} << 40);
  EXPECT_THROW(parse_memory("--memory", ""), CliError);
  EXPECT_THROW(parse_memory("--memory", "m"), CliError);
  EXPECT_THROW(parse_memory("--memory", "1.2.3m"), CliError);
  EXPECT_THROW(parse_memory("--memory", "9e30"), CliError);
}

TEST(CliValues, Signals) {
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("sigterm"), SIGTERM);
  EXPECT_EQ(parse_signal("15"), SIGTERM);
  EXPECT_EQ(parse_signal("WINCH"), SIGWINCH);
  EXPECT_EQ(parse_signal("64"), 64);
  EXPECT_THROW(parse_signal(""), CliError);
  EXPECT_THROW(parse_signal("-9"), CliError);
  EXPECT_THROW(parse_signal("SIGSIGTERM"), CliError);
}

TEST(CliErrors, CommandFailuresCarryDockersExitCodes) {
  auto code_for = [](grpc::StatusCode code, const std::string& message) {
    return exec_failure(RpcError(grpc::Status(code, message))).exit_code();
  };
  // The shim's words, whichever code the errno gave them.
  EXPECT_EQ(code_for(grpc::StatusCode::FAILED_PRECONDITION,
                     "executable file \"x\" not found in $PATH (/usr/bin:/bin)"),
            127);
  EXPECT_EQ(code_for(grpc::StatusCode::NOT_FOUND,
                     "executable file \"x\" not found in $PATH (/usr/bin:/bin)"),
            127);
  EXPECT_EQ(
      code_for(grpc::StatusCode::NOT_FOUND, "find the executable /x: No such file or directory"),
      127);
  EXPECT_EQ(code_for(grpc::StatusCode::FAILED_PRECONDITION, "exec /x: permission denied"), 126);
  EXPECT_EQ(code_for(grpc::StatusCode::PERMISSION_DENIED, "exec /etc/passwd: Permission denied"),
            126);
  // Failures that are not about the command stay cradle's own.
  EXPECT_EQ(code_for(grpc::StatusCode::FAILED_PRECONDITION, "cgroup gone"), 125);
  EXPECT_EQ(
      code_for(grpc::StatusCode::PERMISSION_DENIED, "mount /data on /data: Permission denied"),
      125);
  EXPECT_EQ(code_for(grpc::StatusCode::NOT_FOUND, "mount /x on /y: No such file or directory"),
            125);
}

TEST(CliErrors, DescribeFallsBackToTheCodesMeaning) {
  EXPECT_EQ(describe(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, ""), "/s"),
            "the daemon does not implement this call");
  EXPECT_EQ(describe(grpc::Status(grpc::StatusCode::UNAVAILABLE, "shim of web is gone"), "/s"),
            "shim of web is gone");
}

}  // namespace
}  // namespace cradle::cli
