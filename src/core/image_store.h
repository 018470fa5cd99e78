// Images on disk under the daemon's root: blobs by digest in content/, each layer unpacked once
// (OCI whiteouts applied) in snapshots/layers/<diff id hex>/, and per container an overlayfs of
// them with its own upper and work directories in snapshots/containers/<id>/.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/layer_store.h"
#include "core/metadata_store.h"
#include "namespaces/host_mount.h"

namespace cradle {

// The parts of an OCI image config (config.json "config" object) a container starts from.
struct ImageConfig {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;
  std::string working_dir;
  std::string user;
  std::string stop_signal;
  std::map<std::string, std::string> labels;
};

// kInvalidArgument naming the field ("config.Env[0]: must be a string, got number").
ImageConfig parse_image_config(const std::string& config_json);

class ImageStore {
 public:
  // Makes content/ and snapshots/ under root_dir, and removes what a daemon killed half way
  // left there: temporaries of an import or removal, and layers no image record names.
  ImageStore(std::string root_dir, MetadataStore& metadata);

  // Imports a docker-archive (docker save) or OCI layout tarball read from fd. Every image it
  // names is recorded; `name` names an image the tarball leaves unnamed. A bad tarball changes
  // nothing and throws kInvalidArgument saying what is wrong with it ("image tarball: ...").
  // Names are completed by normalize_image_name ("busybox" -> docker.io/library/busybox:latest).
  // An image's digest is its manifest's (OCI layout) or its config's (docker-archive). The whole
  // stream is read, up to its end. Imports and removals take turns.
  std::vector<ImageRecord> import_tar(int fd, const std::string& name);

  // The unpacked layer directories of an image, lowest first.
  std::vector<std::string> layer_dirs(const ImageRecord& image) const;

  // The container's overlayfs: its directories made (empty upper), the mount returned for the
  // shim to mount on the bundle's rootfs. Calling it again for the same container keeps its
  // upper directory: a restarted container keeps its changes. kFailedPrecondition when a layer
  // of the image is missing or the image has none.
  std::vector<ns::HostMount> prepare_rootfs(const std::string& container_id,
                                            const ImageRecord& image);
  void remove_rootfs(const std::string& container_id);  // a missing one is fine

  // Removes the image's record and the layers no other image uses. kFailedPrecondition when a
  // container uses it. The name is completed as import_tar completes names.
  void remove(const std::string& name);

 private:
  // Added: the layer directories, and the lock that makes imports, removals and rootfs
  // preparation take turns (a layer must not be collected while a rootfs is built on it).
  void remove_unreferenced_layers(const std::vector<std::string>& candidates);
  std::string container_dir(const std::string& container_id) const;

  std::string root_;
  MetadataStore& metadata_;
  LayerStore layers_;
  std::mutex mutex_;
};

}  // namespace cradle
