// Writes one layer tar into a directory of its own, for overlayfs to stack with the others: owners,
// modes, times, extended attributes, symlinks, hard links and device nodes as the tar has them,
// and OCI whiteouts turned into overlayfs ones, since each layer is its own lowerdir rather than
// applied onto the layers below:
//   ".wh.<name>"   -> a character device 0:0 called <name>
//   ".wh..wh..opq" -> the xattr trusted.overlay.opaque="y" on its directory
// Every path is walked from the layer directory one component at a time, never following a
// symlink, so no entry, whatever its name or position in the tar, can write outside the layer.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/unique_fd.h"

struct archive_entry;

namespace cradle {

class ArchiveReader;

class LayerWriter {
 public:
  explicit LayerWriter(std::string dir);  // an existing, empty directory

  // Writes the reader's current entry. kInvalidArgument naming the entry when it is unsafe.
  void write(archive_entry* entry, ArchiveReader& reader);
  // Sets the directories' times last: writing their children changed them.
  void finish();
  // Bytes of regular files written.
  std::int64_t size() const { return size_; }

 private:
  struct DirTimes {
    std::vector<std::string> parts;
    timespec times[2];
  };

  UniqueFd open_dir(const std::vector<std::string>& parts, std::size_t count, bool create) const;
  void remove_existing(int parent, const std::vector<std::string>& parts) const;
  void write_directory(int parent, const std::vector<std::string>& parts, archive_entry* entry);
  void write_regular(int parent, const std::vector<std::string>& parts, archive_entry* entry,
                     ArchiveReader& reader);
  void write_symlink(int parent, const std::vector<std::string>& parts, archive_entry* entry);
  void write_node(int parent, const std::vector<std::string>& parts, archive_entry* entry);
  void write_hardlink(int parent, const std::vector<std::string>& parts, const char* target);
  void write_whiteout(int parent, const std::vector<std::string>& parts);
  void set_attributes(int fd, const std::string& path, archive_entry* entry) const;
  // Owner, mode (when set_mode) and times of a symlink or a node, by its name in parent.
  void set_attributes_at(int parent, const std::vector<std::string>& parts, archive_entry* entry,
                         bool set_mode) const;
  std::string host_path(const std::vector<std::string>& parts, std::size_t count) const;

  std::string dir_;
  UniqueFd root_;
  std::string entry_;  // the path of the entry being written, for messages
  std::vector<DirTimes> dir_times_;
  std::int64_t size_ = 0;
};

struct UnpackedLayer {
  std::string diff_id;  // sha256 of the uncompressed tar, for the caller to check
  std::int64_t size = 0;
};

// Unpacks the layer tar (plain or compressed) read from blob_fd into dir, an existing empty
// directory. Errors about the layer are kInvalidArgument "<what>: ...".
UnpackedLayer unpack_layer(int blob_fd, const std::string& dir, const std::string& what);

}  // namespace cradle
