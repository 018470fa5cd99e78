// The verbs that move containers through their lives: start, kill, stop, rm, pause, unpause.
// Each takes several names, reports each failure and goes on with the next, as docker does.
#pragma once

#include "cli/command.h"

namespace cradle::cli {

struct StartOptions {
  bool attach = false;
  bool interactive = false;
  std::vector<std::string> names;
};

struct KillOptions {
  std::string signal = "KILL";
  std::vector<std::string> names;
};

struct StopOptions {
  int timeout_seconds = 10;  // negative: wait for ever
  std::vector<std::string> names;
};

struct RemoveOptions {
  bool force = false;
  std::vector<std::string> names;
};

struct NamesOptions {
  std::vector<std::string> names;
};

void add_lifecycle(CLI::App& app, Action& action);

// Creates the task if the container has none (or only an exited one), starts it; with -a/-i
// attaches first and returns the exit status.
int start_containers(const Context& ctx, const StartOptions& options);
// Tasks.Kill of the init.
int kill_containers(const Context& ctx, const KillOptions& options);
// TERM, Tasks.Wait for the timeout, then KILL to every process and Tasks.Wait.
int stop_containers(const Context& ctx, const StopOptions& options);
// Containers.Delete (force: the daemon kills a running task first).
int remove_containers(const Context& ctx, const RemoveOptions& options);
int pause_containers(const Context& ctx, const NamesOptions& options);
int unpause_containers(const Context& ctx, const NamesOptions& options);

// Runs `apply` on each named container (resolved with Containers.Get), prints the name after
// each success and "Error: ..." after each failure; 125 when any failed.
int for_each_container(const Context& ctx, const std::vector<std::string>& names,
                       const std::function<void(const v1::Container&)>& apply);

}  // namespace cradle::cli
