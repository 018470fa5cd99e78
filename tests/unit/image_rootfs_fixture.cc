#include "image_rootfs_fixture.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace cradle::testing {

ImageRootfs::ImageRootfs() : path_(dir_.path() + "/rootfs") {
  write("etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\n"
        "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
        "# a comment, and a broken line below\n"
        "broken:x:notanumber:0::/:/bin/sh\n"
        "bob:x:1000:1000:Bob:/home/bob:/bin/sh\n"
        "nohome:x:2000:2000\n");
  write("etc/group",
        "root:x:0:\n"
        "wheel:x:10:root\n"
        "audio:x:29:bob\n"
        "staff:x:50:alice, bob\n"
        "bob:x:1000:\n");
}

void ImageRootfs::write(const std::string& path, const std::string& text) const {
  std::filesystem::path file = path_ + "/" + path;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace cradle::testing
