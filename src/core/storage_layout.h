// Where the daemon's storage lives under its root directory (DESIGN.md, "State on disk"), in one
// place for the stores that share it.
#pragma once

#include <string>
#include <string_view>

namespace cradle {

inline std::string content_dir(const std::string& root) {
  return root + "/content";
}
inline std::string containers_dir(const std::string& root) {
  return root + "/snapshots/containers";
}
inline std::string layers_dir(const std::string& root) {
  return root + "/snapshots/layers";
}

// An import's staging directory in content/, removed when the import ends.
constexpr std::string_view kIngestPrefix = "ingest-";
// A tree on its way out, or a layer on its way in. The leading dot keeps it from ever being a
// container id or a layer's diff id.
constexpr std::string_view kTempPrefix = ".tmp-";

}  // namespace cradle
