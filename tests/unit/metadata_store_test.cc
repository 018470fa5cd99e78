#include "core/metadata_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "base/error.h"
#include "support/error_matcher.h"
#include "support/temp_dir.h"

namespace cradle {
namespace {

using ::cradle::testing::IsError;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Throws;

// A 64-hex-digit id starting with prefix.
std::string id_with_prefix(const std::string& prefix) {
  return prefix + std::string(64 - prefix.size(), '0');
}

ContainerRecord container(const std::string& ns, const std::string& id, const std::string& name) {
  ContainerRecord r;
  r.ns = ns;
  r.id = id;
  r.name = name;
  r.image = "docker.io/library/busybox:latest";
  r.labels = {{"app", "web"}, {"tier", "front"}};
  r.options.command = {"sh", "-c", "echo hi"};
  r.options.env = {"A=1"};
  r.options.network = "host";
  r.options.mounts = {MountOption{.source = "/srv", .destination = "/data", .read_only = true}};
  r.options.resources = ResourceOptions{.memory_bytes = 64 << 20, .cpus = 1.5, .pids_limit = 100};
  r.options.cap_add = {"NET_ADMIN"};
  r.options.tty = true;
  r.options.auto_remove = true;
  r.spec_json = R"({"ociVersion":"1.2.0"})";
  r.created_at_ns = 1700000000123456789;
  return r;
}

ImageRecord image(const std::string& name, const std::vector<std::string>& layers) {
  return ImageRecord{.name = name,
                     .digest = "sha256:" + std::string(64, 'c'),
                     .config_json = R"({"config":{"Cmd":["sh"]}})",
                     .layers = layers,
                     .size = 4096,
                     .created_at_ns = 1700000000000000000};
}

void expect_same(const ContainerRecord& a, const ContainerRecord& b) {
  EXPECT_EQ(a.ns, b.ns);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.image, b.image);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.options.command, b.options.command);
  EXPECT_EQ(a.options.env, b.options.env);
  EXPECT_EQ(a.options.network, b.options.network);
  ASSERT_EQ(a.options.mounts.size(), b.options.mounts.size());
  for (std::size_t i = 0; i < a.options.mounts.size(); ++i) {
    EXPECT_EQ(a.options.mounts[i].source, b.options.mounts[i].source);
    EXPECT_EQ(a.options.mounts[i].destination, b.options.mounts[i].destination);
    EXPECT_EQ(a.options.mounts[i].read_only, b.options.mounts[i].read_only);
  }
  EXPECT_EQ(a.options.resources.memory_bytes, b.options.resources.memory_bytes);
  EXPECT_EQ(a.options.resources.cpus, b.options.resources.cpus);
  EXPECT_EQ(a.options.resources.pids_limit, b.options.resources.pids_limit);
  EXPECT_EQ(a.options.cap_add, b.options.cap_add);
  EXPECT_EQ(a.options.tty, b.options.tty);
  EXPECT_EQ(a.options.auto_remove, b.options.auto_remove);
  EXPECT_EQ(a.spec_json, b.spec_json);
  EXPECT_EQ(a.created_at_ns, b.created_at_ns);
  ASSERT_EQ(a.last_exit.has_value(), b.last_exit.has_value());
  if (a.last_exit) {
    EXPECT_EQ(a.last_exit->status, b.last_exit->status);
    EXPECT_EQ(a.last_exit->exited_at_ns, b.last_exit->exited_at_ns);
    EXPECT_EQ(a.last_exit->reason, b.last_exit->reason);
  }
}

class MetadataStoreTest : public ::testing::Test {
 protected:
  std::string db_path() const { return dir_.path() + "/meta.db"; }

  cradle::testing::TempDir dir_;
  std::unique_ptr<MetadataStore> store_ = std::make_unique<MetadataStore>(dir_.path());
};

