#include "cli/container_config.h"

#include "cli/option_values.h"

namespace cradle::cli {

void add_container_options(CLI::App* command, ContainerOptions& o) {
  command->add_option("--name", o.name, "Name the container");
  add_list(command, "-e,--env", o.env,
           "Set an environment variable (KEY=value, or KEY to pass "
           "the CLI's own)");
  add_list(command, "--env-file", o.env_files, "Read environment variables from a file");
  add_list(command, "-v,--volume", o.volumes, "Bind mount a host path: SRC:DST[:ro]");
  add_list(command, "-l,--label", o.labels, "Set a label: KEY=value");
  command->add_option("-w,--workdir", o.workdir, "Working directory inside the container");
  command->add_option("-u,--user", o.user, "User: name or uid[:gid]");
  command->add_option("--hostname", o.hostname, "Container host name");
  command->add_option("--network", o.network, "Network: none or host");
  command->add_option("-m,--memory", o.memory, "Memory limit (64m, 1g, bytes)");
  command->add_option("--cpus", o.cpus, "Number of CPUs (1.5)");
  command->add_option("--pids-limit", o.pids_limit, "Maximum number of processes (0: no limit)");
  command->add_option("--entrypoint", o.entrypoint, "Replace the image's entrypoint");
  command->add_flag("--read-only", o.read_only, "Mount the root filesystem read-only");
  add_list(command, "--cap-add", o.cap_add, "Add a capability");
  add_list(command, "--cap-drop", o.cap_drop, "Drop a capability");
  command->add_flag("--privileged", o.privileged, "Give the container every privilege");
  command->add_flag("--init", o.init, "Run an init that reaps zombies as pid 1");
  command->add_flag("-i,--interactive", o.interactive, "Keep stdin open");
  command->add_flag("-t,--tty", o.tty, "Allocate a terminal");
  command->add_flag("--rm", o.remove, "Remove the container when it exits");
}

v1::CreateContainerRequest create_request(const ContainerOptions& o) {
  if (o.words.empty()) throw CliError("an image is needed: IMAGE [COMMAND] [ARG...]");
  if (!o.workdir.empty() && !o.workdir.starts_with('/'))
    throw CliError("the working directory \"" + o.workdir + "\" must be an absolute path");

  v1::CreateContainerRequest request;
  request.set_name(o.name);
  request.set_image(o.words.front());
  for (const auto& label : o.labels) {
    auto equals = label.find('=');
    (*request.mutable_labels())[label.substr(0, equals)] =
        equals == std::string::npos ? "" : label.substr(equals + 1);
  }

  v1::ContainerConfig& config = *request.mutable_config();
  for (auto word = o.words.begin() + 1; word != o.words.end(); ++word)
    config.add_command(*word);
  if (!o.entrypoint.empty()) config.add_entrypoint(o.entrypoint);
  // docker's order: env files first, then -e, so that -e wins.
  for (const auto& path : o.env_files)
    for (auto& entry : read_env_file(path))
      config.add_env(std::move(entry));
  for (auto& entry : resolve_env(o.env))
    config.add_env(std::move(entry));
  config.set_working_dir(o.workdir);
  config.set_user(o.user);
  config.set_hostname(o.hostname);
  config.set_network(o.network);
  for (const auto& volume : o.volumes)
    *config.add_mounts() = parse_volume(volume);

  v1::ResourceConfig& resources = *config.mutable_resources();
  if (!o.memory.empty()) resources.set_memory_bytes(parse_memory("--memory", o.memory));
  if (!o.cpus.empty()) resources.set_cpus(parse_cpus("--cpus", o.cpus));
  // docker's -1 means no limit, like 0.
  resources.set_pids_limit(o.pids_limit > 0 ? o.pids_limit : 0);

  config.set_read_only(o.read_only);
  for (const auto& cap : o.cap_add)
    config.add_cap_add(cap);
  for (const auto& cap : o.cap_drop)
    config.add_cap_drop(cap);
  config.set_privileged(o.privileged);
  config.set_tty(o.tty);
  config.set_stdin_open(o.interactive);
  config.set_init(o.init);
  config.set_auto_remove(o.remove);
  return request;
}

}  // namespace cradle::cli
