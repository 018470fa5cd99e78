// `cradle create` and `cradle run`.
#pragma once

#include "cli/command.h"
#include "cli/container_config.h"

namespace cradle::cli {

struct RunOptions : ContainerOptions {
  bool detach = false;
};

void add_run_and_create(CLI::App& app, Action& action);

// Containers.Create, then print the id.
int create_container(const Context& ctx, const ContainerOptions& options);

// Containers.Create -> Tasks.Create -> Tasks.Attach (before the start, so no output is lost) ->
// Tasks.Start -> relay until the exit message -> with --rm, wait until the daemon removed the
// container. Returns the container's exit status. With -d: create, start, print the id.
int run_container(const Context& ctx, const RunOptions& options);

}  // namespace cradle::cli
