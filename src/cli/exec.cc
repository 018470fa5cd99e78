#include "cli/exec.h"

#include "cli/attach.h"
#include "cli/option_values.h"
#include "cli/terminal.h"

namespace cradle::cli {

void add_exec(CLI::App& app, Action& action) {
  auto options = std::make_shared<ExecOptions>();
  CLI::App* exec = app.add_subcommand("exec", "Run a command in a running container");
  exec->add_flag("-i,--interactive", options->interactive, "Keep stdin open");
  exec->add_flag("-t,--tty", options->tty, "Allocate a terminal");
  exec->add_flag("-d,--detach", options->detach, "Run the command in the background");
  exec->add_option("-u,--user", options->user, "User: name or uid[:gid]");
  exec->add_option("-w,--workdir", options->workdir, "Working directory inside the container");
  add_list(exec, "-e,--env", options->env, "Set an environment variable");
  on_parsed_with_words(exec, action, options, &ExecOptions::words, "CONTAINER COMMAND [ARG...]",
                       &exec_process);
}

int exec_process(const Context& ctx, const ExecOptions& options) {
  if (options.words.size() < 2)
    throw CliError("a container and a command are needed: CONTAINER COMMAND [ARG...]");
  if (!options.detach && options.interactive && options.tty && !is_terminal(ctx.env.in_fd))
    throw CliError("the input device is not a TTY: drop -t to pipe input into the process");
  const std::string& ref = options.words.front();
  v1::Container container = ctx.daemon.get_container(ref);
  if (container.status() == v1::TASK_STATUS_PAUSED)
    throw CliError("container " + ref + " is paused: unpause it first");
  if (container.status() != v1::TASK_STATUS_RUNNING)
    throw CliError("container " + ref + " is not running");

  v1::ExecRequest request;
  request.set_container_id(container.id());
  v1::ProcessConfig& process = *request.mutable_process();
  for (auto word = options.words.begin() + 1; word != options.words.end(); ++word)
    process.add_args(*word);
  for (auto& entry : resolve_env(options.env))
    process.add_env(std::move(entry));
  process.set_working_dir(options.workdir);
  process.set_user(options.user);
  process.set_tty(options.tty);
  process.set_stdin_open(options.interactive && !options.detach);

  v1::ExecResponse created;
  try {
    created = ctx.daemon.call(ctx.daemon.tasks(), &v1::Tasks::Stub::Exec, request);
  } catch (const RpcError& error) {
    throw exec_failure(error);
  }
  v1::TaskRef ref_of_process = task_ref(container.id(), created.exec_id());
  if (options.detach) {
    start_process(ctx, ref_of_process);
    return 0;
  }
  return attach_and_start(ctx, {ref_of_process, options.interactive, options.tty}).status;
}

}  // namespace cradle::cli
