#include "cli/ps.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cradle::cli {
namespace {

constexpr std::size_t kShortId = 12;
constexpr std::size_t kCommandWidth = 20;

std::string ago(const google::protobuf::Timestamp& then, TimePoint now) {
  return human_duration(now - to_time_point(then)) + " ago";
}

// What the container runs: the OCI spec's args when the daemon has built the spec (they include
// the image's entrypoint and command), else what the user asked for.
std::string command_line(const v1::Container& container) {
  std::vector<std::string> args;
  if (!container.spec_json().empty()) {
    auto spec = nlohmann::json::parse(container.spec_json(), nullptr, false);
    if (!spec.is_discarded() && spec.contains("process") && spec["process"].contains("args"))
      for (const auto& arg : spec["process"]["args"])
        if (arg.is_string()) args.push_back(arg.get<std::string>());
  }
  if (args.empty()) {
    const auto& config = container.config();
    args.assign(config.entrypoint().begin(), config.entrypoint().end());
    args.insert(args.end(), config.command().begin(), config.command().end());
  }
  std::string line;
  for (const auto& arg : args)
    line += (line.empty() ? "" : " ") + arg;
  return line;
}

std::string state_name(v1::TaskStatus status, bool exited) {
  switch (status) {
    case v1::TASK_STATUS_CREATED: return "created";
    case v1::TASK_STATUS_RUNNING: return "running";
    case v1::TASK_STATUS_PAUSED: return "paused";
    case v1::TASK_STATUS_STOPPED: return "exited";
    case v1::TASK_STATUS_NONE: return exited ? "exited" : "created";
    default: return "unknown";
  }
}

std::string labels_text(const v1::Container& container) {
  std::vector<std::string> pairs;
  for (const auto& [key, value] : container.labels())
    pairs.push_back(key + "=" + value);
  std::sort(pairs.begin(), pairs.end());
  std::string text;
  for (const auto& pair : pairs)
    text += (text.empty() ? "" : ",") + pair;
  return text;
}

struct Row {
  std::string id, image, command, created, status, names;
};

Row row_of(const v1::Container& container, const PsOptions& options, TimePoint now) {
  std::string command = command_line(container);
  if (!options.no_trunc) command = ellipsize(command, kCommandWidth);
  return {options.no_trunc ? container.id() : container.id().substr(0, kShortId),
          container.image(),
          quote(command),
          ago(container.created_at(), now),
          container_status(container, now),
          container.name()};
}

std::string json_line(const v1::Container& container, const Row& row, TimePoint now) {
  nlohmann::json object = {
      {"ID", row.id},
      {"Names", row.names},
      {"Image", row.image},
      {"Command", row.command},
      {"CreatedAt", utc_date_time(to_time_point(container.created_at()))},
      {"RunningFor", human_duration(now - to_time_point(container.created_at()))},
      {"Status", row.status},
      {"State", state_name(container.status(), is_set(container.exited_at()))},
      {"Labels", labels_text(container)},
  };
  return object.dump() + "\n";
}

}  // namespace

std::string container_status(const v1::Container& container, TimePoint now) {
  // The API has no start time; a container's task starts right after it is created by `run`,
  // so the creation time stands in for it.
  std::string up = "Up " + human_duration(now - to_time_point(container.created_at()));
  std::string exited =
      "Exited (" + std::to_string(container.exit_status()) + ") " + ago(container.exited_at(), now);
  switch (container.status()) {
    case v1::TASK_STATUS_RUNNING: return up;
    case v1::TASK_STATUS_PAUSED: return up + " (Paused)";
    case v1::TASK_STATUS_CREATED: return "Created";
    case v1::TASK_STATUS_STOPPED: return exited;
    case v1::TASK_STATUS_NONE: return is_set(container.exited_at()) ? exited : "Created";
    default: return "Unknown";
  }
}

void add_ps(CLI::App& app, Action& action) {
  auto options = std::make_shared<PsOptions>();
  CLI::App* ps = app.add_subcommand("ps", "List containers");
  ps->add_flag("-a,--all", options->all, "Show every container (default: running ones)");
  ps->add_flag("-q,--quiet", options->quiet, "Only print ids");
  ps->add_flag("--no-trunc", options->no_trunc, "Do not truncate ids and commands");
  ps->add_option("--format", options->format, "table or json")
      ->check(CLI::IsMember({"", "table", "json"}));
  on_parsed(ps, action, options, &list_containers);
}

int list_containers(const Context& ctx, const PsOptions& options) {
  v1::ListContainersRequest request;
  request.set_all(options.all);
  auto response = ctx.daemon.call(ctx.daemon.containers(), &v1::Containers::Stub::List, request);
  std::vector<v1::Container> containers(response.containers().begin(), response.containers().end());
  // Newest first, as docker lists them.
  std::stable_sort(containers.begin(), containers.end(), [](const auto& a, const auto& b) {
    return to_time_point(a.created_at()) > to_time_point(b.created_at());
  });

  TimePoint now = ctx.env.now();
  Table table({"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"});
  std::string out;
  for (const auto& container : containers) {
    Row row = row_of(container, options, now);
    if (options.quiet)
      out += row.id + "\n";
    else if (options.format == "json")
      out += json_line(container, row, now);
    else
      table.add_row({row.id, row.image, row.command, row.created, row.status, row.names});
  }
  ctx.out(options.quiet || options.format == "json" ? out : table.render());
  return 0;
}

}  // namespace cradle::cli
