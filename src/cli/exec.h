// `cradle exec`: Tasks.Exec -> Tasks.Attach -> Tasks.Start -> relay -> the process's exit code.
#pragma once

#include "cli/command.h"

namespace cradle::cli {

struct ExecOptions {
  bool interactive = false;
  bool tty = false;
  bool detach = false;
  std::string user;
  std::string workdir;
  std::vector<std::string> env;
  std::vector<std::string> words;  // CONTAINER COMMAND [ARG...]
};

void add_exec(CLI::App& app, Action& action);
int exec_process(const Context& ctx, const ExecOptions& options);

}  // namespace cradle::cli
