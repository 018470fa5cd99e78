// OCI mount options ("ro", "nosuid", "rbind", "rslave", "mode=755", ...) sorted into what the
// new mount API takes: mount attributes, propagation, bind-ness, and filesystem parameters.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cradle::ns {

struct MountOptions {
  bool bind = false;
  bool recursive = false;
  unsigned attr_set = 0;
  unsigned attr_clear = 0;
  unsigned long propagation = 0;
  bool propagation_recursive = false;
  // Everything else goes to the filesystem: {"mode", "755"}, {"newinstance", ""}.
  std::vector<std::pair<std::string, std::string>> fs_options;
};

// Throws Error naming the option for ones cradle refuses (idmapped mounts, remount).
MountOptions parse_mount_options(const std::vector<std::string>& options);

}  // namespace cradle::ns
