#include "cli/run_create.h"

#include "base/phase_trace.h"
#include "base/scope_guard.h"
#include "cli/attach.h"
#include "cli/terminal.h"

namespace cradle::cli {
namespace {

constexpr char kImageAndCommand[] = "IMAGE [COMMAND] [ARG...]";

v1::Container create(const Context& ctx, const ContainerOptions& options) {
  return ctx.daemon.call(ctx.daemon.containers(), &v1::Containers::Stub::Create,
                         create_request(options));
}

// Best effort: runs on the way out of a failed `run --rm`, where the first error is the one
// worth reporting.
void force_remove(const Context& ctx, const std::string& id) noexcept {
  v1::DeleteContainerRequest request;
  request.set_id(id);
  request.set_force(true);
  try {
    ctx.daemon.call(ctx.daemon.containers(), &v1::Containers::Stub::Delete, request);
  } catch (const std::exception&) {
  }
}

// `run --rm` returns only once the container is gone, so the name is free again when the shell
// runs the next command. The daemon removes an auto_remove container when its task's exit
// reaches it; asking for the removal here does not race with that: the daemon runs one removal
// per container and a second request waits for the first. NOT_FOUND means it was done already.
void remove_exited(const Context& ctx, const std::string& id) {
  v1::DeleteContainerRequest request;
  request.set_id(id);
  try {
    ctx.daemon.call(ctx.daemon.containers(), &v1::Containers::Stub::Delete, request);
  } catch (const RpcError& error) {
    if (error.code() != grpc::StatusCode::NOT_FOUND) throw;
  }
}

}  // namespace

void add_run_and_create(CLI::App& app, Action& action) {
  auto run_options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand("run", "Create and start a container");
  add_container_options(run, *run_options);
  run->add_flag("-d,--detach", run_options->detach, "Run in the background and print the id");
  on_parsed_with_words(run, action, run_options, &RunOptions::words, kImageAndCommand,
                       &run_container);

  auto create_options = std::make_shared<ContainerOptions>();
  CLI::App* create = app.add_subcommand("create", "Create a container");
  add_container_options(create, *create_options);
  on_parsed_with_words(create, action, create_options, &ContainerOptions::words, kImageAndCommand,
                       &create_container);
}

int create_container(const Context& ctx, const ContainerOptions& options) {
  ctx.out(create(ctx, options).id() + "\n");
  return 0;
}

int run_container(const Context& ctx, const RunOptions& options) {
  if (!options.detach && options.interactive && options.tty && !is_terminal(ctx.env.in_fd))
    throw CliError("the input device is not a TTY: drop -t to pipe input into the container");
  const std::string id = create(ctx, options).id();
  // The daemon removes an auto_remove container when its task exits; one whose task never ran
  // is the CLI's to remove.
  ScopeGuard remove_unstarted([&] {
    if (options.remove) force_remove(ctx, id);
  });
  create_task(ctx, id);
  if (options.detach) {
    start_process(ctx, task_ref(id));
    remove_unstarted.dismiss();
    ctx.out(id + "\n");
    return 0;
  }
  AttachOutcome outcome = attach_and_start(ctx, {task_ref(id), options.interactive, options.tty});
  remove_unstarted.dismiss();
  if (options.remove && outcome.exited) {
    remove_exited(ctx, id);
    trace_mark("cli_removed");
  }
  return outcome.status;
}

}  // namespace cradle::cli
