#include "core/layer_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/file_io.h"
#include "base/scope_guard.h"
#include "core/digest.h"
#include "core/dir_tree.h"
#include "core/layer_writer.h"
#include "core/storage_layout.h"

namespace cradle {
namespace {

constexpr std::string_view kSha256Prefix = "sha256:";

}  // namespace

LayerStore::LayerStore(const std::string& root) : dir_(layers_dir(root)) {
  // 0700 on the way down: layers hold set-uid binaries and devices no host user may reach.
  make_dirs(dir_, 0700);
}

std::string LayerStore::fs_dir(std::string_view diff_id) const {
  return dir_ + "/" + digest_hex(diff_id) + "/fs";
}

bool LayerStore::has(std::string_view diff_id) const {
  struct stat st {};
  return ::stat(fs_dir(diff_id).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::int64_t LayerStore::size(std::string_view diff_id) const {
  std::string path = dir_ + "/" + digest_hex(diff_id) + "/size";
  std::string text = read_file(path);
  try {
    return std::stoll(text);
  } catch (const std::logic_error&) {
    throw Error(ErrorCode::kInternal, path + ": not a number: " + text);
  }
}

void LayerStore::unpack(int blob_fd, std::string_view diff_id, const std::string& what) {
  std::string final_dir = dir_ + "/" + digest_hex(diff_id);
  std::string temp = make_temp_dir(dir_, kTempPrefix);
  ScopeGuard cleanup([&temp] {
    try {
      remove_tree(temp);
    } catch (const Error&) {
      // remove_temporaries() finds it on the next start.
    }
  });
  std::string fs = temp + "/fs";
  if (::mkdir(fs.c_str(), 0755) != 0) throw_errno("create " + fs);
  UnpackedLayer layer = unpack_layer(blob_fd, fs, what);
  if (layer.diff_id != diff_id) {
    throw_invalid(what + " has diff id " + layer.diff_id + ", the image config says " +
                  std::string(diff_id));
  }
  write_file_atomic(temp + "/size", std::to_string(layer.size), 0600);
  // The rename publishes the layer: its files must be on disk before its name is.
  UniqueFd temp_fd = open_at(AT_FDCWD, temp, O_RDONLY | O_DIRECTORY);
  if (::syncfs(temp_fd.get()) != 0) throw_errno("sync " + temp);
  if (::rename(temp.c_str(), final_dir.c_str()) != 0) {
    // Someone else's unpack of the same layer won the race: theirs is as good as ours.
    if (errno == EEXIST || errno == ENOTEMPTY) return;
    throw_errno("rename " + temp + " to " + final_dir);
  }
  cleanup.dismiss();
}

void LayerStore::remove(std::string_view diff_id) {
  remove_tree_atomically(dir_ + "/" + digest_hex(diff_id), dir_, kTempPrefix);
}

std::vector<std::string> LayerStore::list() const {
  std::vector<std::string> out;
  for (const auto& name : list_dir(dir_)) {
    std::string digest = std::string(kSha256Prefix) + name;
    if (is_sha256_digest(digest)) out.push_back(std::move(digest));
  }
  return out;
}

void LayerStore::remove_temporaries() {
  for (const auto& name : list_dir(dir_)) {
    if (name.starts_with(kTempPrefix)) remove_tree(dir_ + "/" + name);
  }
}

}  // namespace cradle
