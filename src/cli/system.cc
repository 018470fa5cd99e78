#include "cli/system.h"

namespace cradle::cli {

void add_system(CLI::App& app, Action& action) {
  auto none = std::make_shared<NoOptions>();
  on_parsed(app.add_subcommand("version", "Show the versions of the CLI and the daemon"), action,
            none, &show_version);
  on_parsed(app.add_subcommand("info", "Show what the daemon knows about itself and the host"),
            action, none, &show_info);
}

int show_version(const Context& ctx, const NoOptions&) {
  // The client's part first: it is worth having when the daemon is not there.
  ctx.out("Client:\n Version:  " CRADLE_VERSION "\n\n");
  auto server =
      ctx.daemon.call(ctx.daemon.system(), &v1::System::Stub::Version, google::protobuf::Empty());
  ctx.out("Server:\n Version:  " + server.version() + "\n Revision: " + server.revision() + "\n");
  return 0;
}

int show_info(const Context& ctx, const NoOptions&) {
  auto info =
      ctx.daemon.call(ctx.daemon.system(), &v1::System::Stub::Info, google::protobuf::Empty());
  std::string controllers;
  for (const auto& controller : info.cgroup_controllers())
    controllers += (controllers.empty() ? "" : " ") + controller;
  ctx.out("Containers: " + std::to_string(info.containers()) + "\n" +
          " Running: " + std::to_string(info.containers_running()) + "\n" +
          "Images: " + std::to_string(info.images()) + "\n" + "Server Version: " + info.version() +
          "\n" + "Root Dir: " + info.root_dir() + "\n" + "State Dir: " + info.state_dir() + "\n" +
          "Cgroup Version: 2" + (info.cgroup_v2_pure() ? "" : " (hybrid host)") + "\n" +
          " Mount: " + info.cgroup_v2_mount() + "\n" + " Controllers: " + controllers + "\n" +
          "Kernel Version: " + info.kernel() + "\n");
  return 0;
}

}  // namespace cradle::cli
