// `cradle ps`: the containers as docker lists them, as a table, ids only (-q) or JSON lines.
#pragma once

#include "cli/command.h"

namespace cradle::cli {

struct PsOptions {
  bool all = false;
  bool quiet = false;
  bool no_trunc = false;
  std::string format;  // "" or "table": the table; "json": one JSON object per line
};

void add_ps(CLI::App& app, Action& action);
int list_containers(const Context& ctx, const PsOptions& options);

// "Up 3 seconds", "Up 2 hours (Paused)", "Exited (0) 2 minutes ago", "Created".
std::string container_status(const v1::Container& container, TimePoint now);

}  // namespace cradle::cli
