#include "core/staged_archive.h"

#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include "base/error.h"
#include "base/file_io.h"
#include "base/unique_fd.h"
#include "core/archive_path.h"
#include "core/archive_reader.h"
#include "core/digest.h"
#include "core/lexical_path.h"

namespace cradle {
namespace {

constexpr std::int64_t kMaxTextSize = 16 << 20;
constexpr int kMaxLinkDepth = 16;

// Reads fd to its end, so that whoever writes the tarball into a pipe is never left blocked on
// bytes past the tar's end-of-archive blocks.
void drain(int fd) {
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return;
    if (n < 0 && errno != EINTR) throw_errno("read the image tarball");
  }
}

// A symlink's target as a path from the archive's top, or "" when it climbs out of the archive
// (such a link is left dangling rather than refused: nothing may need it). An absolute target is
// taken from the archive's top, as its writer meant it.
std::string link_target(const std::vector<std::string>& parts, std::string_view target) {
  if (target.starts_with('/')) return clean_path(target).substr(1);
  std::string parent = join_path_parts(parts, parts.size() - 1);
  std::string path =
      clean_path(parent.empty() ? std::string(target) : parent + "/" + std::string(target));
  if (path == ".." || path.starts_with("../")) return {};
  return path == "." ? std::string() : path;
}

}  // namespace

StagedArchive::StagedArchive(int fd, std::string dir) : dir_(std::move(dir)) {
  bool is_tar = false;  // once a header was read: later errors are about the tar's content
  try {
    ArchiveReader reader(fd, ArchiveReader::Format::kTar, "");
    while (archive_entry* entry = reader.next()) {
      is_tar = true;
      add(entry, reader);
    }
  } catch (const Error& e) {
    if (is_tar || e.code() != ErrorCode::kInvalidArgument) throw;
    throw_invalid("not a tar archive (" + std::string(e.what()) + ")");
  }
  drain(fd);
}

void StagedArchive::add(archive_entry* entry, ArchiveReader& reader) {
  std::vector<std::string> parts = archive_path_parts(entry_pathname(entry));
  if (parts.empty()) return;  // the top directory
  std::string path = join_path_parts(parts);
  if (const char* hardlink = archive_entry_hardlink(entry)) {
    links_[path] = join_path_parts(archive_path_parts(hardlink));
  } else if (archive_entry_filetype(entry) == AE_IFLNK) {
    const char* target = archive_entry_symlink(entry);
    links_[path] = target ? link_target(parts, target) : std::string();
  } else if (archive_entry_filetype(entry) == AE_IFREG) {
    stage_file(path, reader);
  }
  // Directories are implied by the paths; devices and fifos mean nothing in an image tarball.
}

void StagedArchive::stage_file(const std::string& path, ArchiveReader& reader) {
  File file{
      .path = path, .digest = {}, .size = 0, .staged = dir_ + "/" + std::to_string(files_.size())};
  UniqueFd out = open_at(AT_FDCWD, file.staged, O_WRONLY | O_CREAT | O_EXCL, 0600);
  Sha256 hash;
  char buf[64 * 1024];
  while (std::size_t n = reader.read(buf, sizeof buf)) {
    hash.update(buf, n);
    write_all(out.get(), std::string_view(buf, n), file.staged);
    file.size += static_cast<std::int64_t>(n);
  }
  file.digest = hash.finish();
  links_.erase(path);  // a later entry replaces an earlier one, as tar extraction would
  files_.insert_or_assign(path, std::move(file));
}

const StagedArchive::File* StagedArchive::find(std::string_view path) const {
  std::string current(path);
  for (int depth = 0; depth <= kMaxLinkDepth; ++depth) {
    if (auto it = files_.find(current); it != files_.end()) return &it->second;
    auto link = links_.find(current);
    if (link == links_.end() || link->second.empty()) return nullptr;
    current = link->second;
  }
  return nullptr;  // a loop of links
}

bool StagedArchive::contains(std::string_view path) const {
  return find(path) != nullptr;
}

const StagedArchive::File& StagedArchive::file(std::string_view path, std::string_view role) const {
  // Manifests write paths as the archive's own entries are written: "./x" and "x" are the same.
  std::vector<std::string> parts = archive_path_parts(path);
  const File* found = find(join_path_parts(parts));
  if (found == nullptr) throw_invalid(std::string(role) + " " + std::string(path) + " is missing");
  return *found;
}

const StagedArchive::File& StagedArchive::blob(std::string_view digest,
                                               std::string_view role) const {
  std::string hex;
  try {
    hex = digest_hex(digest);
  } catch (const Error& e) {
    throw_invalid(std::string(role) + ": " + e.what());
  }
  const File& found = file("blobs/sha256/" + hex, role);
  if (found.digest != digest) {
    throw_invalid(std::string(role) + " " + found.path +
                  " does not match its digest (its content is " + found.digest + ")");
  }
  return found;
}

std::string StagedArchive::read_text(const File& file) const {
  if (file.size > kMaxTextSize) {
    throw_invalid(file.path + " is " + std::to_string(file.size) +
                  " bytes, more than a manifest or config may be (16 MiB)");
  }
  return read_file(file.staged);
}

}  // namespace cradle
