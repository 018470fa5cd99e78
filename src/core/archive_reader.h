// RAII over libarchive's reader, for image tarballs and the layer tars inside them. Errors are
// Error(kInvalidArgument, "<what>: <libarchive's message>"): what is wrong is the archive. An
// exception thrown by a data source (ArchiveReader::Source) passes through unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>

struct archive;
struct archive_entry;

namespace cradle {

class ArchiveReader {
 public:
  // The bytes of the archive: fills buf with up to size bytes, returns how many (0 at the end).
  using Source = std::function<std::size_t(void* buf, std::size_t size)>;

  enum class Format {
    kTar,  // a tar, decompressed first when it is gzip, zstd, xz or bzip2
    kRaw,  // the decompressed stream as a single entry, whatever it holds
  };

  // Reads from fd (not owned, read sequentially: a pipe is fine). `what` names it in errors;
  // empty leaves libarchive's message alone.
  ArchiveReader(int fd, Format format, std::string what);
  // Reads an uncompressed tar from source.
  ArchiveReader(Source source, std::string what);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // The next entry, valid until the next call; nullptr after the last one.
  archive_entry* next();
  // Reads the current entry's data, holes of a sparse file as zeros; 0 at its end.
  std::size_t read(void* buf, std::size_t size);
  // The current entry's data block by block, holes left out: false after the last block.
  bool read_block(const void*& data, std::size_t& size, std::int64_t& offset);

  // Throws "<what>: <detail>" as kInvalidArgument.
  [[noreturn]] void fail(const std::string& detail) const;

 private:
  struct Callback;
  void open_failed(int rc);
  [[noreturn]] void fail_with_archive_error() const;

  archive* archive_;
  std::string what_;
  std::unique_ptr<Callback> callback_;  // the Source and the exception it threw, if any
};

// The entry's path as the archive has it; kInvalidArgument for an entry without one.
std::string entry_pathname(archive_entry* entry);

}  // namespace cradle
