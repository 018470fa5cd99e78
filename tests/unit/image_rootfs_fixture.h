// A temporary image root with a busybox-like /etc/passwd and /etc/group, for the spec builder's
// tests: root is in wheel, bob in staff and audio.
#pragma once

#include <string>

#include "support/temp_dir.h"

namespace cradle::testing {

class ImageRootfs {
 public:
  ImageRootfs();
  const std::string& path() const { return path_; }
  // Writes path (relative to the rootfs) with text, making its directories.
  void write(const std::string& path, const std::string& text) const;

 private:
  TempDir dir_;
  std::string path_;
};

}  // namespace cradle::testing
