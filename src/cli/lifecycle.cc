#include "cli/lifecycle.h"

#include <csignal>

#include "cli/attach.h"
#include "cli/signal_names.h"

namespace cradle::cli {
namespace {

// The task is ready to start (created now, or already), or running already (false).
bool prepare_task(const Context& ctx, const v1::Container& container) {
  switch (container.status()) {
    case v1::TASK_STATUS_RUNNING: return false;
    case v1::TASK_STATUS_CREATED: return true;
    case v1::TASK_STATUS_PAUSED:
      throw CliError("container " + container.name() + " is paused: unpause it instead");
    case v1::TASK_STATUS_STOPPED:
      // The exited task goes first: a container has one task at a time.
      try {
        ctx.daemon.call(ctx.daemon.tasks(), &v1::Tasks::Stub::Delete, task_ref(container.id()));
      } catch (const RpcError& error) {
        if (error.code() != grpc::StatusCode::NOT_FOUND) throw;
      }
      break;
    default: break;
  }
  create_task(ctx, container.id());
  return true;
}

// False when the task is gone already.
bool signal_task(const Context& ctx, const std::string& id, int signal, bool all) {
  v1::KillRequest request;
  *request.mutable_ref() = task_ref(id);
  request.set_signal(static_cast<uint32_t>(signal));
  request.set_all(all);
  try {
    ctx.daemon.call(ctx.daemon.tasks(), &v1::Tasks::Stub::Kill, request);
  } catch (const RpcError& error) {
    if (error.code() == grpc::StatusCode::NOT_FOUND) return false;
    throw;
  }
  return true;
}

// True once the task exited (or is gone); false when the timeout passed first.
bool wait_exit(const Context& ctx, const std::string& id,
               std::optional<std::chrono::milliseconds> timeout) {
  try {
    ctx.daemon.call(ctx.daemon.tasks(), &v1::Tasks::Stub::Wait, task_ref(id), timeout);
  } catch (const RpcError& error) {
    if (error.code() == grpc::StatusCode::DEADLINE_EXCEEDED) return false;
    if (error.code() == grpc::StatusCode::NOT_FOUND) return true;
    throw;
  }
  return true;
}

void stop(const Context& ctx, const v1::Container& container, int timeout_seconds) {
  auto status = container.status();
  if (status != v1::TASK_STATUS_RUNNING && status != v1::TASK_STATUS_PAUSED &&
      status != v1::TASK_STATUS_CREATED)
    return;
  const std::string& id = container.id();
  if (!signal_task(ctx, id, SIGTERM, false)) return;
  if (timeout_seconds >= 0) {
    if (wait_exit(ctx, id, std::chrono::seconds(timeout_seconds))) return;
    if (!signal_task(ctx, id, SIGKILL, true)) return;
  }
  wait_exit(ctx, id, std::nullopt);
}

using TaskMethod = grpc::Status (v1::Tasks::Stub::*)(grpc::ClientContext*, const v1::TaskRef&,
                                                     google::protobuf::Empty*);

int call_each(const Context& ctx, const std::vector<std::string>& names, TaskMethod method) {
  return for_each_container(ctx, names, [&](const v1::Container& container) {
    ctx.daemon.call(ctx.daemon.tasks(), method, task_ref(container.id()));
  });
}

}  // namespace

int for_each_container(const Context& ctx, const std::vector<std::string>& names,
                       const std::function<void(const v1::Container&)>& apply) {
  int exit_code = 0;
  for (const auto& name : names) {
    try {
      apply(ctx.daemon.get_container(name));
      ctx.out(name + "\n");
    } catch (...) {
      exit_code = report_failure(std::current_exception(), ctx.daemon, ctx.env.err_fd);
    }
  }
  return exit_code;
}

void add_lifecycle(CLI::App& app, Action& action) {
  auto start = std::make_shared<StartOptions>();
  CLI::App* start_command = app.add_subcommand("start", "Start created or stopped containers");
  start_command->add_flag("-a,--attach", start->attach, "Attach to the output, wait for the exit");
  start_command->add_flag("-i,--interactive", start->interactive, "Attach stdin too");
  start_command->add_option("CONTAINER", start->names)->required();
  on_parsed(start_command, action, start, &start_containers);

  auto kill = std::make_shared<KillOptions>();
  CLI::App* kill_command = app.add_subcommand("kill", "Send a signal to containers");
  kill_command->add_option("-s,--signal", kill->signal, "Signal: name (TERM, SIGTERM) or number")
      ->capture_default_str();
  kill_command->add_option("CONTAINER", kill->names)->required();
  on_parsed(kill_command, action, kill, &kill_containers);

  auto stop_options = std::make_shared<StopOptions>();
  CLI::App* stop_command = app.add_subcommand("stop", "Stop containers: TERM, then KILL");
  stop_command
      ->add_option("-t,--time", stop_options->timeout_seconds, "Seconds to wait before KILL")
      ->capture_default_str();
  stop_command->add_option("CONTAINER", stop_options->names)->required();
  on_parsed(stop_command, action, stop_options, &stop_containers);

  auto remove = std::make_shared<RemoveOptions>();
  CLI::App* remove_command = app.add_subcommand("rm", "Remove containers");
  remove_command->add_flag("-f,--force", remove->force, "Kill a running container first");
  remove_command->add_option("CONTAINER", remove->names)->required();
  on_parsed(remove_command, action, remove, &remove_containers);

  auto pause = std::make_shared<NamesOptions>();
  CLI::App* pause_command = app.add_subcommand("pause", "Freeze every process of containers");
  pause_command->add_option("CONTAINER", pause->names)->required();
  on_parsed(pause_command, action, pause, &pause_containers);

  auto unpause = std::make_shared<NamesOptions>();
  CLI::App* unpause_command = app.add_subcommand("unpause", "Thaw paused containers");
  unpause_command->add_option("CONTAINER", unpause->names)->required();
  on_parsed(unpause_command, action, unpause, &unpause_containers);
}

int start_containers(const Context& ctx, const StartOptions& options) {
  if (!options.attach && !options.interactive) {
    return for_each_container(ctx, options.names, [&](const v1::Container& container) {
      if (prepare_task(ctx, container)) start_process(ctx, task_ref(container.id()));
    });
  }
  if (options.names.size() != 1) throw CliError("-a and -i attach to one container: name only one");
  v1::Container container = ctx.daemon.get_container(options.names.front());
  bool start = prepare_task(ctx, container);
  AttachOptions attach{task_ref(container.id()),
                       options.interactive && container.config().stdin_open(),
                       container.config().tty()};
  return attach_and_start(ctx, attach, start).status;
}

int kill_containers(const Context& ctx, const KillOptions& options) {
  int signal = parse_signal(options.signal);
  return for_each_container(ctx, options.names, [&](const v1::Container& container) {
    if (!signal_task(ctx, container.id(), signal, false))
      throw CliError("container " + container.name() + " is not running");
  });
}

int stop_containers(const Context& ctx, const StopOptions& options) {
  return for_each_container(ctx, options.names, [&](const v1::Container& container) {
    stop(ctx, container, options.timeout_seconds);
  });
}

int remove_containers(const Context& ctx, const RemoveOptions& options) {
  return for_each_container(ctx, options.names, [&](const v1::Container& container) {
    v1::DeleteContainerRequest request;
    request.set_id(container.id());
    request.set_force(options.force);
    ctx.daemon.call(ctx.daemon.containers(), &v1::Containers::Stub::Delete, request);
  });
}

int pause_containers(const Context& ctx, const NamesOptions& options) {
  return call_each(ctx, options.names, &v1::Tasks::Stub::Pause);
}

int unpause_containers(const Context& ctx, const NamesOptions& options) {
  return call_each(ctx, options.names, &v1::Tasks::Stub::Resume);
}

}  // namespace cradle::cli
