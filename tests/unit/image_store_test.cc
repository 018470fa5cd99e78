#include "core/image_store.h"

#include <archive_entry.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "base/error.h"
#include "base/file_io.h"
#include "base/scope_guard.h"
#include "base/unique_fd.h"
#include "support/error_matcher.h"
#include "support/temp_dir.h"
#include "tar_builder.h"

namespace cradle {
namespace {

using ::cradle::testing::gzip;
using ::cradle::testing::IsError;
using ::cradle::testing::sha256_of;
using ::cradle::testing::TarBuilder;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Throws;

std::string hex_of(const std::string& digest) {
  return digest.substr(7);
}

// An image config with these layers and Cmd ["sh"].
std::string config_for(const std::vector<std::string>& diff_ids) {
  return json{{"architecture", "amd64"},
              {"os", "linux"},
              {"config", {{"Cmd", {"sh"}}, {"Env", {"PATH=/bin"}}}},
              {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
      .dump();
}

// docker save's layout: <layer hex>/layer.tar, <config hex>.json, manifest.json. The config
// lists the layers' real diff ids unless given.
std::string docker_archive(const std::vector<std::string>& layers, const std::string& repo_tag,
                           std::string config = {}) {
  std::vector<std::string> diff_ids;
  for (const auto& layer : layers)
    diff_ids.push_back(sha256_of(layer));
  if (config.empty()) config = config_for(diff_ids);
  TarBuilder tar;
  json layer_paths = json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::string dir = hex_of(sha256_of(layers[i]));
    tar.dir(dir).file(dir + "/layer.tar", layers[i]);
    layer_paths.push_back(dir + "/layer.tar");
  }
  std::string config_path = hex_of(sha256_of(config)) + ".json";
  tar.file(config_path, config);
  json tags = repo_tag.empty() ? json(nullptr) : json::array({repo_tag});
  tar.file(
      "manifest.json",
      json::array({{{"Config", config_path}, {"RepoTags", tags}, {"Layers", layer_paths}}}).dump());
  return tar.finish();
}

json descriptor(const std::string& media_type, const std::string& blob) {
  return {{"mediaType", media_type}, {"digest", sha256_of(blob)}, {"size", blob.size()}};
}

// An OCI image layout with one manifest whose layers are gzip-compressed. A tampered_blob
// stands in for the first layer's blob, under the real blob's name.
std::string oci_layout(const std::vector<std::string>& layers, const json& annotations,
                       const std::string& tampered_blob = "") {
  TarBuilder tar;
  std::vector<std::string> diff_ids;
  json layer_descriptors = json::array();
  tar.dir("blobs").dir("blobs/sha256");
  for (const auto& layer : layers) {
    std::string blob = gzip(layer);
    diff_ids.push_back(sha256_of(layer));
    layer_descriptors.push_back(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob));
    bool tamper = !tampered_blob.empty() && layer_descriptors.size() == 1;
    tar.file("blobs/sha256/" + hex_of(sha256_of(blob)), tamper ? tampered_blob : blob);
  }
  std::string config = config_for(diff_ids);
  tar.file("blobs/sha256/" + hex_of(sha256_of(config)), config);
  std::string manifest = json{
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
      {"config", descriptor("application/vnd.oci.image.config.v1+json", config)},
      {"layers",
       layer_descriptors}}.dump();
  tar.file("blobs/sha256/" + hex_of(sha256_of(manifest)), manifest);
  json top = descriptor("application/vnd.oci.image.manifest.v1+json", manifest);
  if (!annotations.is_null()) top["annotations"] = annotations;
  tar.file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  tar.file("index.json", json{{"schemaVersion", 2}, {"manifests", {top}}}.dump());
  return tar.finish();
}

// The bottom layer of the whiteout tests: owners, modes, links and nodes to preserve.
std::string base_layer() {
  return TarBuilder()
      .dir("./")
      .dir("etc")
      .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
      .dir("bin")
      .file("bin/tool", "#!/bin/sh\necho tool\n", 0755, {.uid = 1000, .gid = 1001})
      .file("bin/su", "su", 04755)
      .hardlink("bin/tool-again", "bin/tool")
      .symlink("bin/sh", "tool")
      .dir("data", 0750)
      .file("data/old", "old")
      .dir("dev")
      .node("dev/null", AE_IFCHR, 1, 3, 0666)
      .node("dev/fifo", AE_IFIFO, 0, 0, 0600)
      .finish();
}

// On top: deletes etc/passwd, and replaces data/ with a directory holding only "new".
std::string whiteout_layer() {
  return TarBuilder()
      .dir("etc")
      .file("etc/.wh.passwd", "")
      .file("etc/hostname", "box\n")
      .dir("data", 0750)
      .file("data/.wh..wh..opq", "")
      .file("data/new", "new")
      .finish();
}

// Bytes to read as a stream: a memfd, rewound.
UniqueFd stream_of(const std::string& bytes) {
  UniqueFd fd(::memfd_create("image-tarball", MFD_CLOEXEC));
  if (!fd) throw std::runtime_error("memfd_create failed");
  if (::write(fd.get(), bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()) ||
      ::lseek(fd.get(), 0, SEEK_SET) != 0) {
    throw std::runtime_error("writing the memfd failed");
  }
  return fd;
}

struct stat lstat_of(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) throw std::runtime_error("lstat " + path + " failed");
  return st;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class ImageStoreTest : public ::testing::Test {
 protected:
  std::vector<ImageRecord> import(const std::string& tarball, const std::string& name = "") {
    UniqueFd fd = stream_of(tarball);
    return images_.import_tar(fd.get(), name);
  }

  std::string layer_dir(const std::string& layer_tar) const {
    return root() + "/snapshots/layers/" + hex_of(sha256_of(layer_tar)) + "/fs";
  }

  const std::string& root() const { return dir_.path(); }

  // What a refused import must leave: no record, no layer, no staging directory.
  void expect_nothing_imported() {
    EXPECT_THAT(metadata_.list_images(), IsEmpty());
    EXPECT_THAT(names_in(root() + "/snapshots/layers"), IsEmpty());
    EXPECT_THAT(names_in(root() + "/content"), IsEmpty());
  }

  cradle::testing::TempDir dir_;
  MetadataStore metadata_{dir_.path()};
  ImageStore images_{dir_.path(), metadata_};
};

TEST_F(ImageStoreTest, ImportsADockerArchiveWithWhiteoutsAsOverlayWhiteouts) {
  std::string base = base_layer();
  std::string top = whiteout_layer();
  std::string tarball = docker_archive({base, top}, "example.com/app:1");
  // Through a pipe, as the daemon hands over a tarball it receives.
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  UniqueFd read_end(pipe_fds[0]);
  std::thread writer([&tarball, write_end = UniqueFd(pipe_fds[1])] {
    std::string_view rest = tarball;
    while (!rest.empty()) {
      ssize_t n = ::write(write_end.get(), rest.data(), rest.size());
      if (n <= 0) return;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  });
  std::vector<ImageRecord> records = images_.import_tar(read_end.get(), "");
  writer.join();

  ASSERT_THAT(records, ElementsAre(Field(&ImageRecord::name, "example.com/app:1")));
  EXPECT_EQ(records[0].layers, (std::vector<std::string>{sha256_of(base), sha256_of(top)}));
  EXPECT_EQ(records[0].size, 20 + 2 + 26 + 3 + 3 + 4);  // the regular files' bytes
  EXPECT_EQ(records[0].digest, sha256_of(config_for({sha256_of(base), sha256_of(top)})));
  EXPECT_EQ(metadata_.find_image("example.com/app:1").layers, records[0].layers);
  EXPECT_EQ(images_.layer_dirs(records[0]),
            (std::vector<std::string>{layer_dir(base), layer_dir(top)}));

  // The bottom layer, as its tar has it.
  std::string lower = layer_dir(base);
  struct stat tool = lstat_of(lower + "/bin/tool");
  EXPECT_EQ(tool.st_uid, 1000u);
  EXPECT_EQ(tool.st_gid, 1001u);
  EXPECT_EQ(tool.st_mode & 07777, 0755u);
  EXPECT_EQ(read_file(lower + "/bin/tool"), "#!/bin/sh\necho tool\n");
  EXPECT_EQ(lstat_of(lower + "/bin/su").st_mode & 07777, 04755u);
  EXPECT_EQ(lstat_of(lower + "/bin/tool-again").st_ino, tool.st_ino);
  EXPECT_EQ(std::filesystem::read_symlink(lower + "/bin/sh"), "tool");
  EXPECT_EQ(lstat_of(lower + "/data").st_mode & 07777, 0750u);
  struct stat null = lstat_of(lower + "/dev/null");
  EXPECT_TRUE(S_ISCHR(null.st_mode));
  EXPECT_EQ(null.st_rdev, makedev(1, 3));
  EXPECT_EQ(null.st_mode & 07777, 0666u);
  EXPECT_TRUE(S_ISFIFO(lstat_of(lower + "/dev/fifo").st_mode));
  EXPECT_EQ(lstat_of(lower + "/etc/passwd").st_mtime, 1672531200);

  // The top layer: a 0:0 character device for the deleted file, an opaque data/, no ".wh." names.
  std::string upper = layer_dir(top);
  struct stat whiteout = lstat_of(upper + "/etc/passwd");
  EXPECT_TRUE(S_ISCHR(whiteout.st_mode));
  EXPECT_EQ(whiteout.st_rdev, makedev(0, 0));
  EXPECT_THAT(names_in(upper + "/etc"), ElementsAre("hostname", "passwd"));
  char opaque[8] = {};
  EXPECT_EQ(::getxattr((upper + "/data").c_str(), "trusted.overlay.opaque", opaque, sizeof opaque),
            1);
  EXPECT_STREQ(opaque, "y");
  EXPECT_THAT(names_in(upper + "/data"), ElementsAre("new"));
  EXPECT_EQ(::getxattr((upper + "/etc").c_str(), "trusted.overlay.opaque", opaque, sizeof opaque),
            -1);
}

TEST_F(ImageStoreTest, ImportsAnOciLayoutWithGzipLayers) {
  std::string layer = TarBuilder().dir("app").file("app/run", "#!/bin/sh\n", 0755).finish();
  std::string tarball =
      oci_layout({layer}, {{"org.opencontainers.image.ref.name", "example.com/oci/app:1.0"}});
  std::vector<ImageRecord> records = import(tarball);
  ASSERT_THAT(records, ElementsAre(Field(&ImageRecord::name, "example.com/oci/app:1.0")));
  EXPECT_EQ(records[0].layers, std::vector<std::string>{sha256_of(layer)});
  EXPECT_EQ(read_file(layer_dir(layer) + "/app/run"), "#!/bin/sh\n");
  EXPECT_EQ(parse_image_config(records[0].config_json).cmd, std::vector<std::string>{"sh"});
}

TEST_F(ImageStoreTest, NamesAnUnnamedImageAfterTheGivenName) {
  std::string layer = TarBuilder().file("hello", "hi").finish();
  std::string tarball = docker_archive({layer}, "");
  std::string config_digest = sha256_of(config_for({sha256_of(layer)}));
  EXPECT_THAT(
      [&] { import(tarball); },
      Throws<Error>(IsError(ErrorCode::kInvalidArgument, "image tarball: image " + config_digest +
                                                             " has no name in it; give it one")));
  expect_nothing_imported();
  EXPECT_THAT(import(tarball, "hello"),
              ElementsAre(Field(&ImageRecord::name, "docker.io/library/hello:latest")));
  // A bare OCI ref name is only a tag: it leaves the image unnamed too.
  EXPECT_THAT(import(oci_layout({layer}, {{"org.opencontainers.image.ref.name", "1.0"}}),
                     "example.com/hello:2"),
              ElementsAre(Field(&ImageRecord::name, "example.com/hello:2")));
}

TEST_F(ImageStoreTest, ImportsTheBusyboxTarball) {
  UniqueFd fd = open_at(AT_FDCWD, CRADLE_BUSYBOX_TAR, O_RDONLY);
  std::vector<ImageRecord> records = images_.import_tar(fd.get(), "");
  ASSERT_THAT(records, ElementsAre(Field(&ImageRecord::name, "docker.io/library/busybox:latest")));
  ASSERT_EQ(records[0].layers.size(), 1u);
  std::vector<std::string> dirs = images_.layer_dirs(records[0]);
  ASSERT_EQ(dirs.size(), 1u);
  struct stat busybox = lstat_of(dirs[0] + "/bin/busybox");
  EXPECT_TRUE(S_ISREG(busybox.st_mode));
  EXPECT_NE(busybox.st_mode & 0111, 0u);
  EXPECT_GE(records[0].size, busybox.st_size);
  ImageConfig config = parse_image_config(records[0].config_json);
  EXPECT_EQ(config.cmd, std::vector<std::string>{"sh"});
  EXPECT_THAT(config.env, ElementsAre(::testing::StartsWith("PATH=")));
}

TEST_F(ImageStoreTest, RefusesALayerEntryOutsideTheLayer) {
  std::string layer = TarBuilder().file("ok", "fine").file("../evil", "gotcha").finish();
  std::string path = hex_of(sha256_of(layer)) + "/layer.tar";
  EXPECT_THAT([&] { import(docker_archive({layer}, "evil:1")); },
              Throws<Error>(IsError(
                  ErrorCode::kInvalidArgument,
                  "image tarball: layer " + path + ": entry \"../evil\" has a \"..\" component")));
  expect_nothing_imported();
  EXPECT_FALSE(exists(root() + "/snapshots/evil"));
  EXPECT_FALSE(exists(root() + "/snapshots/layers/evil"));

  std::string absolute = TarBuilder().file("/etc/evil", "gotcha").finish();
  EXPECT_THAT([&] { import(docker_archive({absolute}, "evil:1")); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "image tarball: layer " + hex_of(sha256_of(absolute)) +
                                        "/layer.tar: entry \"/etc/evil\" has an absolute path")));
  expect_nothing_imported();
}

TEST_F(ImageStoreTest, RefusesToWriteThroughASymlinkOfTheLayer) {
  cradle::testing::TempDir outside;
  std::string layer =
      TarBuilder().symlink("escape", outside.path()).file("escape/evil", "gotcha").finish();
  EXPECT_THAT([&] { import(docker_archive({layer}, "evil:1")); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "image tarball: layer " + hex_of(sha256_of(layer)) +
                                        "/layer.tar: entry \"escape/evil\": escape is not a "
                                        "directory in the layer")));
  expect_nothing_imported();
  EXPECT_FALSE(exists(outside.path() + "/evil"));
}

TEST_F(ImageStoreTest, RefusesATarballEntryOutsideTheTarball) {
  std::string tarball = TarBuilder().file("../evil", "gotcha").finish();
  EXPECT_THAT([&] { import(tarball); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "image tarball: entry \"../evil\" has a \"..\" component")));
  expect_nothing_imported();
}

