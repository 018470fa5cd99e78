// `cradle stats [--no-stream] [NAME...]`: CPU, memory and pids of running containers, a table
// refreshed every second (or printed once). CPU % comes from two Tasks.Stats samples: the CPU
// time used between them over the wall time between them (100% = one CPU busy).
#pragma once

#include "cli/command.h"

namespace cradle::cli {

struct StatsOptions {
  bool no_stream = false;
  std::vector<std::string> names;  // none: every running container
};

void add_stats(CLI::App& app, Action& action);
int show_stats(const Context& ctx, const StatsOptions& options);

// "12.50%": CPU time used between two samples over the wall time between them.
std::string cpu_percent(const v1::StatsResponse& before, const v1::StatsResponse& after);

}  // namespace cradle::cli
