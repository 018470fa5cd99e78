#include "shim/stdio_uri.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "support/error_matcher.h"

namespace cradle::shim {
namespace {

using ::cradle::testing::IsError;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Throws;
using Kind = StdioTarget::Kind;

TEST(ParseStdioTarget, EmptyIsNull) {
  EXPECT_EQ(parse_stdio_target("", "stdout").kind, Kind::kNull);
}

TEST(ParseStdioTarget, APathWithoutSchemeIsAFifo) {
  auto target = parse_stdio_target("/run/containerd/fifo/123/c-stdout", "stdout");
  EXPECT_EQ(target.kind, Kind::kFifo);
  EXPECT_EQ(target.path, "/run/containerd/fifo/123/c-stdout");
  // A colon alone is no scheme.
  EXPECT_EQ(parse_stdio_target("/tmp/a:b", "stdout").path, "/tmp/a:b");
}

TEST(ParseStdioTarget, FileTakesTheDecodedPathAndIgnoresHostAndQuery) {
  auto target = parse_stdio_target("file:///var/log/c%201.log?x=1", "stdout");
  EXPECT_EQ(target.kind, Kind::kFile);
  EXPECT_EQ(target.path, "/var/log/c 1.log");
  EXPECT_THAT(target.args, IsEmpty());
  EXPECT_EQ(parse_stdio_target("file://host/var/log", "stdout").path, "/var/log");
}

TEST(ParseStdioTarget, BinaryQueryPairsBecomeArgumentsInUrlOrder) {
  auto target = parse_stdio_target(
      "binary:///usr/bin/logger?tag=my+app&path=%2Fvar%2Flog&flag&tag=again&empty=", "stdout");
  EXPECT_EQ(target.kind, Kind::kBinary);
  EXPECT_EQ(target.path, "/usr/bin/logger");
  EXPECT_THAT(target.args,
              ElementsAre("tag", "my app", "path", "/var/log", "flag", "", "empty", ""));
}

TEST(ParseStdioTarget, BadUrisAreSentences) {
  EXPECT_THAT([] { parse_stdio_target("syslog:///x", "stderr"); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "stderr: unsupported stdio scheme \"syslog\" (want a FIFO "
                                    "path, file://, binary:// or crilog://)")));
  EXPECT_THAT([] { parse_stdio_target("binary://logger", "stdout"); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "stdout: binary://logger has no absolute path")));
  EXPECT_THAT(
      [] { parse_stdio_target("binary:///l?a=%zz", "stdout"); },
      Throws<Error>(IsError(ErrorCode::kInvalidArgument, "stdout: invalid escape \"%zz\" in URI")));
}

}  // namespace
}  // namespace cradle::shim
