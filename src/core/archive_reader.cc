#include "core/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include "base/error.h"

namespace cradle {

struct ArchiveReader::Callback {
  Source source;
  std::byte buffer[64 * 1024];
  std::exception_ptr error;

  static la_ssize_t read(struct archive*, void* self_ptr, const void** out) {
    auto* self = static_cast<Callback*>(self_ptr);
    try {
      *out = self->buffer;
      return static_cast<la_ssize_t>(self->source(self->buffer, sizeof self->buffer));
    } catch (...) {
      // libarchive is C: the exception waits here and fail() rethrows it.
      self->error = std::current_exception();
      return -1;
    }
  }
};

namespace {

archive* new_reader() {
  archive* a = archive_read_new();
  if (a == nullptr) throw Error(ErrorCode::kResourceExhausted, "libarchive: out of memory");
  return a;
}

}  // namespace

ArchiveReader::ArchiveReader(int fd, Format format, std::string what)
    : archive_(new_reader()), what_(std::move(what)) {
  // Only the compressions images use, each built into libarchive; not support_filter_all, which
  // would also hand untrusted input to external programs (lrzip, lzop, grzip).
  archive_read_support_filter_gzip(archive_);
  archive_read_support_filter_zstd(archive_);
  archive_read_support_filter_xz(archive_);
  archive_read_support_filter_bzip2(archive_);
  if (format == Format::kTar) {
    archive_read_support_format_tar(archive_);
  } else {
    archive_read_support_format_raw(archive_);
  }
  constexpr std::size_t kBlockSize = 64 * 1024;
  open_failed(archive_read_open_fd(archive_, fd, kBlockSize));
}

ArchiveReader::ArchiveReader(Source source, std::string what)
    : archive_(new_reader()), what_(std::move(what)), callback_(std::make_unique<Callback>()) {
  callback_->source = std::move(source);
  archive_read_support_format_tar(archive_);
  open_failed(archive_read_open(archive_, callback_.get(), nullptr, &Callback::read, nullptr));
}

ArchiveReader::~ArchiveReader() {
  archive_read_free(archive_);
}

void ArchiveReader::open_failed(int rc) {
  if (rc == ARCHIVE_OK || rc == ARCHIVE_WARN) return;
  // The constructor does not complete, so the destructor will not run.
  struct Free {
    archive* a;
    ~Free() { archive_read_free(a); }
  } free{archive_};
  fail_with_archive_error();
}

archive_entry* ArchiveReader::next() {
  archive_entry* entry = nullptr;
  int rc = archive_read_next_header(archive_, &entry);
  if (rc == ARCHIVE_EOF) return nullptr;
  // ARCHIVE_WARN: the entry is usable (an unknown pax keyword, a lost extended attribute).
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) fail_with_archive_error();
  return entry;
}

std::size_t ArchiveReader::read(void* buf, std::size_t size) {
  la_ssize_t n = archive_read_data(archive_, buf, size);
  if (n < 0) fail_with_archive_error();
  return static_cast<std::size_t>(n);
}

bool ArchiveReader::read_block(const void*& data, std::size_t& size, std::int64_t& offset) {
  la_int64_t block_offset = 0;
  int rc = archive_read_data_block(archive_, &data, &size, &block_offset);
  if (rc == ARCHIVE_EOF) return false;
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) fail_with_archive_error();
  offset = block_offset;
  return true;
}

void ArchiveReader::fail(const std::string& detail) const {
  throw Error(ErrorCode::kInvalidArgument, what_.empty() ? detail : what_ + ": " + detail);
}

void ArchiveReader::fail_with_archive_error() const {
  if (callback_ && callback_->error) std::rethrow_exception(callback_->error);
  const char* message = archive_error_string(archive_);
  fail(message ? message : "unreadable archive");
}

std::string entry_pathname(archive_entry* entry) {
  const char* path = archive_entry_pathname(entry);
  if (path == nullptr) throw_invalid("an entry has no path");
  return path;
}

}  // namespace cradle
