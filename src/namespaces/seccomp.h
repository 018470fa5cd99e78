// The seccomp profile of an OCI spec, resolved to typed values, and its compilation to a BPF
// program with libseccomp. Compilation happens in the parent; the child only loads the program.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cradle::ns {

enum class SeccompAction {
  kKillThread,  // SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD
  kKillProcess,
  kTrap,
  kErrno,
  kTrace,
  kAllow,
  kLog,
  kNotify,
};

enum class SeccompOperator {
  kNotEqual,
  kLessThan,
  kLessEqual,
  kEqualTo,
  kGreaterEqual,
  kGreaterThan,
  kMaskedEqual,
};

struct SeccompArg {
  unsigned index = 0;
  std::uint64_t value = 0;
  std::uint64_t value_two = 0;
  SeccompOperator op = SeccompOperator::kEqualTo;
};

struct SeccompRule {
  std::vector<std::string> names;
  SeccompAction action = SeccompAction::kAllow;
  std::optional<unsigned> errno_ret;  // for kErrno and kTrace
  std::vector<SeccompArg> args;
};

struct SeccompProfile {
  SeccompAction default_action = SeccompAction::kAllow;
  std::optional<unsigned> default_errno_ret;
  std::vector<std::uint32_t> architectures;  // libseccomp SCMP_ARCH_* tokens
  unsigned filter_flags = 0;                 // SECCOMP_FILTER_FLAG_* bits
  std::vector<SeccompRule> syscalls;
  std::string listener_path;
  std::string listener_metadata;
};

// "SCMP_ACT_ERRNO" -> kErrno, ...; nullopt for an unknown name.
std::optional<SeccompAction> seccomp_action_from_name(std::string_view name);
// "SCMP_CMP_EQ" -> kEqualTo, ...
std::optional<SeccompOperator> seccomp_operator_from_name(std::string_view name);
// "SCMP_ARCH_X86_64" -> libseccomp's token for it.
std::optional<std::uint32_t> seccomp_arch_from_name(std::string_view name);
// "SECCOMP_FILTER_FLAG_LOG" -> its bit.
std::optional<unsigned> seccomp_flag_from_name(std::string_view name);

// A loadable filter: what the child passes to seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog).
struct SeccompProgram {
  std::vector<sock_filter> instructions;
  unsigned flags = 0;
};

// Compiles with libseccomp and exports the BPF. Syscall names the running libseccomp does not
// know are skipped (profiles list syscalls of newer kernels); bad rules throw Error.
SeccompProgram compile_seccomp(const SeccompProfile& profile);

}  // namespace cradle::ns
