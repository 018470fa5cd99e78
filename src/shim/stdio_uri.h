// What one stdio string of a Create or Exec request names, as containerd 1.6 sends them
// (reference §5.1): "" is /dev/null, a path with no scheme is a FIFO the client made,
// "file:///abs" is a file to append to, "binary:///abs/logger?k=v" is a logger process.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cradle::shim {

struct StdioTarget {
  enum class Kind { kNull, kFifo, kFile, kBinary, kCriLog };
  Kind kind = Kind::kNull;
  std::string path;               // the FIFO, the file or the logger binary; percent-decoded
  std::vector<std::string> args;  // kBinary: the logger's arguments after its path
};

// Parses `value`; `stream` ("stdout", ...) names it in errors. Follows the runc shim: only the
// path of a file:// or binary:// URL counts (the host is ignored) and must be absolute; each
// query key of a binary:// URL becomes two arguments, the key and its first value ("" if none),
// in the order the URL gives them (Go iterates a map there, so its order is random).
StdioTarget parse_stdio_target(std::string_view value, std::string_view stream);

}  // namespace cradle::shim
