// The crilog:// target: a process's output as CRI log entries, which cradled reads for `logs`.
#include "shim/cri_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pty.h>

#include <regex>

#include "base/file_io.h"
#include "shim/stdio_relay.h"
#include "stdio_test_util.h"

namespace cradle::shim {
namespace {

using stdio_test::run_until;

// The entries of a log with their times replaced by T, for comparing.
std::string without_times(const std::string& log) {
  static const std::regex time(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z )",
                               std::regex::multiline);
  return std::regex_replace(log, time, "T ");
}

TEST(CriLogFormat, TimesAreRfc3339WithNanoseconds) {
  EXPECT_EQ(rfc3339_nano({1795791749, 798323991}), "2026-11-27T15:02:29.798323991Z");
  EXPECT_EQ(rfc3339_nano({0, 5}), "1970-01-01T00:00:00.000000005Z");
}

class CriLogRelay : public stdio_test::StdioTest {
 protected:
  std::string log_path() const { return dir_.path() + "/c.log"; }
  std::string log() const { return without_times(read_file(log_path())); }
};

TEST_F(CriLogRelay, FullAndPartialLinesOfBothStreams) {
  std::string uri = "crilog://" + log_path();
  auto relay = StdioRelay::create(loop_, StdioConfig{"", uri, uri, false, "c", "default"});
  stdio_test::write_all(relay->process_fd(1), "one\ntwo\npart");
  EXPECT_TRUE(run_until(loop_, [&] { return log().find("part") != std::string::npos; }));
  stdio_test::write_all(relay->process_fd(2), "oops\n");
  relay->close_process_ends();
  bool done = false;
  relay->on_output_done([&] { done = true; }, std::chrono::minutes(1));
  EXPECT_TRUE(run_until(loop_, [&] { return done; }));
  EXPECT_EQ(log(),
            "T stdout F one\n"
            "T stdout F two\n"
            "T stdout P part\n"
            "T stderr F oops\n");
}

TEST_F(CriLogRelay, PtyOutputIsLoggedAsStdout) {
  int master = -1, slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  UniqueFd slave_fd(slave);
  auto relay = StdioRelay::create(
      loop_, StdioConfig{"", "crilog://" + log_path(), "", true, "c", "default"});
  relay->attach_pty(UniqueFd(master));
  stdio_test::write_all(slave_fd.get(), "prompt$ ");
  EXPECT_TRUE(run_until(loop_, [&] { return log().find("prompt") != std::string::npos; }));
  slave_fd.reset();
  bool done = false;
  relay->on_output_done([&] { done = true; }, std::chrono::minutes(1));
  EXPECT_TRUE(run_until(loop_, [&] { return done; }));
  EXPECT_EQ(log(), "T stdout P prompt$ \n");
}

}  // namespace
}  // namespace cradle::shim
