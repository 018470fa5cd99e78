#include "core/spec_parser.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <system_error>

#include "base/error.h"
#include "base/file_io.h"
#include "core/lexical_path.h"
#include "core/spec_parser_sections.h"

namespace cradle {

namespace spec_parser {

std::string parse_absolute_path(const JsonField& field) {
  std::string path = field.as_string();
  if (!path.starts_with('/')) field.fail("must be an absolute path, got " + quote(path));
  return clean_path(path);
}

IdMapping parse_id_mapping(const JsonField& field) {
  return IdMapping{
      .container_id = field.require("containerID").as<std::uint32_t>(),
      .host_id = field.require("hostID").as<std::uint32_t>(),
      .size = field.require("size").as_integer<std::uint32_t>(1),
  };
}

namespace {

Root parse_root(const JsonField& field) {
  Root root;
  JsonField path = field.require("path");
  root.path = path.as_string();
  if (root.path.empty()) path.fail("must not be empty");
  field.read("readonly", root.readonly);
  return root;
}

Mount parse_mount(const JsonField& field) {
  Mount mount;
  mount.destination = parse_absolute_path(field.require("destination"));
  field.read("type", mount.type);
  field.read("source", mount.source);
  field.read("options", mount.options);
  field.read("uidMappings", mount.uid_mappings, list_of(parse_id_mapping));
  field.read("gidMappings", mount.gid_mappings, list_of(parse_id_mapping));
  return mount;
}

Hook parse_hook(const JsonField& field) {
  Hook hook;
  hook.path = parse_absolute_path(field.require("path"));
  field.read("args", hook.args);
  field.read("env", hook.env, list_of(parse_env_variable));
  field.read("timeout", hook.timeout_seconds, [](const JsonField& timeout) {
    return timeout.as_integer<int>(1);  // OCI: "MUST be greater than zero"
  });
  return hook;
}

Hooks parse_hooks(const JsonField& field) {
  Hooks hooks;
  field.read("prestart", hooks.prestart, list_of(parse_hook));
  field.read("createRuntime", hooks.create_runtime, list_of(parse_hook));
  field.read("createContainer", hooks.create_container, list_of(parse_hook));
  field.read("startContainer", hooks.start_container, list_of(parse_hook));
  field.read("poststart", hooks.poststart, list_of(parse_hook));
  field.read("poststop", hooks.poststop, list_of(parse_hook));
  return hooks;
}

std::map<std::string, std::string> parse_annotations(const JsonField& field) {
  std::map<std::string, std::string> annotations;
  for (const auto& [key, value] : field.members()) {
    if (key.empty())
      value.fail("keys must not be empty");  // OCI: "Keys MUST NOT be an empty string"
    annotations.emplace(key, value.as_string());
  }
  return annotations;
}

}  // namespace

}  // namespace spec_parser

Spec parse_spec(const nlohmann::json& config) {
  using namespace spec_parser;
  const JsonField doc = JsonField::document(config);
  Spec spec;
  spec.oci_version = doc.require("ociVersion").as_string();
  spec.process = parse_process(doc.require("process"));
  spec.root = parse_root(doc.require("root"));
  doc.read("hostname", spec.hostname);
  doc.read("domainname", spec.domainname);
  doc.read("mounts", spec.mounts, list_of(parse_mount));
  doc.read("hooks", spec.hooks, parse_hooks);
  doc.read("annotations", spec.annotations, parse_annotations);
  doc.read("linux", spec.linux, parse_linux);
  validate_spec(spec);
  return spec;
}

namespace {

nlohmann::json parse_json(std::string_view text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw_invalid(what + ": not valid JSON: " + e.what());
  }
}

}  // namespace

Spec parse_spec_text(std::string_view config_json) {
  return parse_spec(parse_json(config_json, "config.json"));
}

Process parse_process_text(std::string_view process_json) {
  nlohmann::json value = parse_json(process_json, "process");
  return spec_parser::parse_process(JsonField::section(value, "process"));
}

cgroups::Resources parse_resources_text(std::string_view resources_json) {
  nlohmann::json value = parse_json(resources_json, "linux.resources");
  return spec_parser::parse_resources(JsonField::section(value, "linux.resources"));
}

Spec load_spec(const std::string& bundle_dir) {
  std::string text;
  try {
    text = read_file(bundle_dir + "/config.json");
  } catch (const Error& e) {
    throw Error(e.code(), std::string("config.json: ") + e.what(), e.sys_errno());
  }
  Spec spec = parse_spec_text(text);
  std::error_code ec;
  std::filesystem::path bundle = std::filesystem::absolute(bundle_dir, ec);
  if (ec) {
    throw_errno(ec.value(), "config.json: cannot make the bundle path " + bundle_dir + " absolute");
  }
  spec.root.path = clean_path((bundle / spec.root.path).string());
  return spec;
}

}  // namespace cradle
