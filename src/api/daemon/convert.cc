#include "api/daemon/convert.h"

namespace cradle::api {

ResourceOptions to_resources(const v1::ResourceConfig& r) {
  return ResourceOptions{r.memory_bytes(), r.cpus(), r.pids_limit()};
}

ContainerOptions to_options(const v1::ContainerConfig& c) {
  ContainerOptions o;
  o.command.assign(c.command().begin(), c.command().end());
  o.entrypoint.assign(c.entrypoint().begin(), c.entrypoint().end());
  o.env.assign(c.env().begin(), c.env().end());
  o.working_dir = c.working_dir();
  o.user = c.user();
  o.hostname = c.hostname();
  if (!c.network().empty()) o.network = c.network();
  for (const auto& m : c.mounts())
    o.mounts.push_back({m.source(), m.destination(), m.read_only()});
  o.resources = to_resources(c.resources());
  o.read_only = c.read_only();
  o.cap_add.assign(c.cap_add().begin(), c.cap_add().end());
  o.cap_drop.assign(c.cap_drop().begin(), c.cap_drop().end());
  o.privileged = c.privileged();
  o.tty = c.tty();
  o.stdin_open = c.stdin_open();
  o.init = c.init();
  o.auto_remove = c.auto_remove();
  return o;
}

v1::ContainerConfig to_config(const ContainerOptions& o) {
  v1::ContainerConfig c;
  for (const auto& a : o.command)
    c.add_command(a);
  for (const auto& a : o.entrypoint)
    c.add_entrypoint(a);
  for (const auto& e : o.env)
    c.add_env(e);
  c.set_working_dir(o.working_dir);
  c.set_user(o.user);
  c.set_hostname(o.hostname);
  c.set_network(o.network);
  for (const auto& m : o.mounts) {
    auto* mount = c.add_mounts();
    mount->set_source(m.source);
    mount->set_destination(m.destination);
    mount->set_read_only(m.read_only);
  }
  c.mutable_resources()->set_memory_bytes(o.resources.memory_bytes);
  c.mutable_resources()->set_cpus(o.resources.cpus);
  c.mutable_resources()->set_pids_limit(o.resources.pids_limit);
  c.set_read_only(o.read_only);
  for (const auto& a : o.cap_add)
    c.add_cap_add(a);
  for (const auto& a : o.cap_drop)
    c.add_cap_drop(a);
  c.set_privileged(o.privileged);
  c.set_tty(o.tty);
  c.set_stdin_open(o.stdin_open);
  c.set_init(o.init);
  c.set_auto_remove(o.auto_remove);
  return c;
}

ProcessOptions to_process(const v1::ProcessConfig& p) {
  ProcessOptions o;
  o.args.assign(p.args().begin(), p.args().end());
  o.env.assign(p.env().begin(), p.env().end());
  o.working_dir = p.working_dir();
  o.user = p.user();
  o.tty = p.tty();
  o.stdin_open = p.stdin_open();
  return o;
}

v1::TaskStatus to_status(ShimStatus status) {
  switch (status) {
    case ShimStatus::kCreated: return v1::TASK_STATUS_CREATED;
    case ShimStatus::kRunning: return v1::TASK_STATUS_RUNNING;
    case ShimStatus::kStopped: return v1::TASK_STATUS_STOPPED;
    case ShimStatus::kPaused: return v1::TASK_STATUS_PAUSED;
    case ShimStatus::kUnknown: return v1::TASK_STATUS_UNKNOWN;
  }
  return v1::TASK_STATUS_UNKNOWN;
}

void set_time(google::protobuf::Timestamp* out, std::int64_t ns) {
  out->set_seconds(ns / 1'000'000'000LL);
  out->set_nanos(static_cast<int>(ns % 1'000'000'000LL));
}

}  // namespace cradle::api
