#include "core/layer_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/error.h"
#include "base/file_io.h"
#include "core/archive_path.h"
#include "core/archive_reader.h"
#include "core/digest.h"
#include "core/dir_tree.h"
#include "core/json_field.h"

namespace cradle {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
// aufs's own bookkeeping (".wh..wh.plnk", ".wh..wh.aufs"): meaningless to overlayfs.
constexpr std::string_view kAufsMetaPrefix = ".wh..wh.";

const char* c_str(const std::vector<std::string>& parts) {
  return parts.back().c_str();
}

timespec entry_time(bool is_set, time_t seconds, long nanoseconds) {
  if (!is_set) return timespec{.tv_sec = 0, .tv_nsec = UTIME_OMIT};
  return timespec{.tv_sec = seconds, .tv_nsec = nanoseconds};
}

// atime, mtime as utimensat takes them; an atime the tar lacks is its mtime.
void entry_times(archive_entry* entry, timespec (&times)[2]) {
  times[1] = entry_time(archive_entry_mtime_is_set(entry), archive_entry_mtime(entry),
                        archive_entry_mtime_nsec(entry));
  times[0] = archive_entry_atime_is_set(entry)
                 ? entry_time(true, archive_entry_atime(entry), archive_entry_atime_nsec(entry))
                 : times[1];
}

void pwrite_all(int fd, const void* data, std::size_t size, std::int64_t offset,
                const std::string& path) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::pwrite(fd, p, size, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + path);
    }
    p += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
}

}  // namespace

LayerWriter::LayerWriter(std::string dir)
    : dir_(std::move(dir)), root_(open_at(AT_FDCWD, dir_, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)) {}

std::string LayerWriter::host_path(const std::vector<std::string>& parts, std::size_t count) const {
  return count == 0 ? dir_ : dir_ + "/" + join_path_parts(parts, count);
}

UniqueFd LayerWriter::open_dir(const std::vector<std::string>& parts, std::size_t count,
                               bool create) const {
  UniqueFd current = open_at(root_.get(), ".", O_RDONLY | O_DIRECTORY);
  for (std::size_t i = 0; i < count; ++i) {
    constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    const char* name = parts[i].c_str();
    int fd = ::openat(current.get(), name, kFlags);
    if (fd < 0 && errno == ENOENT && create) {
      // A directory the tar does not list (some writers omit parents): made as docker makes it.
      if (::mkdirat(current.get(), name, 0755) != 0 && errno != EEXIST) {
        throw_errno("create " + host_path(parts, i + 1));
      }
      fd = ::openat(current.get(), name, kFlags);
      if (fd >= 0 && ::fchmod(fd, 0755) != 0) {  // whatever the daemon's umask
        int err = errno;
        ::close(fd);
        throw_errno(err, "chmod " + host_path(parts, i + 1));
      }
    }
    if (fd < 0) {
      if (errno == ENOTDIR || errno == ELOOP) {
        throw_invalid("entry " + quote(entry_) + ": " + join_path_parts(parts, i + 1) +
                      " is not a directory in the layer");
      }
      throw_errno("open " + host_path(parts, i + 1));
    }
    current.reset(fd);
  }
  return current;
}

