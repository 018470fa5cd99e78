#include "cli/cli.h"

#include <sstream>

#include "cli/command.h"
#include "cli/events.h"
#include "cli/exec.h"
#include "cli/image.h"
#include "cli/inspect.h"
#include "cli/lifecycle.h"
#include "cli/logs.h"
#include "cli/ps.h"
#include "cli/run_create.h"
#include "cli/signals.h"
#include "cli/stats.h"
#include "cli/system.h"

namespace cradle::cli {
namespace {

// Help asked for (exit 0) or a line CLI11 cannot parse (125, as docker's usage errors).
int parse_failure(const CLI::App& app, const CLI::ParseError& error, const Environment& env) {
  if (error.get_exit_code() == 0) {
    std::ostringstream out;
    std::ostringstream err;
    app.exit(error, out, err);
    write_fully(env.out_fd, out.str());
    return 0;
  }
  write_fully(env.err_fd, "Error: " + std::string(error.what()) + "\nSee 'cradle --help'.\n");
  return kExitFailure;
}

}  // namespace

int run_cli(int argc, char** argv) {
  SignalWatcher signals;
  Environment env;
  env.signals = &signals;
  return run_cli(std::vector<std::string>(argv + 1, argv + argc), env);
}

int run_cli(const std::vector<std::string>& args, const Environment& env) {
  CLI::App app("Run and manage containers through the cradle daemon.", "cradle");
  std::string socket = kDefaultSocket;
  std::string ns = kDefaultNamespace;
  app.add_option("--socket", socket, "The daemon's socket")
      ->envname("CRADLE_SOCKET")
      ->capture_default_str();
  app.add_option("-n,--namespace", ns, "The namespace of containers and images")
      ->envname("CRADLE_NAMESPACE")
      ->capture_default_str();
  // At most one verb: a container command that happens to be a verb's name (`run busybox ps`)
  // then stays the container's.
  app.require_subcommand(0, 1);

  Action action;
  add_run_and_create(app, action);
  add_exec(app, action);
  add_lifecycle(app, action);
  add_ps(app, action);
  add_logs(app, action);
  add_inspect(app, action);
  add_stats(app, action);
  add_events(app, action);
  add_image(app, action);
  add_system(app, action);

  try {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  } catch (const CLI::ParseError& error) {
    return parse_failure(app, error, env);
  }
  if (!action) {
    write_fully(env.out_fd, app.help());
    return 0;
  }
  DaemonClient daemon(socket, ns);
  try {
    return action(Context{env, daemon});
  } catch (...) {
    return report_failure(std::current_exception(), daemon, env.err_fd);
  }
}

}  // namespace cradle::cli
