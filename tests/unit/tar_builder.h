// Tarballs built in memory with libarchive, entry by entry, so that a test can write what no
// well-behaved tool would ("../evil", a whiteout, a device node) and know every byte's digest.
#pragma once

#include <sys/types.h>

#include <string>

struct archive;

namespace cradle::testing {

struct Owner {
  uid_t uid = 0;
  gid_t gid = 0;
};

class TarBuilder {
 public:
  TarBuilder();
  ~TarBuilder();
  TarBuilder(const TarBuilder&) = delete;
  TarBuilder& operator=(const TarBuilder&) = delete;

  TarBuilder& dir(const std::string& path, mode_t mode = 0755, Owner owner = {});
  TarBuilder& file(const std::string& path, const std::string& content, mode_t mode = 0644,
                   Owner owner = {});
  TarBuilder& symlink(const std::string& path, const std::string& target);
  TarBuilder& hardlink(const std::string& path, const std::string& target);
  TarBuilder& node(const std::string& path, mode_t type, unsigned major, unsigned minor,
                   mode_t mode);
  // The tar's bytes; the builder is done after this.
  std::string finish();

 private:
  archive* archive_;
  std::string out_;
};

// data compressed with gzip, as an OCI "+gzip" layer is.
std::string gzip(const std::string& data);

// "sha256:<hex>" of data.
std::string sha256_of(const std::string& data);

}  // namespace cradle::testing
