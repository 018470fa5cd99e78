#include "tar_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <memory>
#include <stdexcept>

#include "core/digest.h"

namespace cradle::testing {
namespace {

la_ssize_t append(archive*, void* out, const void* data, size_t size) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

void check(archive* a, int rc, const char* what) {
  if (rc != ARCHIVE_OK) {
    throw std::runtime_error(std::string(what) + ": " + archive_error_string(a));
  }
}

using Entry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

Entry new_entry(const std::string& path, mode_t type, mode_t mode, Owner owner) {
  Entry entry(archive_entry_new(), &archive_entry_free);
  archive_entry_set_pathname(entry.get(), path.c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), mode);
  archive_entry_set_uid(entry.get(), owner.uid);
  archive_entry_set_gid(entry.get(), owner.gid);
  archive_entry_set_mtime(entry.get(), 1672531200, 0);  // 2023-01-01, as the busybox image
  return entry;
}

}  // namespace

TarBuilder::TarBuilder() : archive_(archive_write_new()) {
  check(archive_, archive_write_set_format_pax_restricted(archive_), "tar format");
  check(archive_, archive_write_open(archive_, &out_, nullptr, append, nullptr), "open tar");
}

TarBuilder::~TarBuilder() {
  archive_write_free(archive_);
}

TarBuilder& TarBuilder::dir(const std::string& path, mode_t mode, Owner owner) {
  Entry entry = new_entry(path, AE_IFDIR, mode, owner);
  check(archive_, archive_write_header(archive_, entry.get()), path.c_str());
  return *this;
}

TarBuilder& TarBuilder::file(const std::string& path, const std::string& content, mode_t mode,
                             Owner owner) {
  Entry entry = new_entry(path, AE_IFREG, mode, owner);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
  check(archive_, archive_write_header(archive_, entry.get()), path.c_str());
  if (archive_write_data(archive_, content.data(), content.size()) !=
      static_cast<la_ssize_t>(content.size())) {
    throw std::runtime_error(path + ": " + archive_error_string(archive_));
  }
  return *this;
}

TarBuilder& TarBuilder::symlink(const std::string& path, const std::string& target) {
  Entry entry = new_entry(path, AE_IFLNK, 0777, {});
  archive_entry_set_symlink(entry.get(), target.c_str());
  check(archive_, archive_write_header(archive_, entry.get()), path.c_str());
  return *this;
}

TarBuilder& TarBuilder::hardlink(const std::string& path, const std::string& target) {
  Entry entry = new_entry(path, AE_IFREG, 0644, {});
  archive_entry_set_hardlink(entry.get(), target.c_str());
  check(archive_, archive_write_header(archive_, entry.get()), path.c_str());
  return *this;
}

TarBuilder& TarBuilder::node(const std::string& path, mode_t type, unsigned major, unsigned minor,
                             mode_t mode) {
  Entry entry = new_entry(path, type, mode, {});
  archive_entry_set_rdevmajor(entry.get(), major);
  archive_entry_set_rdevminor(entry.get(), minor);
  check(archive_, archive_write_header(archive_, entry.get()), path.c_str());
  return *this;
}

std::string TarBuilder::finish() {
  check(archive_, archive_write_close(archive_), "close tar");
  return out_;
}

std::string gzip(const std::string& data) {
  std::string out;
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(),
                                                            &archive_write_free);
  check(a.get(), archive_write_set_format_raw(a.get()), "raw format");
  check(a.get(), archive_write_add_filter_gzip(a.get()), "gzip filter");
  // No time stamp in the gzip header: the same data compresses to the same bytes every time, so
  // a test may compute a blob's digest twice.
  check(a.get(), archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr),
        "gzip without time stamp");
  // No zero padding after the gzip stream: a blob is exactly the compressed bytes.
  check(a.get(), archive_write_set_bytes_in_last_block(a.get(), 1), "last block");
  check(a.get(), archive_write_open(a.get(), &out, nullptr, append, nullptr), "open gzip");
  Entry entry = new_entry("data", AE_IFREG, 0644, {});
  check(a.get(), archive_write_header(a.get(), entry.get()), "gzip header");
  archive_write_data(a.get(), data.data(), data.size());
  check(a.get(), archive_write_close(a.get()), "close gzip");
  return out;
}

std::string sha256_of(const std::string& data) {
  Sha256 hash;
  hash.update(data.data(), data.size());
  return hash.finish();
}

}  // namespace cradle::testing