void LayerWriter::remove_existing(int parent, const std::vector<std::string>& parts) const {
  struct stat st {};
  if (::fstatat(parent, c_str(parts), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    throw_errno("stat " + host_path(parts, parts.size()));
  }
  // A later entry of the same path replaces the earlier one, as extracting the tar would.
  if (S_ISDIR(st.st_mode)) {
    remove_tree(host_path(parts, parts.size()));
  } else if (::unlinkat(parent, c_str(parts), 0) != 0) {
    throw_errno("remove " + host_path(parts, parts.size()));
  }
}

void LayerWriter::set_attributes(int fd, const std::string& path, archive_entry* entry) const {
  // Owner first: chown clears the set-id bits and security.capability that follow.
  if (::fchown(fd, archive_entry_uid(entry), archive_entry_gid(entry)) != 0) {
    throw_errno("chown " + path);
  }
  if (::fchmod(fd, archive_entry_perm(entry)) != 0) throw_errno("chmod " + path);
  archive_entry_xattr_reset(entry);
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  while (archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
    // trusted.* is overlayfs's own namespace (opaque, redirect, metacopy): a layer says what it
    // means with whiteouts, never by setting those directly.
    if (std::string_view(name).starts_with("trusted.")) continue;
    if (::fsetxattr(fd, name, value, size, 0) != 0) {
      if (errno == ENOTSUP) continue;  // a namespace this filesystem does not keep
      throw_errno("set extended attribute " + std::string(name) + " on " + path);
    }
  }
}

void LayerWriter::set_attributes_at(int parent, const std::vector<std::string>& parts,
                                    archive_entry* entry, bool set_mode) const {
  // By name in the parent, not through an fd: a symlink or a device node must not be opened. The
  // node was just made in the layer's private directory, so the name is still it.
  std::string path = host_path(parts, parts.size());
  if (::fchownat(parent, c_str(parts), archive_entry_uid(entry), archive_entry_gid(entry),
                 AT_SYMLINK_NOFOLLOW) != 0) {
    throw_errno("chown " + path);
  }
  if (set_mode && ::fchmodat(parent, c_str(parts), archive_entry_perm(entry), 0) != 0) {
    throw_errno("chmod " + path);
  }
  timespec times[2];
  entry_times(entry, times);
  if (::utimensat(parent, c_str(parts), times, AT_SYMLINK_NOFOLLOW) != 0) {
    throw_errno("set the times of " + path);
  }
}

void LayerWriter::write(archive_entry* entry, ArchiveReader& reader) {
  entry_ = entry_pathname(entry);
  std::vector<std::string> parts = archive_path_parts(entry_);
  if (parts.empty()) {  // "./": the layer's top directory
    if (archive_entry_filetype(entry) != AE_IFDIR) return;
    set_attributes(root_.get(), dir_, entry);
    DirTimes times{.parts = {}, .times = {}};
    entry_times(entry, times.times);
    dir_times_.push_back(std::move(times));
    return;
  }
  // Whatever sits under a whiteout-named directory (aufs's ".wh..wh.plnk/" hard link store) is
  // bookkeeping of the tool that wrote the layer, not content.
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].starts_with(kWhiteoutPrefix)) return;
  }
  UniqueFd parent = open_dir(parts, parts.size() - 1, true);
  const std::string& name = parts.back();
  if (name == kOpaqueMarker) {
    if (::fsetxattr(parent.get(), "trusted.overlay.opaque", "y", 1, 0) != 0) {
      throw_errno("set trusted.overlay.opaque on " + host_path(parts, parts.size() - 1));
    }
    return;
  }
  if (name.starts_with(kAufsMetaPrefix)) return;
  if (name.starts_with(kWhiteoutPrefix)) return write_whiteout(parent.get(), parts);
  if (const char* target = archive_entry_hardlink(entry)) {
    return write_hardlink(parent.get(), parts, target);
  }
  switch (archive_entry_filetype(entry)) {
    case AE_IFDIR: return write_directory(parent.get(), parts, entry);
    case AE_IFREG: return write_regular(parent.get(), parts, entry, reader);
    case AE_IFLNK: return write_symlink(parent.get(), parts, entry);
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO: return write_node(parent.get(), parts, entry);
    default: return;  // a socket: nothing to recreate, as tar itself skips them
  }
}