TEST_F(ImageStoreTest, RefusesWhatIsNotATar) {
  EXPECT_THAT([&] { import("this is not a tarball, just some text that goes on for a while"); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "image tarball: not a tar archive (Unrecognized archive "
                                    "format)")));
  expect_nothing_imported();
}

TEST_F(ImageStoreTest, RefusesATarWithoutAManifest) {
  EXPECT_THAT([&] { import(TarBuilder().file("hello", "hi").finish()); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "image tarball: no manifest.json (docker-archive) or "
                                    "index.json (OCI image layout) in it")));
  expect_nothing_imported();
}

TEST_F(ImageStoreTest, RefusesAMissingConfig) {
  std::string layer = TarBuilder().file("hello", "hi").finish();
  std::string tarball =
      TarBuilder()
          .file("layer.tar", layer)
          .file("manifest.json",
                R"([{"Config":"missing.json","RepoTags":["a:1"],"Layers":["layer.tar"]}])")
          .finish();
  EXPECT_THAT([&] { import(tarball); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "image tarball: config missing.json is missing")));
  expect_nothing_imported();
}

TEST_F(ImageStoreTest, RefusesALayerThatDoesNotMatchItsDiffId) {
  std::string good = TarBuilder().file("good", "1").finish();
  std::string layer = TarBuilder().file("hello", "hi").finish();
  std::string claimed = sha256_of(TarBuilder().file("hello", "bye").finish());
  // The first layer is fine and unpacked before the second is found wrong: it goes too.
  std::string tarball =
      docker_archive({good, layer}, "a:1", config_for({sha256_of(good), claimed}));
  EXPECT_THAT([&] { import(tarball); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "image tarball: layer " + hex_of(sha256_of(layer)) +
                                        "/layer.tar has diff id " + sha256_of(layer) +
                                        ", the image config says " + claimed)));
  expect_nothing_imported();
}

