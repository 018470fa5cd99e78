#include "namespaces/seccomp.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"

namespace cradle::ns {
namespace {

TEST(SeccompNames, ResolvesActions) {
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_KILL"), SeccompAction::kKillThread);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_KILL_THREAD"), SeccompAction::kKillThread);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_KILL_PROCESS"), SeccompAction::kKillProcess);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_TRAP"), SeccompAction::kTrap);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_ERRNO"), SeccompAction::kErrno);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_TRACE"), SeccompAction::kTrace);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_ALLOW"), SeccompAction::kAllow);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_LOG"), SeccompAction::kLog);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_NOTIFY"), SeccompAction::kNotify);
  EXPECT_EQ(seccomp_action_from_name("SCMP_ACT_FOO"), std::nullopt);
  EXPECT_EQ(seccomp_action_from_name("scmp_act_allow"), std::nullopt);
}

TEST(SeccompNames, ResolvesOperators) {
  EXPECT_EQ(seccomp_operator_from_name("SCMP_CMP_NE"), SeccompOperator::kNotEqual);
  EXPECT_EQ(seccomp_operator_from_name("SCMP_CMP_LT"), SeccompOperator::kLessThan);
  EXPECT_EQ(seccomp_operator_from_name("SCMP_CMP_LE"), SeccompOperator::kLessEqual);
  EXPECT_EQ(seccomp_operator_from_name("SCMP_CMP_EQ"), SeccompOperator::kEqualTo);
  EXPECT_EQ(seccomp_operator_from_name("SCMP_CMP_GE"), SeccompOperator::kGreaterEqual);
  EXPECT_EQ(seccomp_operator_from_name("SCMP_CMP_GT"), SeccompOperator::kGreaterThan);
  EXPECT_EQ(seccomp_operator_from_name("SCMP_CMP_MASKED_EQ"), SeccompOperator::kMaskedEqual);
  EXPECT_EQ(seccomp_operator_from_name("SCMP_CMP_FOO"), std::nullopt);
}

TEST(SeccompNames, ResolvesArchitecturesThroughLibseccomp) {
  EXPECT_EQ(seccomp_arch_from_name("SCMP_ARCH_X86_64"), SCMP_ARCH_X86_64);
  EXPECT_EQ(seccomp_arch_from_name("SCMP_ARCH_X86"), SCMP_ARCH_X86);
  EXPECT_EQ(seccomp_arch_from_name("SCMP_ARCH_X32"), SCMP_ARCH_X32);
  EXPECT_EQ(seccomp_arch_from_name("SCMP_ARCH_AARCH64"), SCMP_ARCH_AARCH64);
  EXPECT_EQ(seccomp_arch_from_name("SCMP_ARCH_RISCV64"), SCMP_ARCH_RISCV64);
  EXPECT_EQ(seccomp_arch_from_name("SCMP_ARCH_FOO"), std::nullopt);
  EXPECT_EQ(seccomp_arch_from_name("x86_64"), std::nullopt);
  EXPECT_EQ(seccomp_arch_from_name("SCMP_ARCH_"), std::nullopt);
}

TEST(SeccompNames, ResolvesFilterFlags) {
  EXPECT_EQ(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_TSYNC"), SECCOMP_FILTER_FLAG_TSYNC);
  EXPECT_EQ(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_LOG"), SECCOMP_FILTER_FLAG_LOG);
  EXPECT_EQ(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
            SECCOMP_FILTER_FLAG_SPEC_ALLOW);
  EXPECT_EQ(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
            SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
  EXPECT_EQ(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_FOO"), std::nullopt);
}

// Allows everything but what rules say; tests add rules on getpriority, which is harmless.
SeccompProfile allow_all() {
  return SeccompProfile{};
}

SeccompRule errno_rule(std::optional<unsigned> errno_ret, std::vector<SeccompArg> args = {}) {
  return SeccompRule{.names = {"getpriority"},
                     .action = SeccompAction::kErrno,
                     .errno_ret = errno_ret,
                     .args = std::move(args)};
}

SeccompArg arg(unsigned index, SeccompOperator op, std::uint64_t value,
               std::uint64_t value_two = 0) {
  return SeccompArg{.index = index, .value = value, .value_two = value_two, .op = op};
}

// Loads the program in a forked child, runs probe there and returns its exit status.
int exit_status_under(const SeccompProgram& program, const std::function<int()>& probe) {
  pid_t pid = fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(100);
    sock_fprog fprog{.len = static_cast<unsigned short>(program.instructions.size()),
                     .filter = const_cast<sock_filter*>(program.instructions.data())};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, program.flags, &fprog) != 0) _exit(101);
    _exit(probe());
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) throw_errno("waitpid");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

// The errno getpriority(which, who) fails with, or 0 when it succeeds.
std::function<int()> getpriority_errno(int which, id_t who = 0) {
  return [which, who] {
    errno = 0;
    return getpriority(static_cast<__priority_which_t>(which), who) == -1 ? errno : 0;
  };
}

TEST(CompileSeccomp, ErrnoRuleProducesAProgramThatFailsTheSyscall) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(errno_rule(EXDEV));
  SeccompProgram program = compile_seccomp(profile);
  EXPECT_FALSE(program.instructions.empty());
  EXPECT_EQ(exit_status_under(program, getpriority_errno(PRIO_PROCESS)), EXDEV);
}

TEST(CompileSeccomp, ErrnoDefaultsToEperm) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(errno_rule(std::nullopt));
  EXPECT_EQ(exit_status_under(compile_seccomp(profile), getpriority_errno(PRIO_PROCESS)), EPERM);
}