TEST_F(MetadataStoreTest, AddsFindsUpdatesListsAndRemovesContainers) {
  ContainerRecord web = container("default", id_with_prefix("a1"), "web");
  store_->add_container(web);
  expect_same(store_->find_container("default", "web"), web);

  web.name = "web2";
  web.labels["tier"] = "back";
  web.options.env.push_back("B=2");
  store_->update_container(web);
  expect_same(store_->find_container("default", web.id), web);

  ContainerRecord db = container("default", id_with_prefix("b2"), "db");
  db.created_at_ns = web.created_at_ns + 1;
  store_->add_container(db);
  EXPECT_THAT(store_->list_containers("default"), ElementsAre(Field(&ContainerRecord::name, "web2"),
                                                              Field(&ContainerRecord::name, "db")));
  EXPECT_TRUE(store_->list_containers("other").empty());

  store_->remove_container("default", web.id);
  EXPECT_THAT(store_->list_containers("default"), ElementsAre(Field(&ContainerRecord::name, "db")));
  EXPECT_THAT([&] { store_->remove_container("default", web.id); },
              Throws<Error>(IsError(ErrorCode::kNotFound, "no such container: " + web.id)));
  EXPECT_THAT([&] { store_->update_container(web); },
              Throws<Error>(IsError(ErrorCode::kNotFound, "no such container: " + web.id)));
}

TEST_F(MetadataStoreTest, NamesAndIdsAreUniqueWithinANamespace) {
  store_->add_container(container("default", id_with_prefix("a1"), "web"));
  EXPECT_THAT([&] { store_->add_container(container("default", id_with_prefix("b2"), "web")); },
              Throws<Error>(
                  IsError(ErrorCode::kAlreadyExists, "container name \"web\" is already in use")));
  EXPECT_THAT(
      [&] { store_->add_container(container("default", id_with_prefix("a1"), "api")); },
      Throws<Error>(IsError(ErrorCode::kAlreadyExists,
                            "container id \"" + id_with_prefix("a1") + "\" is already in use")));
  // Another namespace has names and ids of its own.
  store_->add_container(container("k8s.io", id_with_prefix("a1"), "web"));
  EXPECT_EQ(store_->list_all_containers().size(), 2u);

  ContainerRecord api = container("default", id_with_prefix("c3"), "api");
  store_->add_container(api);
  api.name = "web";
  EXPECT_THAT([&] { store_->update_container(api); },
              Throws<Error>(
                  IsError(ErrorCode::kAlreadyExists, "container name \"web\" is already in use")));
  EXPECT_EQ(store_->find_container("default", api.id).name, "api");
}

TEST_F(MetadataStoreTest, FindsByNameIdOrUniqueIdPrefix) {
  store_->add_container(container("default", id_with_prefix("ab12"), "web"));
  store_->add_container(container("default", id_with_prefix("ab34"), "db"));
  store_->add_container(container("other", id_with_prefix("cd"), "cache"));

  EXPECT_EQ(store_->find_container("default", "web").id, id_with_prefix("ab12"));
  EXPECT_EQ(store_->find_container("default", id_with_prefix("ab34")).name, "db");
  EXPECT_EQ(store_->find_container("default", "ab1").name, "web");
  EXPECT_EQ(store_->find_container("default", "ab3").name, "db");
  EXPECT_THAT([&] { store_->find_container("default", "ab"); },
              Throws<Error>(
                  IsError(ErrorCode::kInvalidArgument, "container id prefix \"ab\" is ambiguous")));
  EXPECT_THAT([&] { store_->find_container("default", "a"); },
              Throws<Error>(
                  IsError(ErrorCode::kInvalidArgument, "container id prefix \"a\" is ambiguous")));
  // Not across namespaces, and a LIKE wildcard is no prefix.
  EXPECT_THAT([&] { store_->find_container("default", "cd"); },
              Throws<Error>(IsError(ErrorCode::kNotFound, "no such container: cd")));
  EXPECT_THAT([&] { store_->find_container("default", "%"); },
              Throws<Error>(IsError(ErrorCode::kNotFound, "no such container: %")));
  EXPECT_THAT([&] { store_->find_container("default", "cache"); },
              Throws<Error>(IsError(ErrorCode::kNotFound, "no such container: cache")));
  EXPECT_THAT([&] { store_->find_container("default", ""); },
              Throws<Error>(IsError(ErrorCode::kNotFound, "no such container: ")));
}

TEST_F(MetadataStoreTest, LastExitRoundTrips) {
  ContainerRecord web = container("default", id_with_prefix("a1"), "web");
  store_->add_container(web);
  EXPECT_FALSE(store_->find_container("default", "web").last_exit.has_value());

  web.last_exit = ExitInfo{.status = 137, .exited_at_ns = 1700000001000000000, .reason = ""};
  store_->update_container(web);
  expect_same(store_->find_container("default", "web"), web);

  web.last_exit =
      ExitInfo{.status = 255, .exited_at_ns = 1700000002000000000, .reason = "the shim died"};
  store_->update_container(web);
  store_.reset();
  store_ = std::make_unique<MetadataStore>(dir_.path());
  expect_same(store_->find_container("default", "web"), web);

  web.last_exit.reset();
  store_->update_container(web);
  EXPECT_FALSE(store_->find_container("default", "web").last_exit.has_value());
}

