// The path of an entry in an untrusted tar, made safe to use under a directory: its components,
// with "." and empty ones dropped. An absolute path or a ".." component is refused outright
// rather than cleaned, since no image tool writes one and an attacker's tarball would.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cradle {

// "./usr//bin/" -> {"usr", "bin"}; "." -> {} (the top directory itself). Throws
// kInvalidArgument `entry "<path>" has an absolute path` or `entry "<path>" has a ".." component`.
std::vector<std::string> archive_path_parts(std::string_view path);

// The parts joined with '/': "usr/bin"; "" for none.
std::string join_path_parts(const std::vector<std::string>& parts, std::size_t count);
inline std::string join_path_parts(const std::vector<std::string>& parts) {
  return join_path_parts(parts, parts.size());
}

}  // namespace cradle