TEST_F(ImageStoreTest, RefusesAnOciBlobThatDoesNotMatchItsDigest) {
  std::string layer = TarBuilder().file("hello", "hi").finish();
  std::string tampered = gzip(TarBuilder().file("hello", "bye").finish());
  std::string tarball =
      oci_layout({layer}, {{"io.containerd.image.name", "example.com/a:1"}}, tampered);
  EXPECT_THAT([&] { import(tarball); },
              Throws<Error>(IsError(
                  ErrorCode::kInvalidArgument,
                  "image tarball: layer blobs/sha256/" + hex_of(sha256_of(gzip(layer))) +
                      " does not match its digest (its content is " + sha256_of(tampered) + ")")));
  expect_nothing_imported();
}

TEST_F(ImageStoreTest, ImportingAgainReusesTheUnpackedLayer) {
  std::string shared = TarBuilder().file("shared", "same bytes").finish();
  std::string own = TarBuilder().file("own", "other bytes").finish();
  import(docker_archive({shared}, "first:1"));
  // A file the layer's tar does not have: it survives only if the layer is not unpacked again.
  write_file_atomic(layer_dir(shared) + "/marker", "still here");

  import(docker_archive({shared}, "first:1"));
  import(docker_archive({shared, own}, "second:1"));
  EXPECT_EQ(read_file(layer_dir(shared) + "/marker"), "still here");
  EXPECT_THAT(names_in(root() + "/snapshots/layers"),
              ::testing::UnorderedElementsAre(hex_of(sha256_of(shared)), hex_of(sha256_of(own))));
  EXPECT_THAT(metadata_.list_images(),
              ElementsAre(Field(&ImageRecord::name, "docker.io/library/first:1"),
                          Field(&ImageRecord::name, "docker.io/library/second:1")));
}

