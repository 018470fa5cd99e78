// `cradle image import|ls|rm`, `version` and `info`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "cli/image.h"
#include "support/fake_daemon.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 2.5 MiB that differ from chunk to chunk, so a reordering would show.
std::string tarball() {
  std::string data(cli::kImportChunkBytes * 5 / 2, '\0');
  for (std::size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<char>(i * 7 / 1000);
  return data;
}

void expect_chunks_of(const FakeDaemon& daemon, const std::string& data, const std::string& name) {
  auto chunks = daemon.requests<v1::ImportChunk>("Images.Import");
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].data().size(), cli::kImportChunkBytes);
  EXPECT_EQ(chunks[1].data().size(), cli::kImportChunkBytes);
  EXPECT_EQ(chunks[2].data().size(), cli::kImportChunkBytes / 2);
  EXPECT_EQ(chunks[0].name(), name);
  EXPECT_EQ(chunks[1].name(), "");
  EXPECT_EQ(chunks[0].data() + chunks[1].data() + chunks[2].data(), data);
}

TEST(CliImage, ImportStreamsStdinInMebibyteChunks) {
  FakeDaemon daemon;
  std::string data = tarball();
  CliResult result =
      run_cli(daemon, {"image", "import", "-", "example.com/app:1"}, {.stdin_text = data});
  EXPECT_EQ(result.status, 0) << result.err;
  expect_chunks_of(daemon, data, "example.com/app:1");
  std::string fake_digest;
  for (int i = 0; i < 32; ++i)
    fake_digest += "ab";
  EXPECT_EQ(result.out, "Imported example.com/app:1 (sha256:" + fake_digest + ")\n");
}

TEST(CliImage, ImportReadsAFile) {
  FakeDaemon daemon;
  TempDir dir;
  std::string path = dir.path() + "/image.tar";
  std::string data = tarball();
  std::ofstream(path, std::ios::binary) << data;
  CliResult result = run_cli(daemon, {"image", "import", path});
  EXPECT_EQ(result.status, 0) << result.err;
  expect_chunks_of(daemon, data, "");
}

TEST(CliImage, ImportOfAMissingFileSaysWhich) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"image", "import", "/nonexistent.tar"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: cannot open /nonexistent.tar: No such file or directory\n");
  EXPECT_TRUE(daemon.calls().empty());
}

TEST(CliImage, ImportOfAnUnreadableFileSaysWhy) {
  FakeDaemon daemon;
  TempDir dir;
  CliResult result = run_cli(daemon, {"image", "import", dir.path()});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: cannot read " + dir.path() + ": Is a directory\n");
}

TEST(CliImage, ListIsATable) {
  FakeDaemon daemon;
  v1::Image busybox;
  busybox.set_name("docker.io/library/busybox:latest");
  busybox.set_digest("sha256:0123456789abcdef0123");
  busybox.set_size(1240000);
  busybox.mutable_created_at()->set_seconds(1714564800 - 3 * 24 * 3600);
  daemon.set_images({busybox});
  CliResult result = run_cli(daemon, {"image", "ls"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "NAME                               DIGEST         CREATED      SIZE\n"
            "docker.io/library/busybox:latest   0123456789ab   3 days ago   1.24MB\n");
  EXPECT_EQ(run_cli(daemon, {"image", "ls", "-q"}).out, "docker.io/library/busybox:latest\n");
}

TEST(CliImage, RemoveNamesAMissingImage) {
  FakeDaemon daemon;
  v1::Image busybox;
  busybox.set_name("busybox");
  daemon.set_images({busybox});
  CliResult result = run_cli(daemon, {"image", "rm", "nosuch", "busybox"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: no such image: nosuch\n");
  EXPECT_EQ(result.out, "Removed busybox\n");
}

TEST(CliImage, NeedsASubcommand) {
  FakeDaemon daemon;
  EXPECT_EQ(run_cli(daemon, {"image"}).status, 125);
}

TEST(CliSystem, VersionShowsBothSides) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"version"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Client:\n Version:  "));
  EXPECT_THAT(result.out, HasSubstr("Server:\n Version:  9.9.9-fake\n Revision: fakerev\n"));
}

TEST(CliSystem, VersionWithoutADaemonStillShowsTheClient) {
  TempDir dir;
  CliResult result = run_cli_at(dir.path() + "/none.sock", {"version"});
  EXPECT_EQ(result.status, 125);
  EXPECT_THAT(result.out, HasSubstr("Client:"));
  EXPECT_THAT(result.err, HasSubstr("is cradled running?"));
}

TEST(CliSystem, InfoPrintsTheDaemonsFacts) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"info"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Containers: 0\n"));
  EXPECT_THAT(result.out, HasSubstr("Root Dir: /var/lib/cradle\n"));
  EXPECT_THAT(result.out, HasSubstr(" Controllers: cpu memory\n"));
  EXPECT_THAT(result.out, HasSubstr("Kernel Version: 6.1.0-fake\n"));
}

}  // namespace
}  // namespace cradle::testing
