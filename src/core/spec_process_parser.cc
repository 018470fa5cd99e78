// process: what to run, as whom, with which privileges and limits.
#include <set>

#include "core/spec_parser_sections.h"

namespace cradle::spec_parser {

namespace {

constexpr mode_t kMaxUmask = 0777;
constexpr int kMinOomScoreAdj = -1000;
constexpr int kMaxOomScoreAdj = 1000;

User parse_user(const JsonField& field) {
  User user;
  field.read("uid", user.uid);
  field.read("gid", user.gid);
  field.read("umask", user.umask,
             [](const JsonField& umask) { return umask.as_integer<mode_t>(0, kMaxUmask); });
  field.read("additionalGids", user.additional_gids,
             list_of([](const JsonField& gid) { return gid.as<gid_t>(); }));
  return user;
}

ConsoleSize parse_console_size(const JsonField& field) {
  return ConsoleSize{.height = field.require("height").as<unsigned>(),
                     .width = field.require("width").as<unsigned>()};
}

std::vector<std::string> parse_args(const JsonField& field) {
  auto args = field.as_string_list();
  if (args.empty()) field.fail("must not be empty");
  return args;
}

ns::CapabilityMask parse_capability_set(const JsonField& list) {
  ns::CapabilityMask mask = 0;
  for (const auto& entry : list.elements()) {
    std::string name = entry.as_string();
    auto cap = ns::capability_from_name(name);
    // The mask is 64 bits wide; libcap knows no capability past it.
    if (!cap || *cap >= 64) entry.fail("unknown capability " + quote(name));
    mask |= ns::CapabilityMask{1} << *cap;
  }
  return mask;
}

ns::CapabilitySets parse_capabilities(const JsonField& field) {
  ns::CapabilitySets sets;
  field.read("bounding", sets.bounding, parse_capability_set);
  field.read("effective", sets.effective, parse_capability_set);
  field.read("permitted", sets.permitted, parse_capability_set);
  field.read("inheritable", sets.inheritable, parse_capability_set);
  field.read("ambient", sets.ambient, parse_capability_set);
  return sets;
}

std::vector<ns::Rlimit> parse_rlimits(const JsonField& list) {
  std::vector<ns::Rlimit> rlimits;
  std::set<int> seen;
  for (const auto& entry : list.elements()) {
    JsonField type = entry.require("type");
    std::string name = type.as_string();
    auto resource = ns::rlimit_from_name(name);
    if (!resource) type.fail("unknown rlimit " + quote(name));
    if (!seen.insert(*resource).second) type.fail("duplicate rlimit " + quote(name));
    ns::Rlimit rlimit{.resource = *resource,
                      .soft = entry.require("soft").as<std::uint64_t>(),
                      .hard = entry.require("hard").as<std::uint64_t>()};
    if (rlimit.soft > rlimit.hard) {
      entry.fail("soft limit " + std::to_string(rlimit.soft) + " exceeds hard limit " +
                 std::to_string(rlimit.hard));
    }
    rlimits.push_back(rlimit);
  }
  return rlimits;
}

}  // namespace

std::string parse_env_variable(const JsonField& field) {
  std::string variable = field.as_string();
  if (variable.find('=') == std::string::npos) {
    field.fail("must have the form KEY=value, got " + quote(variable));
  }
  return variable;
}

Process parse_process(const JsonField& field) {
  Process process;
  field.read("terminal", process.terminal);
  field.read("consoleSize", process.console_size, parse_console_size);
  field.read("user", process.user, parse_user);
  process.args = parse_args(field.require("args"));
  field.read("env", process.env, list_of(parse_env_variable));
  process.cwd = parse_absolute_path(field.require("cwd"));
  field.read("capabilities", process.capabilities, parse_capabilities);
  field.read("rlimits", process.rlimits, parse_rlimits);
  field.read("noNewPrivileges", process.no_new_privileges);
  field.read("oomScoreAdj", process.oom_score_adj, [](const JsonField& adj) {
    return adj.as_integer<int>(kMinOomScoreAdj, kMaxOomScoreAdj);
  });
  field.read("apparmorProfile", process.apparmor_profile);
  field.read("selinuxLabel", process.selinux_label);
  return process;
}

}  // namespace cradle::spec_parser
