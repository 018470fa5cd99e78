#include "cli/inspect.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

namespace cradle::cli {
namespace {

// The message in protobuf's JSON mapping (camelCase names), every field shown even when it has
// its zero value: an exit status of 0 is information.
nlohmann::ordered_json to_json(const v1::Container& container) {
  google::protobuf::util::JsonPrintOptions print;
  print.always_print_primitive_fields = true;
  std::string text;
  if (auto status = google::protobuf::util::MessageToJsonString(container, &text, print);
      !status.ok())
    throw CliError("cannot print container " + container.id() +
                   " as JSON: " + std::string(status.message()));
  return nlohmann::ordered_json::parse(text);
}

}  // namespace

void add_inspect(CLI::App& app, Action& action) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* inspect = app.add_subcommand("inspect", "Print containers as JSON");
  inspect->add_option("CONTAINER", options->names)->required();
  on_parsed(inspect, action, options, &inspect_containers);
}

int inspect_containers(const Context& ctx, const InspectOptions& options) {
  auto containers = nlohmann::ordered_json::array();
  int exit_code = 0;
  for (const auto& name : options.names) {
    try {
      containers.push_back(to_json(ctx.daemon.get_container(name)));
    } catch (...) {
      exit_code = report_failure(std::current_exception(), ctx.daemon, ctx.env.err_fd);
    }
  }
  ctx.out(containers.dump(4) + "\n");
  return exit_code;
}

}  // namespace cradle::cli
