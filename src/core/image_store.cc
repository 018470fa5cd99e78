#include "core/image_store.h"

#include <sys/stat.h>

#include <set>

#include "base/error.h"
#include "core/container_id.h"
#include "core/dir_tree.h"
#include "core/image_reference.h"
#include "core/json_field.h"
#include "core/storage_layout.h"

namespace cradle {

ImageStore::ImageStore(std::string root_dir, MetadataStore& metadata)
    : root_(std::move(root_dir)), metadata_(metadata), layers_(root_) {
  make_dirs(content_dir(root_), 0700);
  make_dirs(containers_dir(root_), 0700);
  for (const auto& name : list_dir(content_dir(root_))) {
    if (name.starts_with(kIngestPrefix)) remove_tree(content_dir(root_) + "/" + name);
  }
  for (const auto& name : list_dir(containers_dir(root_))) {
    if (name.starts_with(kTempPrefix)) remove_tree(containers_dir(root_) + "/" + name);
  }
  layers_.remove_temporaries();
  remove_unreferenced_layers(layers_.list());
}

std::vector<std::string> ImageStore::layer_dirs(const ImageRecord& image) const {
  std::vector<std::string> dirs;
  for (const auto& diff_id : image.layers)
    dirs.push_back(layers_.fs_dir(diff_id));
  return dirs;
}

std::string ImageStore::container_dir(const std::string& container_id) const {
  validate_container_id(container_id);
  return containers_dir(root_) + "/" + container_id;
}

std::vector<ns::HostMount> ImageStore::prepare_rootfs(const std::string& container_id,
                                                      const ImageRecord& image) {
  std::string dir = container_dir(container_id);
  std::lock_guard lock(mutex_);
  if (image.layers.empty()) {
    throw Error(ErrorCode::kFailedPrecondition, "image " + quote(image.name) + " has no layers");
  }
  std::string lowerdir;
  for (const auto& diff_id : image.layers) {
    if (!layers_.has(diff_id)) {
      throw Error(ErrorCode::kFailedPrecondition, "image " + quote(image.name) + ": layer " +
                                                      diff_id + " is missing; import it again");
    }
    // overlayfs lists lowerdirs top first; the record lists layers lowest first.
    lowerdir = layers_.fs_dir(diff_id) + (lowerdir.empty() ? "" : ":") + lowerdir;
  }
  std::string upper = dir + "/upper";
  std::string work = dir + "/work";
  make_dirs(dir, 0700);
  // The overlay's root directory takes the upper directory's owner and mode: root's 0755, as
  // containerd makes it, whatever the daemon's umask.
  if (::mkdir(upper.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("create " + upper);
  if (::chmod(upper.c_str(), 0755) != 0) throw_errno("chmod " + upper);
  if (::mkdir(work.c_str(), 0700) != 0 && errno != EEXIST) throw_errno("create " + work);
  return {
      ns::HostMount{.type = "overlay",
                    .source = "overlay",
                    .options = {"lowerdir=" + lowerdir, "upperdir=" + upper, "workdir=" + work}}};
}

void ImageStore::remove_rootfs(const std::string& container_id) {
  std::string dir = container_dir(container_id);
  std::lock_guard lock(mutex_);
  remove_tree_atomically(dir, containers_dir(root_), kTempPrefix);
}

void ImageStore::remove(const std::string& name) {
  std::string full_name = normalize_image_name(name);
  std::lock_guard lock(mutex_);
  ImageRecord image = metadata_.find_image(full_name);
  metadata_.remove_image(full_name);  // refused while a container uses it
  remove_unreferenced_layers(image.layers);
}

void ImageStore::remove_unreferenced_layers(const std::vector<std::string>& candidates) {
  std::set<std::string> referenced;
  for (const auto& image : metadata_.list_images())
    referenced.insert(image.layers.begin(), image.layers.end());
  for (const auto& diff_id : candidates) {
    if (!referenced.contains(diff_id)) layers_.remove(diff_id);
  }
}

}  // namespace cradle
