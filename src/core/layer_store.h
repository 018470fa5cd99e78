// The unpacked layers, <root>/snapshots/layers/<diff id hex>/fs, each shared by every image that
// has it. A layer is unpacked into a temporary directory beside it and renamed into place, and
// removed by renaming it away first, so a directory under a diff id's name is always complete.
// Not thread-safe: ImageStore serializes its calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cradle {

class LayerStore {
 public:
  // root: the daemon's root directory; snapshots/layers is made below it.
  explicit LayerStore(const std::string& root);

  // The directory overlayfs stacks for the layer (it may not exist).
  std::string fs_dir(std::string_view diff_id) const;
  bool has(std::string_view diff_id) const;
  // Bytes of regular files in the layer, recorded when it was unpacked.
  std::int64_t size(std::string_view diff_id) const;

  // Unpacks the layer tar (plain or compressed) read from blob_fd as diff_id. kInvalidArgument
  // "<what>: ..." for a bad tar, or one whose uncompressed content does not hash to diff_id; then
  // nothing is left behind.
  void unpack(int blob_fd, std::string_view diff_id, const std::string& what);
  void remove(std::string_view diff_id);  // a missing layer is fine

  // The diff ids of the layers present.
  std::vector<std::string> list() const;
  // Removes what an interrupted unpack or removal left (the daemon was killed half way).
  void remove_temporaries();

 private:
  std::string dir_;
};

}  // namespace cradle