TEST_F(ImageStoreTest, RemovesAnImageOnlyWhenNoContainerUsesIt) {
  std::string shared = TarBuilder().file("shared", "same bytes").finish();
  std::string own = TarBuilder().file("own", "other bytes").finish();
  import(docker_archive({shared}, "first:1"));
  import(docker_archive({shared, own}, "second:1"));
  ContainerRecord web;
  web.ns = "default";
  web.id = std::string(64, 'a');
  web.name = "web";
  web.image = "docker.io/library/second:1";
  metadata_.add_container(web);

  EXPECT_THAT([&] { images_.remove("second:1"); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition,
                                    "image \"docker.io/library/second:1\" is used by container "
                                    "\"web\"")));
  EXPECT_TRUE(exists(layer_dir(own)));

  metadata_.remove_container("default", web.id);
  images_.remove("second:1");
  EXPECT_FALSE(exists(layer_dir(own)));
  EXPECT_TRUE(exists(layer_dir(shared)));  // first:1 still has it
  images_.remove("docker.io/library/first:1");
  expect_nothing_imported();
  EXPECT_THAT(
      [&] { images_.remove("first:1"); },
      Throws<Error>(IsError(ErrorCode::kNotFound, "no such image: docker.io/library/first:1")));
}

TEST_F(ImageStoreTest, PreparesAnOverlayRootfsWhoseWritesGoToItsUpperDir) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting an overlay needs root";
  std::string base = base_layer();
  std::string top = whiteout_layer();
  ImageRecord image = import(docker_archive({base, top}, "app:1")).at(0);
  std::string id = std::string(64, 'b');
  std::string snapshot = root() + "/snapshots/containers/" + id;

  std::vector<ns::HostMount> mounts = images_.prepare_rootfs(id, image);
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].type, "overlay");
  EXPECT_EQ(mounts[0].source, "overlay");
  EXPECT_THAT(mounts[0].options,
              ElementsAre("lowerdir=" + layer_dir(top) + ":" + layer_dir(base),
                          "upperdir=" + snapshot + "/upper", "workdir=" + snapshot + "/work"));
  EXPECT_THAT(names_in(snapshot + "/upper"), IsEmpty());

  std::string target = root() + "/rootfs";
  ASSERT_EQ(::mkdir(target.c_str(), 0755), 0);
  ns::mount_all(mounts, target);
  {
    ScopeGuard unmount([&target] { ns::unmount_all(target); });
    EXPECT_EQ(read_file(target + "/bin/tool"), "#!/bin/sh\necho tool\n");
    EXPECT_EQ(read_file(target + "/etc/hostname"), "box\n");
    EXPECT_FALSE(exists(target + "/etc/passwd"));  // the whiteout hides the lower layer's
    EXPECT_THAT(names_in(target + "/data"), ElementsAre("new"));  // opaque
    EXPECT_EQ(lstat_of(target).st_mode & 07777, 0755u);

    write_file_atomic(target + "/etc/motd", "written in the container");
    EXPECT_EQ(read_file(snapshot + "/upper/etc/motd"), "written in the container");
    EXPECT_FALSE(exists(layer_dir(top) + "/etc/motd"));
    EXPECT_FALSE(exists(layer_dir(base) + "/etc/motd"));
  }
  // Preparing again (a restart) keeps the container's changes.
  images_.prepare_rootfs(id, image);
  EXPECT_TRUE(exists(snapshot + "/upper/etc/motd"));

  images_.remove_rootfs(id);
  EXPECT_FALSE(exists(snapshot));
  EXPECT_THAT(names_in(root() + "/snapshots/containers"), IsEmpty());
  images_.remove_rootfs(id);  // already gone: fine
}