TEST(CompileSeccomp, ConditionsOnDistinctArgumentsAreAnded) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(errno_rule(EXDEV, {arg(0, SeccompOperator::kEqualTo, PRIO_PROCESS),
                                                arg(1, SeccompOperator::kEqualTo, 0)}));
  SeccompProgram program = compile_seccomp(profile);
  EXPECT_EQ(exit_status_under(program, getpriority_errno(PRIO_PROCESS, 0)), EXDEV);
  EXPECT_EQ(exit_status_under(program, getpriority_errno(PRIO_PGRP, 0)), 0);
}

TEST(CompileSeccomp, ConditionsOnOneArgumentAreSeparateRules) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(errno_rule(EXDEV, {arg(0, SeccompOperator::kEqualTo, PRIO_PGRP),
                                                arg(0, SeccompOperator::kEqualTo, PRIO_USER)}));
  SeccompProgram program = compile_seccomp(profile);
  EXPECT_EQ(exit_status_under(program, getpriority_errno(PRIO_PGRP)), EXDEV);
  EXPECT_EQ(exit_status_under(program, getpriority_errno(PRIO_USER)), EXDEV);
  EXPECT_EQ(exit_status_under(program, getpriority_errno(PRIO_PROCESS)), 0);
}

TEST(CompileSeccomp, MaskedEqualTakesTheMaskFromValueAndTheDatumFromValueTwo) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(
      errno_rule(EXDEV, {arg(1, SeccompOperator::kMaskedEqual, 0xff00, 0x0100)}));
  SeccompProgram program = compile_seccomp(profile);
  EXPECT_EQ(exit_status_under(program, getpriority_errno(PRIO_PROCESS, 0x0142)), EXDEV);
  EXPECT_EQ(exit_status_under(program, getpriority_errno(PRIO_PROCESS, 0)), 0);
}

TEST(CompileSeccomp, SkipsSyscallsLibseccompDoesNotKnow) {
  SeccompProfile known = allow_all();
  known.syscalls.push_back(errno_rule(EXDEV));
  SeccompProfile with_unknown = known;
  with_unknown.syscalls[0].names.push_back("no_such_syscall_at_all");
  EXPECT_EQ(compile_seccomp(with_unknown).instructions.size(),
            compile_seccomp(known).instructions.size());
}

TEST(CompileSeccomp, SkipsRulesThatRepeatTheDefaultAction) {
  SeccompProfile profile = allow_all();
  SeccompRule allow;  // SCMP_ACT_ALLOW, the default action of the profile
  allow.names = {"getpriority"};
  profile.syscalls.push_back(allow);
  EXPECT_EQ(compile_seccomp(profile).instructions.size(),
            compile_seccomp(allow_all()).instructions.size());
}

TEST(CompileSeccomp, AddsTheListedArchitectures) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(errno_rule(EXDEV));
  std::size_t native_only = compile_seccomp(profile).instructions.size();
  profile.architectures = {seccomp_arch_native(), SCMP_ARCH_X86};  // native is there already
  EXPECT_GT(compile_seccomp(profile).instructions.size(), native_only);
}

TEST(CompileSeccomp, PassesTheFilterFlagsThrough) {
  SeccompProfile profile = allow_all();
  profile.filter_flags = SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  EXPECT_EQ(compile_seccomp(profile).flags,
            SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW);
}

// The error of compile_seccomp(profile), as "<code>: <message>".
std::string compile_error(const SeccompProfile& profile) {
  try {
    compile_seccomp(profile);
  } catch (const Error& e) {
    return std::string(error_code_name(e.code())) + ": " + e.what();
  }
  return "no error";
}

TEST(CompileSeccomp, RefusesAnArgumentIndexPastFive) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(errno_rule(EXDEV, {arg(6, SeccompOperator::kEqualTo, 0)}));
  EXPECT_EQ(compile_error(profile),
            "InvalidArgument: seccomp: rule for \"getpriority\": argument index 6 is out of "
            "range (0-5)");
}

TEST(CompileSeccomp, RefusesAnErrnoWiderThanSixteenBits) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(errno_rule(0x10000));
  EXPECT_EQ(compile_error(profile),
            "InvalidArgument: seccomp: rule for \"getpriority\": errno 65536 does not fit in 16 "
            "bits");
}

TEST(CompileSeccomp, RefusesNotifyUntilListenersAreSupported) {
  SeccompProfile profile = allow_all();
  profile.syscalls.push_back(errno_rule(std::nullopt));
  profile.syscalls[0].action = SeccompAction::kNotify;
  EXPECT_EQ(compile_error(profile),
            "Unimplemented: seccomp: rule for \"getpriority\": SCMP_ACT_NOTIFY is not supported "
            "yet (no seccomp listener support)");
}

}  // namespace
}  // namespace cradle::ns
