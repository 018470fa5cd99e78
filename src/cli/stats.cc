#include "cli/stats.h"

#include <algorithm>
#include <cstdio>

namespace cradle::cli {
namespace {

using namespace std::chrono_literals;

constexpr auto kInterval = 1000ms;
constexpr std::string_view kClearScreen = "\033[2J\033[H";

struct Sample {
  std::string id;
  std::string name;
  v1::StatsResponse stats;
};
using Samples = std::vector<Sample>;  // in the order the containers were listed

std::vector<v1::Container> targets(const Context& ctx, const StatsOptions& options) {
  std::vector<v1::Container> containers;
  if (options.names.empty()) {
    auto listed = ctx.daemon.call(ctx.daemon.containers(), &v1::Containers::Stub::List,
                                  v1::ListContainersRequest());
    for (const auto& container : listed.containers())
      if (container.status() == v1::TASK_STATUS_RUNNING) containers.push_back(container);
  } else {
    for (const auto& name : options.names)
      containers.push_back(ctx.daemon.get_container(name));
  }
  return containers;
}

// A container whose task went away between the listing and its sample is left out.
Samples sample(const Context& ctx, const std::vector<v1::Container>& containers) {
  Samples samples;
  for (const auto& container : containers) {
    try {
      samples.push_back(
          {container.id(), container.name(),
           ctx.daemon.call(ctx.daemon.tasks(), &v1::Tasks::Stub::Stats, task_ref(container.id()))});
    } catch (const RpcError& error) {
      if (error.code() != grpc::StatusCode::NOT_FOUND &&
          error.code() != grpc::StatusCode::FAILED_PRECONDITION)
        throw;
    }
  }
  return samples;
}

std::string render(const Samples& before, const Samples& after) {
  Table table({"NAME", "CPU %", "MEM USAGE / LIMIT", "PIDS"});
  for (const auto& now : after) {
    auto earlier = std::find_if(before.begin(), before.end(),
                                [&](const Sample& sample) { return sample.id == now.id; });
    const v1::StatsResponse& stats = now.stats;
    std::string limit = stats.memory_limit_bytes() == 0
                            ? "unlimited"
                            : binary_size(static_cast<double>(stats.memory_limit_bytes()));
    table.add_row({now.name, earlier == before.end() ? "--" : cpu_percent(earlier->stats, stats),
                   binary_size(static_cast<double>(stats.memory_bytes())) + " / " + limit,
                   std::to_string(stats.pids())});
  }
  return table.render();
}

}  // namespace

std::string cpu_percent(const v1::StatsResponse& before, const v1::StatsResponse& after) {
  auto wall = to_time_point(after.read_at()) - to_time_point(before.read_at());
  double wall_usec = std::chrono::duration<double, std::micro>(wall).count();
  double used_usec = after.cpu_usage_usec() >= before.cpu_usage_usec()
                         ? static_cast<double>(after.cpu_usage_usec() - before.cpu_usage_usec())
                         : 0.0;
  double percent = wall_usec > 0 ? used_usec / wall_usec * 100.0 : 0.0;
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", percent);
  return text;
}

void add_stats(CLI::App& app, Action& action) {
  auto options = std::make_shared<StatsOptions>();
  CLI::App* stats = app.add_subcommand("stats", "Show containers' resource usage");
  stats->add_flag("--no-stream", options->no_stream, "Print once instead of refreshing");
  stats->add_option("CONTAINER", options->names);
  on_parsed(stats, action, options, &show_stats);
}

int show_stats(const Context& ctx, const StatsOptions& options) {
  std::vector<v1::Container> containers = targets(ctx, options);
  Samples before = sample(ctx, containers);
  for (;;) {
    ctx.env.sleep(kInterval);
    // Without names the set follows the running containers, as docker's does.
    if (options.names.empty()) containers = targets(ctx, options);
    Samples after = sample(ctx, containers);
    if (options.no_stream) {
      ctx.out(render(before, after));
      return 0;
    }
    ctx.out(std::string(kClearScreen) + render(before, after));
    before = std::move(after);
  }
}

}  // namespace cradle::cli