TEST(ParseImageConfig, ReadsTheConfigObjectWithNullAsEmpty) {
  ImageConfig config = parse_image_config(R"({
    "architecture": "amd64",
    "config": {"Entrypoint": ["/init"], "Cmd": null, "Env": ["A=1", "B=2"],
               "WorkingDir": "/srv", "User": "1000:1000", "StopSignal": "SIGQUIT",
               "Labels": {"org.example": "yes"}}})");
  EXPECT_EQ(config.entrypoint, std::vector<std::string>{"/init"});
  EXPECT_THAT(config.cmd, IsEmpty());
  EXPECT_EQ(config.env, (std::vector<std::string>{"A=1", "B=2"}));
  EXPECT_EQ(config.working_dir, "/srv");
  EXPECT_EQ(config.user, "1000:1000");
  EXPECT_EQ(config.stop_signal, "SIGQUIT");
  EXPECT_EQ(config.labels, (std::map<std::string, std::string>{{"org.example", "yes"}}));

  ImageConfig empty = parse_image_config(R"({"config": null})");
  EXPECT_THAT(empty.entrypoint, IsEmpty());
  EXPECT_THAT(parse_image_config("{}").env, IsEmpty());
  EXPECT_THAT([] { parse_image_config(R"({"config": {"Env": [1]}})"); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "config.Env[0]: must be a string, got number")));
}

}  // namespace
}  // namespace cradle
