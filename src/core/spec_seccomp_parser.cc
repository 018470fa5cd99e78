// linux.seccomp: the syscall filter, with every name resolved to what libseccomp takes.
#include "core/spec_parser_sections.h"

namespace cradle::spec_parser {

namespace {

constexpr unsigned kMaxErrno = 0xffff;  // the 16 data bits of a seccomp return value
constexpr unsigned kMaxArgIndex = 5;

// A name resolved with from_name (one of the ns::seccomp_*_from_name), or an error naming what.
template <typename T>
T parse_name(const JsonField& field, std::optional<T> (*from_name)(std::string_view),
             std::string_view what) {
  std::string name = field.as_string();
  auto value = from_name(name);
  if (!value) field.fail("unknown " + std::string(what) + " " + quote(name));
  return *value;
}

ns::SeccompAction parse_action(const JsonField& field) {
  return parse_name(field, ns::seccomp_action_from_name, "action");
}

// OCI: "When the action doesn't support an errno, the runtime MUST print an error and fail."
std::optional<unsigned> parse_errno_ret(const JsonField& object, std::string_view key,
                                        const JsonField& action) {
  auto field = object.find(key);
  if (!field) return std::nullopt;
  auto taker = parse_action(action);
  if (taker != ns::SeccompAction::kErrno && taker != ns::SeccompAction::kTrace) {
    field->fail("only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, not " + action.as_string());
  }
  return field->as_integer<unsigned>(0, kMaxErrno);
}

ns::SeccompArg parse_arg(const JsonField& field) {
  ns::SeccompArg arg{
      .index = field.require("index").as_integer<unsigned>(0, kMaxArgIndex),
      .value = field.require("value").as<std::uint64_t>(),
      .op = parse_name(field.require("op"), ns::seccomp_operator_from_name, "operator"),
  };
  field.read("valueTwo", arg.value_two);
  return arg;
}

ns::SeccompRule parse_rule(const JsonField& field) {
  ns::SeccompRule rule;
  JsonField names = field.require("names");
  rule.names = names.as_string_list();
  if (rule.names.empty()) names.fail("must not be empty");
  JsonField action = field.require("action");
  rule.action = parse_action(action);
  rule.errno_ret = parse_errno_ret(field, "errnoRet", action);
  field.read("args", rule.args, list_of(parse_arg));
  return rule;
}

std::uint32_t parse_architecture(const JsonField& field) {
  return parse_name(field, ns::seccomp_arch_from_name, "architecture");
}

unsigned parse_flags(const JsonField& list) {
  unsigned flags = 0;
  for (const auto& flag : list.elements())
    flags |= parse_name(flag, ns::seccomp_flag_from_name, "flag");
  return flags;
}

}  // namespace

ns::SeccompProfile parse_seccomp(const JsonField& field) {
  ns::SeccompProfile profile;
  JsonField default_action = field.require("defaultAction");
  profile.default_action = parse_action(default_action);
  profile.default_errno_ret = parse_errno_ret(field, "defaultErrnoRet", default_action);
  field.read("architectures", profile.architectures, list_of(parse_architecture));
  field.read("flags", profile.filter_flags, parse_flags);
  field.read("syscalls", profile.syscalls, list_of(parse_rule));
  field.read("listenerPath", profile.listener_path);
  field.read("listenerMetadata", profile.listener_metadata);

  // OCI: listenerPath "MUST be set if SCMP_ACT_NOTIFY is used".
  bool notifies = profile.default_action == ns::SeccompAction::kNotify;
  for (const auto& rule : profile.syscalls)
    notifies |= rule.action == ns::SeccompAction::kNotify;
  if (notifies && profile.listener_path.empty()) {
    fail_at(json_member_path(field.path(), "listenerPath"),
            "required when an action is SCMP_ACT_NOTIFY");
  }
  return profile;
}

}  // namespace cradle::spec_parser
