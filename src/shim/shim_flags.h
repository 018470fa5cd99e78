// The command line containerd gives a shim binary, in Go's flag syntax:
//   containerd-shim-cradle-v2 -namespace NS -address ADDR -publish-binary BIN -id ID
//       [-bundle DIR] [-debug] [-socket PATH] ACTION
// Flags take a separate value (or -flag=value), may use one or two dashes, and end at the first
// word that is not a flag: the action ("start", "delete", or none for the serving daemon).
#pragma once

#include <string>
#include <vector>

namespace cradle::shim {

struct ShimFlags {
  std::string ns;
  std::string address;         // containerd's gRPC socket
  std::string publish_binary;  // containerd's binary (its legacy event publisher)
  std::string id;
  std::string bundle;  // only `delete` gets it; `start` runs in the bundle directory
  std::string socket;  // serve on this path instead of computing one
  bool debug = false;
  std::string action;
};

// Throws Error(kInvalidArgument) naming an unknown flag or a missing value.
ShimFlags parse_shim_flags(const std::vector<std::string>& args);

}  // namespace cradle::shim
