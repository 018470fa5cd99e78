// Path arithmetic on strings only, never touching the filesystem: config paths name places inside
// a container that does not exist yet.
#pragma once

#include <string>
#include <string_view>

namespace cradle {

// The shortest lexically equal path, as Go's filepath.Clean: "//a/./b/../c/" -> "/a/c",
// "/../x" -> "/x", "a/.." -> ".", "" -> ".".
std::string clean_path(std::string_view path);

}  // namespace cradle
