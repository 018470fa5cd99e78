#include "core/container_options_json.h"

#include <concepts>
#include <type_traits>

namespace cradle {
namespace {

using nlohmann::json;

template <typename Self, typename T>
concept FieldsOf = std::same_as<std::remove_const_t<Self>, T>;

// Each struct's JSON keys, named once for both directions: f(key, field) for every field.
template <typename Self, typename F>
requires FieldsOf<Self, MountOption>
void visit_fields(Self& v, F&& f) {
  f("source", v.source);
  f("destination", v.destination);
  f("read_only", v.read_only);
}

template <typename Self, typename F>
requires FieldsOf<Self, ResourceOptions>
void visit_fields(Self& v, F&& f) {
  f("memory_bytes", v.memory_bytes);
  f("cpus", v.cpus);
  f("pids_limit", v.pids_limit);
}

template <typename Self, typename F>
requires FieldsOf<Self, ContainerOptions>
void visit_fields(Self& v, F&& f) {
  f("command", v.command);
  f("entrypoint", v.entrypoint);
  f("env", v.env);
  f("working_dir", v.working_dir);
  f("user", v.user);
  f("hostname", v.hostname);
  f("network", v.network);
  f("mounts", v.mounts);
  f("resources", v.resources);
  f("read_only", v.read_only);
  f("cap_add", v.cap_add);
  f("cap_drop", v.cap_drop);
  f("privileged", v.privileged);
  f("tty", v.tty);
  f("stdin_open", v.stdin_open);
  f("init", v.init);
  f("auto_remove", v.auto_remove);
}

template <typename Self, typename F>
requires FieldsOf<Self, ProcessOptions>
void visit_fields(Self& v, F&& f) {
  f("args", v.args);
  f("env", v.env);
  f("working_dir", v.working_dir);
  f("user", v.user);
  f("tty", v.tty);
  f("stdin_open", v.stdin_open);
}

template <typename Self, typename F>
requires FieldsOf<Self, ExitInfo>
void visit_fields(Self& v, F&& f) {
  f("status", v.status);
  f("exited_at_ns", v.exited_at_ns);
  f("reason", v.reason);
}

template <typename T>
void write_fields(json& j, const T& value) {
  j = json::object();
  visit_fields(value, [&j](const char* key, const auto& field) { j[key] = field; });
}

// A key that is absent or null keeps the field's default.
template <typename T>
void read_fields(const json& j, T& value) {
  visit_fields(value, [&j](const char* key, auto& field) {
    auto it = j.find(key);
    if (it != j.end() && !it->is_null()) it->get_to(field);
  });
}

}  // namespace

void to_json(json& j, const MountOption& value) {
  write_fields(j, value);
}
void from_json(const json& j, MountOption& value) {
  read_fields(j, value);
}
void to_json(json& j, const ResourceOptions& value) {
  write_fields(j, value);
}
void from_json(const json& j, ResourceOptions& value) {
  read_fields(j, value);
}
void to_json(json& j, const ContainerOptions& value) {
  write_fields(j, value);
}
void from_json(const json& j, ContainerOptions& value) {
  read_fields(j, value);
}
void to_json(json& j, const ProcessOptions& value) {
  write_fields(j, value);
}
void from_json(const json& j, ProcessOptions& value) {
  read_fields(j, value);
}
void to_json(json& j, const ExitInfo& value) {
  write_fields(j, value);
}
void from_json(const json& j, ExitInfo& value) {
  read_fields(j, value);
}

}  // namespace cradle
