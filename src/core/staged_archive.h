// An image tarball's files, staged on disk. The manifests that say how to read the tarball may
// come after the layers in the stream (docker save writes manifest.json last), and a pipe cannot
// be read twice; so every regular file is written once under a staging directory and hashed while
// it streams, which gives each blob's digest without reading it again.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

struct archive_entry;

namespace cradle {

class ArchiveReader;

class StagedArchive {
 public:
  struct File {
    std::string path;    // in the archive, for messages
    std::string digest;  // "sha256:..." of its content
    std::int64_t size = 0;
    std::string staged;  // where its content is on disk
  };

  // Reads the whole tar stream (plain or compressed) from fd, up to the end of the stream, into
  // dir (an empty directory the caller removes afterwards). kInvalidArgument (no "image tarball"
  // prefix: the caller adds it) for a stream that is not a tar or has an unsafe entry name.
  StagedArchive(int fd, std::string dir);

  // Whether path names a file (directly or through a link in the archive).
  bool contains(std::string_view path) const;
  // The file at path, following links within the archive; kInvalidArgument
  // "<role> <path> is missing" when there is none.
  const File& file(std::string_view path, std::string_view role) const;
  // The blob an OCI layout names by digest (blobs/sha256/<hex>), checked to hash to that digest.
  const File& blob(std::string_view digest, std::string_view role) const;
  // The content of a small file (a manifest, a config), refused beyond 16 MiB.
  std::string read_text(const File& file) const;

 private:
  void add(archive_entry* entry, ArchiveReader& reader);
  void stage_file(const std::string& path, ArchiveReader& reader);
  const File* find(std::string_view path) const;

  std::string dir_;
  std::map<std::string, File, std::less<>> files_;
  // Symbolic and hard links: path -> the path they name, both relative to the archive's top.
  std::map<std::string, std::string, std::less<>> links_;
};

}  // namespace cradle
