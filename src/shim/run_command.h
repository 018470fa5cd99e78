// `cradle-shim run`: one container in the foreground. Its stdio is the caller's (through a pty
// when the spec asks for a terminal), SIGINT/SIGTERM/... are forwarded to it, the command exits
// with its status (128+N for signal N), and nothing of it is left afterwards.
#pragma once

#include <string>

namespace cradle::shim {

struct RunOptions {
  std::string bundle_dir = ".";
  std::string id;  // default: the bundle directory's name
};

// Returns the exit status for the shell. Throws cradle::Error when the container cannot start.
int run_container(const RunOptions& options);

}  // namespace cradle::shim
