// The daemon's metadata, in SQLite (WAL) under its root directory: containers and images, per
// namespace. Every method is one transaction; the store is safe to use from several threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/container_options.h"

struct sqlite3;

namespace cradle {

struct ContainerRecord {
  std::string ns;
  std::string id;    // 64 hex digits
  std::string name;  // unique in ns
  std::string image;
  std::map<std::string, std::string> labels;
  ContainerOptions options;
  std::string spec_json;  // the OCI spec it runs with
  std::int64_t created_at_ns = 0;
  std::optional<ExitInfo> last_exit;
};

struct ImageRecord {
  std::string name;                 // "docker.io/library/busybox:latest"
  std::string digest;               // "sha256:..."
  std::string config_json;          // the OCI image config
  std::vector<std::string> layers;  // diff ids, lowest first ("sha256:...")
  std::int64_t size = 0;            // unpacked bytes
  std::int64_t created_at_ns = 0;
};

class MetadataStore {
 public:
  // Opens (creating if needed) <root>/meta.db, where `path` is the daemon's root directory
  // (/var/lib/cradle; made, mode 0700, if missing). Upgrades an older schema; a database written
  // by a newer cradled is refused (kFailedPrecondition). Throws Error on failure.
  explicit MetadataStore(const std::string& path);
  ~MetadataStore();
  MetadataStore(const MetadataStore&) = delete;
  MetadataStore& operator=(const MetadataStore&) = delete;

  // kAlreadyExists when the id or the name is taken in its namespace.
  void add_container(const ContainerRecord& record);
  void update_container(const ContainerRecord& record);  // by (ns, id); kNotFound if absent
  // By name, full id, or unambiguous id prefix (kNotFound / kInvalidArgument "ambiguous").
  ContainerRecord find_container(const std::string& ns, const std::string& name_or_id) const;
  std::vector<ContainerRecord> list_containers(const std::string& ns) const;
  std::vector<ContainerRecord> list_all_containers() const;             // every namespace
  void remove_container(const std::string& ns, const std::string& id);  // kNotFound if absent

  void put_image(const ImageRecord& record);  // replaces an image of the same name
  // Added: put_image for every record in one transaction, so that an import that names several
  // images records all of them or none.
  void put_images(const std::vector<ImageRecord>& records);
  ImageRecord find_image(const std::string& name) const;  // kNotFound
  std::vector<ImageRecord> list_images() const;
  // kNotFound; kFailedPrecondition `image "<name>" is used by container "<name>"` when a container
  // of any namespace uses it, checked in the same transaction as the delete (added: so a container
  // created concurrently cannot lose its image).
  void remove_image(const std::string& name);
  // Whether any container of any namespace uses the image.
  bool image_in_use(const std::string& name) const;
  // Added: the containers (of every namespace) that use the image, for messages and listings.
  std::vector<ContainerRecord> containers_using_image(const std::string& name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cradle
