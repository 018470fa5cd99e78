// `cradle logs [-f] [--tail N] [-t]`: Tasks.Logs, each entry to the CLI's stdout or stderr as
// the container wrote it.
#pragma once

#include "cli/command.h"

namespace cradle::cli {

struct LogsOptions {
  bool follow = false;
  bool timestamps = false;
  std::string tail = "all";  // a number of lines or "all"
  std::string container;
};

void add_logs(CLI::App& app, Action& action);
int show_logs(const Context& ctx, const LogsOptions& options);

}  // namespace cradle::cli
