// ImageStore::import_tar: stage the tarball, read its manifests (checking every blob that can be
// checked), name its images, unpack the layers not yet present, then record the images in one
// transaction. Until that commit, a failure removes every layer this import unpacked, so a bad
// tarball leaves neither a record nor a directory behind.
#include <fcntl.h>

#include <map>

#include "base/clock.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/scope_guard.h"
#include "core/dir_tree.h"
#include "core/image_archive.h"
#include "core/image_reference.h"
#include "core/image_store.h"
#include "core/staged_archive.h"
#include "core/storage_layout.h"

namespace cradle {
namespace {

// The complete name of every image, by name: the tarball's own names, and `fallback` for the one
// image it leaves unnamed. A name given twice names the later image, as docker load does.
std::map<std::string, const ArchiveImage*> name_images(const std::vector<ArchiveImage>& images,
                                                       const std::string& fallback) {
  std::map<std::string, const ArchiveImage*> named;
  bool fallback_used = false;
  for (const auto& image : images) {
    for (const auto& name : image.names)
      named[normalize_image_name(name)] = &image;
    if (!image.names.empty()) continue;
    if (fallback.empty()) {
      throw_invalid("image " + image.digest + " has no name in it; give it one");
    }
    if (fallback_used)
      throw_invalid("more than one image has no name in it, and one name was given");
    named[fallback] = &image;
    fallback_used = true;
  }
  return named;
}

}  // namespace

std::vector<ImageRecord> ImageStore::import_tar(int fd, const std::string& name) {
  std::string fallback = name.empty() ? std::string() : normalize_image_name(name);
  std::lock_guard lock(mutex_);
  std::string staging = make_temp_dir(content_dir(root_), kIngestPrefix);
  ScopeGuard remove_staging([&staging] {
    try {
      remove_tree(staging);
    } catch (const Error&) {
      // The next start's sweep of content/ removes it.
    }
  });
  std::vector<std::string> unpacked;  // by this import: removed unless it is recorded
  ScopeGuard remove_unpacked([this, &unpacked] {
    for (const auto& diff_id : unpacked) {
      try {
        layers_.remove(diff_id);
      } catch (const Error&) {
        // Unreferenced, so the next start's sweep removes it.
      }
    }
  });

  std::vector<ImageRecord> records;
  try {
    StagedArchive archive(fd, staging);
    std::vector<ArchiveImage> images = read_image_archive(archive);
    std::map<std::string, const ArchiveImage*> named = name_images(images, fallback);
    for (const auto& image : images) {
      for (const auto& layer : image.layers) {
        if (layers_.has(layer.diff_id)) continue;  // unpacked once, shared by every image
        UniqueFd blob = open_at(AT_FDCWD, layer.staged, O_RDONLY);
        layers_.unpack(blob.get(), layer.diff_id, "layer " + layer.path);
        unpacked.push_back(layer.diff_id);
      }
    }
    std::int64_t created_at = realtime_ns();
    for (const auto& [image_name, image] : named) {
      ImageRecord record{.name = image_name,
                         .digest = image->digest,
                         .config_json = image->config_json,
                         .layers = {},
                         .size = 0,
                         .created_at_ns = created_at};
      for (const auto& layer : image->layers) {
        record.layers.push_back(layer.diff_id);
        record.size += layers_.size(layer.diff_id);
      }
      records.push_back(std::move(record));
    }
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidArgument) throw;
    throw Error(ErrorCode::kInvalidArgument, "image tarball: " + std::string(e.what()),
                e.sys_errno());
  }

  // The layers of the images these names named before, which may now be unused.
  std::vector<std::string> replaced_layers;
  for (const auto& image : metadata_.list_images()) {
    for (const auto& record : records) {
      if (record.name == image.name) {
        replaced_layers.insert(replaced_layers.end(), image.layers.begin(), image.layers.end());
      }
    }
  }
  metadata_.put_images(records);
  remove_unpacked.dismiss();
  try {
    remove_unreferenced_layers(replaced_layers);
  } catch (const Error&) {
    // The import is recorded; an old layer left over is removed by the next start's sweep.
  }
  return records;
}

}  // namespace cradle
