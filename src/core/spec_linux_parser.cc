// linux: namespaces, id mappings, device nodes, sysctls, mount propagation and the paths to hide.
#include <array>
#include <set>

#include "core/spec_parser_sections.h"

namespace cradle::spec_parser {

namespace {

constexpr std::array<std::pair<std::string_view, NamespaceType>, 8> kNamespaceTypes = {{
    {"pid", NamespaceType::kPid},
    {"network", NamespaceType::kNetwork},
    {"mount", NamespaceType::kMount},
    {"ipc", NamespaceType::kIpc},
    {"uts", NamespaceType::kUts},
    {"user", NamespaceType::kUser},
    {"cgroup", NamespaceType::kCgroup},
    {"time", NamespaceType::kTime},
}};

// The "r" forms ("rslave") propagate to every mount below the root too.
constexpr std::array<std::pair<std::string_view, Propagation>, 4> kPropagations = {{
    {"shared", Propagation::kShared},
    {"slave", Propagation::kSlave},
    {"private", Propagation::kPrivate},
    {"unbindable", Propagation::kUnbindable},
}};

template <typename T, std::size_t N>
std::optional<T> lookup(const std::array<std::pair<std::string_view, T>, N>& table,
                        std::string_view name) {
  for (const auto& [entry_name, value] : table)
    if (entry_name == name) return value;
  return std::nullopt;
}

std::vector<Namespace> parse_namespaces(const JsonField& list) {
  std::vector<Namespace> namespaces;
  std::set<NamespaceType> seen;
  for (const auto& entry : list.elements()) {
    JsonField type_field = entry.require("type");
    std::string name = type_field.as_string();
    auto type = lookup(kNamespaceTypes, name);
    if (!type) type_field.fail("unknown namespace type " + quote(name));
    if (!seen.insert(*type).second) type_field.fail("duplicate namespace type " + quote(name));
    Namespace ns;
    ns.type = *type;
    entry.read("path", ns.path, parse_absolute_path);
    namespaces.push_back(std::move(ns));
  }
  return namespaces;
}

Device parse_device(const JsonField& field) {
  JsonField type_field = field.require("type");
  std::string type = type_field.as_string();
  if (type.size() != 1 || std::string_view("cbup").find(type[0]) == std::string_view::npos) {
    type_field.fail("must be one of \"c\", \"b\", \"u\", \"p\", got " + quote(type));
  }
  Device device;
  device.type = type[0];
  device.path = parse_absolute_path(field.require("path"));
  // A fifo has no device number; the others are nothing without one.
  if (device.type != 'p') {
    device.major = field.require("major").as<std::int64_t>();
    device.minor = field.require("minor").as<std::int64_t>();
  }
  field.read("fileMode", device.file_mode);
  field.read("uid", device.uid);
  field.read("gid", device.gid);
  return device;
}

void parse_rootfs_propagation(const JsonField& field, Linux& linux) {
  std::string mode = field.as_string();
  if (mode.empty()) return;  // Go writes the unset value as ""
  std::string_view name = mode;
  bool recursive = name.starts_with('r') && lookup(kPropagations, name.substr(1)).has_value();
  auto propagation = lookup(kPropagations, recursive ? name.substr(1) : name);
  if (!propagation) {
    field.fail(
        "must be shared, slave, private or unbindable, or one of them with an r prefix, got " +
        quote(mode));
  }
  linux.rootfs_propagation = *propagation;
  linux.rootfs_propagation_recursive = recursive;
}

}  // namespace

Linux parse_linux(const JsonField& field) {
  Linux linux;
  field.read("namespaces", linux.namespaces, parse_namespaces);
  field.read("uidMappings", linux.uid_mappings, list_of(parse_id_mapping));
  field.read("gidMappings", linux.gid_mappings, list_of(parse_id_mapping));
  field.read("devices", linux.devices, list_of(parse_device));
  field.read("sysctl", linux.sysctl);
  field.read("seccomp", linux.seccomp, parse_seccomp);
  if (auto mode = field.find("rootfsPropagation")) parse_rootfs_propagation(*mode, linux);
  field.read("maskedPaths", linux.masked_paths, list_of(parse_absolute_path));
  field.read("readonlyPaths", linux.readonly_paths, list_of(parse_absolute_path));
  field.read("cgroupsPath", linux.cgroups_path);
  field.read("resources", linux.resources, parse_resources);
  field.read("mountLabel", linux.mount_label);
  return linux;
}

}  // namespace cradle::spec_parser
