// build_exec_process: the process of a `cradle exec`, made from the container's own process as
// docker does (it starts from the container's spec process and replaces what the exec sets).
#include "base/error.h"
#include "core/process_env.h"
#include "core/spec_builder.h"
#include "core/spec_builder_internal.h"

namespace cradle {

using namespace spec_builder;

nlohmann::json build_exec_process(const nlohmann::json& container_spec,
                                  const ProcessOptions& options, const std::string& image_rootfs) {
  if (options.args.empty()) throw_invalid("exec: a command to run is required");
  if (!container_spec.contains("process") || !container_spec["process"].is_object()) {
    throw_invalid("exec: the container's spec has no process to start from");
  }
  const nlohmann::json& container = container_spec["process"];
  // Capabilities, rlimits, noNewPrivileges, apparmor and selinux labels, oomScoreAdj: the
  // container's, so an exec can never hold more than the container's own process.
  nlohmann::json process = container;
  process.erase("consoleSize");  // the exec's terminal has its own size, sent by the client
  process["args"] = options.args;
  process["terminal"] = options.tty;

  auto env = container.value("env", std::vector<std::string>{});
  if (!options.user.empty()) {
    ResolvedUser user = resolve_user(image_rootfs, options.user);
    process["user"] = user_json(user);
    // The container's HOME belongs to the container's user; runc would give this user its own.
    merge_env(env, {"HOME=" + user.home}, "--user");
  }
  if (options.tty && !env_value(env, "TERM")) env.push_back("TERM=xterm");
  merge_env(env, options.env, "--env");
  process["env"] = env;
  if (!options.working_dir.empty()) process["cwd"] = working_dir_option(options.working_dir);
  return process;
}

}  // namespace cradle