void LayerWriter::write_directory(int parent, const std::vector<std::string>& parts,
                                  archive_entry* entry) {
  std::string path = host_path(parts, parts.size());
  struct stat st {};
  bool exists = ::fstatat(parent, c_str(parts), &st, AT_SYMLINK_NOFOLLOW) == 0;
  if (!exists || !S_ISDIR(st.st_mode)) {  // an existing directory is kept with what it holds
    remove_existing(parent, parts);
    if (::mkdirat(parent, c_str(parts), 0700) != 0) throw_errno("create " + path);
  }
  UniqueFd dir = open_at(parent, parts.back(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  set_attributes(dir.get(), path, entry);
  DirTimes times{.parts = parts, .times = {}};
  entry_times(entry, times.times);
  dir_times_.push_back(std::move(times));
}

void LayerWriter::write_regular(int parent, const std::vector<std::string>& parts,
                                archive_entry* entry, ArchiveReader& reader) {
  std::string path = host_path(parts, parts.size());
  remove_existing(parent, parts);
  UniqueFd file = open_at(parent, parts.back(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  const void* data = nullptr;
  std::size_t size = 0;
  std::int64_t offset = 0;
  while (reader.read_block(data, size, offset))
    pwrite_all(file.get(), data, size, offset, path);
  // A sparse file's trailing hole is no block at all: the size sets it.
  if (::ftruncate(file.get(), archive_entry_size(entry)) != 0) throw_errno("truncate " + path);
  set_attributes(file.get(), path, entry);
  timespec times[2];
  entry_times(entry, times);
  if (::futimens(file.get(), times) != 0) throw_errno("set the times of " + path);
  size_ += archive_entry_size(entry);
}

void LayerWriter::write_symlink(int parent, const std::vector<std::string>& parts,
                                archive_entry* entry) {
  std::string path = host_path(parts, parts.size());
  remove_existing(parent, parts);
  // The target is stored as it is: it is resolved inside the container's root, never here.
  const char* target = archive_entry_symlink(entry);
  if (target == nullptr) throw_invalid("entry " + quote(entry_) + " is a symlink to nothing");
  if (::symlinkat(target, parent, c_str(parts)) != 0) {
    throw_errno("create symlink " + path);
  }
  // A symlink's mode means nothing on Linux: owner and times only.
  set_attributes_at(parent, parts, entry, false);
}

void LayerWriter::write_node(int parent, const std::vector<std::string>& parts,
                             archive_entry* entry) {
  std::string path = host_path(parts, parts.size());
  remove_existing(parent, parts);
  mode_t type = archive_entry_filetype(entry) == AE_IFCHR   ? S_IFCHR
                : archive_entry_filetype(entry) == AE_IFBLK ? S_IFBLK
                                                            : S_IFIFO;
  dev_t dev = makedev(archive_entry_rdevmajor(entry), archive_entry_rdevminor(entry));
  if (::mknodat(parent, c_str(parts), type | 0600, dev) != 0) throw_errno("mknod " + path);
  set_attributes_at(parent, parts, entry, true);
}

void LayerWriter::write_hardlink(int parent, const std::vector<std::string>& parts,
                                 const char* target) {
  std::vector<std::string> target_parts = archive_path_parts(target);
  if (target_parts.empty()) {
    throw_invalid("entry " + quote(entry_) + ": a hard link to the layer's top directory");
  }
  UniqueFd target_parent = open_dir(target_parts, target_parts.size() - 1, false);
  remove_existing(parent, parts);
  // Flags 0: link the target itself, even when it is a symlink, as tar does.
  if (::linkat(target_parent.get(), c_str(target_parts), parent, c_str(parts), 0) != 0) {
    if (errno == ENOENT) {
      throw_invalid("entry " + quote(entry_) + ": its hard link target " + quote(target) +
                    " is not in the layer");
    }
    throw_errno("link " + host_path(parts, parts.size()) + " to " +
                host_path(target_parts, target_parts.size()));
  }
}

void LayerWriter::write_whiteout(int parent, const std::vector<std::string>& parts) {
  std::vector<std::string> hidden = parts;
  hidden.back() = parts.back().substr(kWhiteoutPrefix.size());
  if (hidden.back().empty() || hidden.back() == "." || hidden.back() == "..") {
    throw_invalid("entry " + quote(entry_) + " is a whiteout of no name");
  }
  // A whiteout hides what the layers below have; an entry of this layer with the same name
  // already hides them, so it stays (and one written after the whiteout replaces it).
  struct stat st {};
  if (::fstatat(parent, c_str(hidden), &st, AT_SYMLINK_NOFOLLOW) == 0) return;
  if (errno != ENOENT) throw_errno("stat " + host_path(hidden, hidden.size()));
  if (::mknodat(parent, c_str(hidden), S_IFCHR | 0, makedev(0, 0)) != 0) {
    throw_errno("create whiteout " + host_path(hidden, hidden.size()));
  }
}

void LayerWriter::finish() {
  for (const auto& dir : dir_times_) {
    UniqueFd fd = open_dir(dir.parts, dir.parts.size(), false);
    if (::futimens(fd.get(), dir.times) != 0) {
      throw_errno("set the times of " + host_path(dir.parts, dir.parts.size()));
    }
  }
}

UnpackedLayer unpack_layer(int blob_fd, const std::string& dir, const std::string& what) {
  // The diff id is the sha256 of the uncompressed tar: a raw reader decompresses the blob, and
  // the tar reader reads from it through a tap that hashes every byte on the way.
  ArchiveReader raw(blob_fd, ArchiveReader::Format::kRaw, what);
  if (raw.next() == nullptr) raw.fail("empty layer");
  Sha256 hash;
  ArchiveReader tar(
      [&raw, &hash](void* buf, std::size_t size) {
        std::size_t n = raw.read(buf, size);
        hash.update(buf, n);
        return n;
      },
      what);
  LayerWriter writer(dir);
  while (archive_entry* entry = tar.next()) {
    try {
      writer.write(entry, tar);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidArgument) throw;
      tar.fail(e.what());
    }
  }
  writer.finish();
  // The tar reader stops at the end-of-archive blocks; the padding after them is hashed too.
  char buf[64 * 1024];
  while (std::size_t n = raw.read(buf, sizeof buf))
    hash.update(buf, n);
  return UnpackedLayer{.diff_id = hash.finish(), .size = writer.size()};
}

}  // namespace cradle
