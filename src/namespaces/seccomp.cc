#include "namespaces/seccomp.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <memory>
#include <utility>

#include "base/error.h"
#include "base/unique_fd.h"

namespace cradle::ns {

namespace {

template <typename T, std::size_t N>
std::optional<T> find_by_name(const std::array<std::pair<std::string_view, T>, N>& table,
                              std::string_view name) {
  for (const auto& [entry_name, value] : table)
    if (entry_name == name) return value;
  return std::nullopt;
}

constexpr std::array<std::pair<std::string_view, SeccompAction>, 9> kActions = {{
    {"SCMP_ACT_KILL", SeccompAction::kKillThread},
    {"SCMP_ACT_KILL_THREAD", SeccompAction::kKillThread},
    {"SCMP_ACT_KILL_PROCESS", SeccompAction::kKillProcess},
    {"SCMP_ACT_TRAP", SeccompAction::kTrap},
    {"SCMP_ACT_ERRNO", SeccompAction::kErrno},
    {"SCMP_ACT_TRACE", SeccompAction::kTrace},
    {"SCMP_ACT_ALLOW", SeccompAction::kAllow},
    {"SCMP_ACT_LOG", SeccompAction::kLog},
    {"SCMP_ACT_NOTIFY", SeccompAction::kNotify},
}};

constexpr std::array<std::pair<std::string_view, SeccompOperator>, 7> kOperators = {{
    {"SCMP_CMP_NE", SeccompOperator::kNotEqual},
    {"SCMP_CMP_LT", SeccompOperator::kLessThan},
    {"SCMP_CMP_LE", SeccompOperator::kLessEqual},
    {"SCMP_CMP_EQ", SeccompOperator::kEqualTo},
    {"SCMP_CMP_GE", SeccompOperator::kGreaterEqual},
    {"SCMP_CMP_GT", SeccompOperator::kGreaterThan},
    {"SCMP_CMP_MASKED_EQ", SeccompOperator::kMaskedEqual},
}};

constexpr std::array<std::pair<std::string_view, unsigned>, 4> kFilterFlags = {{
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
}};

constexpr std::string_view kArchPrefix = "SCMP_ARCH_";
constexpr unsigned kMaxArgIndex = 5;  // syscalls take at most six arguments
// SCMP_ACT_ERRNO and SCMP_ACT_TRACE carry their value in the 16 data bits of the action.
constexpr unsigned kMaxActionData = 0xffff;

// libseccomp returns -errno; this turns a failure into an Error that says what was being done.
void check(int rc, std::string_view what) {
  if (rc < 0) throw_errno(-rc, "seccomp: " + std::string(what));
}

struct SeccompRelease {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using SeccompContext = std::unique_ptr<void, SeccompRelease>;

std::string quote(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::uint32_t action_data(std::optional<unsigned> errno_ret, std::string_view who) {
  unsigned value = errno_ret.value_or(EPERM);  // runc's default for both ERRNO and TRACE
  if (value > kMaxActionData) {
    throw_invalid("seccomp: " + std::string(who) + ": errno " + std::to_string(value) +
                  " does not fit in 16 bits");
  }
  return value;
}

// The libseccomp action word. `who` names the rule in errors ("the default action", ...).
std::uint32_t libseccomp_action(SeccompAction action, std::optional<unsigned> errno_ret,
                                std::string_view who) {
  switch (action) {
    case SeccompAction::kKillThread: return SCMP_ACT_KILL_THREAD;
    case SeccompAction::kKillProcess: return SCMP_ACT_KILL_PROCESS;
    case SeccompAction::kTrap: return SCMP_ACT_TRAP;
    case SeccompAction::kErrno: return SCMP_ACT_ERRNO(action_data(errno_ret, who));
    case SeccompAction::kTrace: return SCMP_ACT_TRACE(action_data(errno_ret, who));
    case SeccompAction::kAllow: return SCMP_ACT_ALLOW;
    case SeccompAction::kLog: return SCMP_ACT_LOG;
    case SeccompAction::kNotify:
      throw Error(ErrorCode::kUnimplemented,
                  "seccomp: " + std::string(who) +
                      ": SCMP_ACT_NOTIFY is not supported yet (no seccomp listener support)");
  }
  throw Error(ErrorCode::kInternal, "seccomp: " + std::string(who) + ": unknown action");
}

scmp_compare libseccomp_operator(SeccompOperator op) {
  switch (op) {
    case SeccompOperator::kNotEqual: return SCMP_CMP_NE;
    case SeccompOperator::kLessThan: return SCMP_CMP_LT;
    case SeccompOperator::kLessEqual: return SCMP_CMP_LE;
    case SeccompOperator::kEqualTo: return SCMP_CMP_EQ;
    case SeccompOperator::kGreaterEqual: return SCMP_CMP_GE;
    case SeccompOperator::kGreaterThan: return SCMP_CMP_GT;
    case SeccompOperator::kMaskedEqual: return SCMP_CMP_MASKED_EQ;
  }
  return _SCMP_CMP_MIN;
}

scmp_arg_cmp libseccomp_condition(const SeccompArg& arg, std::string_view syscall) {
  if (arg.index > kMaxArgIndex) {
    throw_invalid("seccomp: rule for " + quote(syscall) + ": argument index " +
                  std::to_string(arg.index) + " is out of range (0-5)");
  }
  // For MASKED_EQ, OCI's value is the mask and valueTwo the datum, which is libseccomp's order.
  return scmp_arg_cmp{.arg = arg.index,
                      .op = libseccomp_operator(arg.op),
                      .datum_a = arg.value,
                      .datum_b = arg.value_two};
}

// OCI (as runc reads it): conditions on distinct arguments are ANDed in one rule, but when one
// argument index appears more than once, every condition becomes a rule of its own (ORed).
std::vector<std::vector<scmp_arg_cmp>> condition_sets(const SeccompRule& rule,
                                                      std::string_view syscall) {
  std::vector<scmp_arg_cmp> conditions;
  std::array<unsigned, kMaxArgIndex + 1> uses{};
  bool index_repeats = false;
  for (const auto& arg : rule.args) {
    conditions.push_back(libseccomp_condition(arg, syscall));
    index_repeats |= ++uses[arg.index] > 1;
  }
  if (!index_repeats) return {conditions};
  std::vector<std::vector<scmp_arg_cmp>> separate;
  for (const auto& condition : conditions)
    separate.push_back({condition});
  return separate;
}

void add_rule(scmp_filter_ctx ctx, const SeccompRule& rule, std::uint32_t default_action) {
  for (const auto& name : rule.names) {
    const std::string who = "rule for " + quote(name);
    std::uint32_t action = libseccomp_action(rule.action, rule.errno_ret, who);
    auto conditions = condition_sets(rule, name);
    // libseccomp refuses a rule whose action is the default one; such a rule changes nothing.
    if (action == default_action) continue;
    int nr = seccomp_syscall_resolve_name(name.c_str());
    if (nr == __NR_SCMP_ERROR) continue;  // a syscall of a newer kernel than libseccomp knows
    for (const auto& set : conditions) {
      check(seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(set.size()), set.data()),
            "cannot add the " + who);
    }
  }
}

// seccomp_export_bpf only writes to an fd; a memfd keeps the program off the filesystem.
std::vector<sock_filter> export_bpf(scmp_filter_ctx ctx) {
  UniqueFd fd(::memfd_create("cradle-seccomp-bpf", MFD_CLOEXEC));
  if (!fd) throw_errno("seccomp: memfd_create for the BPF program");
  check(seccomp_export_bpf(ctx, fd.get()), "cannot export the BPF program");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_errno("seccomp: fstat of the BPF memfd");
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0 || size % sizeof(sock_filter) != 0) {
    throw Error(ErrorCode::kInternal, "seccomp: exported BPF program has a bad size of " +
                                          std::to_string(size) + " bytes");
  }
  std::vector<sock_filter> program(size / sizeof(sock_filter));
  auto* out = reinterpret_cast<char*>(program.data());
  for (std::size_t done = 0; done < size;) {
    ssize_t n = ::pread(fd.get(), out + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("seccomp: read back the BPF program");
    if (n == 0) throw Error(ErrorCode::kInternal, "seccomp: BPF program shrank while read back");
    done += static_cast<std::size_t>(n);
  }
  return program;
}

}  // namespace

std::optional<SeccompAction> seccomp_action_from_name(std::string_view name) {
  return find_by_name(kActions, name);
}

std::optional<SeccompOperator> seccomp_operator_from_name(std::string_view name) {
  return find_by_name(kOperators, name);
}

std::optional<std::uint32_t> seccomp_arch_from_name(std::string_view name) {
  if (!name.starts_with(kArchPrefix) || name.size() == kArchPrefix.size()) return std::nullopt;
  std::string lower(name.substr(kArchPrefix.size()));
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::uint32_t arch = seccomp_arch_resolve_name(lower.c_str());
  if (arch == 0) return std::nullopt;
  return arch;
}

std::optional<unsigned> seccomp_flag_from_name(std::string_view name) {
  return find_by_name(kFilterFlags, name);
}

SeccompProgram compile_seccomp(const SeccompProfile& profile) {
  const std::uint32_t default_action =
      libseccomp_action(profile.default_action, profile.default_errno_ret, "the default action");
  SeccompContext ctx(seccomp_init(default_action));
  if (!ctx) {
    throw Error(ErrorCode::kInternal,
                "seccomp: seccomp_init refused the default action (does the kernel support it?)");
  }
  // Precise errnos from libseccomp instead of its generic -ECANCELED and -EINVAL.
  check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_API_SYSRAWRC, 1), "cannot ask for raw errnos");
  // The runtime sets no_new_privs itself, when the spec asks for it.
  check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0), "cannot clear the NNP attribute");
  for (std::uint32_t arch : profile.architectures) {
    int rc = seccomp_arch_add(ctx.get(), arch);
    if (rc == -EEXIST) continue;  // the native architecture is in every new filter already
    check(rc, "cannot add architecture " + std::to_string(arch));
  }
  for (const auto& rule : profile.syscalls)
    add_rule(ctx.get(), rule, default_action);
  return SeccompProgram{.instructions = export_bpf(ctx.get()), .flags = profile.filter_flags};
}

}  // namespace cradle::ns
