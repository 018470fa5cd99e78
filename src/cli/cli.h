// The cradle command line: `cradle [--socket PATH] [-n NAMESPACE] VERB ...`, docker's verbs
// against cradled's gRPC API.
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"

namespace cradle::cli {

// The real process: stdio, the system clock, and signals (blocked first thing, then watched).
int run_cli(int argc, char** argv);

// The words after the program name, in `env`: what tests run in-process. Returns the exit code.
int run_cli(const std::vector<std::string>& args, const Environment& env);

}  // namespace cradle::cli