TEST_F(MetadataStoreTest, PersistsAcrossReopenInWalMode) {
  ContainerRecord web = container("default", id_with_prefix("a1"), "web");
  store_->add_container(web);
  store_->put_image(image("docker.io/library/busybox:latest", {"sha256:" + std::string(64, 'a')}));
  store_.reset();

  store_ = std::make_unique<MetadataStore>(dir_.path());
  expect_same(store_->find_container("default", "web"), web);
  EXPECT_EQ(store_->find_image("docker.io/library/busybox:latest").layers,
            std::vector<std::string>{"sha256:" + std::string(64, 'a')});
  // Bytes 18 and 19 of the database header are 2 in WAL mode (SQLite's file format).
  std::ifstream file(db_path(), std::ios::binary);
  std::string header(std::istreambuf_iterator<char>(file), {});
  ASSERT_GE(header.size(), 20u);
  EXPECT_EQ(header[18], 2);
  EXPECT_EQ(header[19], 2);
}

TEST_F(MetadataStoreTest, RefusesADatabaseOfANewerSchema) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THAT([&] { MetadataStore reopened(dir_.path()); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition,
                                    db_path() + ": schema version 99 is newer than this cradled "
                                                "knows (1)")));
}

TEST_F(MetadataStoreTest, StoresFindsReplacesAndRemovesImages) {
  std::string layer_a = "sha256:" + std::string(64, 'a');
  std::string layer_b = "sha256:" + std::string(64, 'b');
  store_->put_images({image("docker.io/library/busybox:latest", {layer_a}),
                      image("docker.io/library/alpine:3", {layer_a, layer_b})});
  ImageRecord alpine = store_->find_image("docker.io/library/alpine:3");
  EXPECT_EQ(alpine.layers, (std::vector<std::string>{layer_a, layer_b}));
  EXPECT_EQ(alpine.size, 4096);
  EXPECT_EQ(alpine.config_json, R"({"config":{"Cmd":["sh"]}})");

  ImageRecord replacement = image("docker.io/library/alpine:3", {layer_b});
  replacement.digest = "sha256:" + std::string(64, 'd');
  store_->put_image(replacement);
  EXPECT_EQ(store_->find_image("docker.io/library/alpine:3").digest, replacement.digest);
  EXPECT_THAT(store_->list_images(),
              ElementsAre(Field(&ImageRecord::name, "docker.io/library/alpine:3"),
                          Field(&ImageRecord::name, "docker.io/library/busybox:latest")));

  store_->remove_image("docker.io/library/alpine:3");
  EXPECT_THAT(
      [&] { store_->find_image("docker.io/library/alpine:3"); },
      Throws<Error>(IsError(ErrorCode::kNotFound, "no such image: docker.io/library/alpine:3")));
  EXPECT_THAT(
      [&] { store_->remove_image("docker.io/library/alpine:3"); },
      Throws<Error>(IsError(ErrorCode::kNotFound, "no such image: docker.io/library/alpine:3")));
}

TEST_F(MetadataStoreTest, AnImageInUseIsNotRemoved) {
  store_->put_image(image("docker.io/library/busybox:latest", {}));
  EXPECT_FALSE(store_->image_in_use("docker.io/library/busybox:latest"));
  store_->add_container(container("k8s.io", id_with_prefix("a1"), "web"));
  EXPECT_TRUE(store_->image_in_use("docker.io/library/busybox:latest"));
  EXPECT_THAT(store_->containers_using_image("docker.io/library/busybox:latest"),
              ElementsAre(Field(&ContainerRecord::name, "web")));
  EXPECT_THAT([&] { store_->remove_image("docker.io/library/busybox:latest"); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition,
                                    "image \"docker.io/library/busybox:latest\" is used by "
                                    "container \"web\"")));
  store_->remove_container("k8s.io", id_with_prefix("a1"));
  store_->remove_image("docker.io/library/busybox:latest");
  EXPECT_TRUE(store_->list_images().empty());
}

}  // namespace
}  // namespace cradle
