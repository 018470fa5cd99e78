#pragma once

#include <string>

namespace cradle {

// Docker's short names, made full: "busybox" -> "docker.io/library/busybox:latest",
// "me/app:1" -> "docker.io/me/app:1", "registry.local:5000/x" -> "registry.local:5000/x:latest".
// A digest reference ("x@sha256:...") keeps its digest. Throws kInvalidArgument for an empty or
// malformed one.
std::string normalize_image_name(const std::string& reference);

}  // namespace cradle
