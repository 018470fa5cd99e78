// The parent's work before a container exists: parsing config.json into a Spec, compiling the
// Spec into the start plan, and compiling a seccomp profile to BPF. No root needed.
#include <benchmark/benchmark.h>
#include <seccomp.h>

#include <cerrno>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/default_spec.h"
#include "core/spec_parser.h"
#include "core/start_plan_builder.h"
#include "namespaces/seccomp.h"

namespace cradle {
namespace {

// `cradle-shim spec`'s defaults (the same as `runc spec`) around the built busybox rootfs.
std::string default_config_json() {
  DefaultSpecOptions options;
  options.args = {"/bin/true"};
  nlohmann::json config = default_spec(options);
  config["root"]["path"] = CRADLE_BENCH_ROOTFS;
  return config.dump();
}

void BM_ParseSpec(benchmark::State& state) {
  const std::string json = default_config_json();
  for (auto _ : state) {
    Spec spec = parse_spec_text(json);
    benchmark::DoNotOptimize(spec);
  }
}
BENCHMARK(BM_ParseSpec);

void BM_BuildPlan(benchmark::State& state) {
  const Spec spec = parse_spec_text(default_config_json());
  const PlanContext context{"bench", CRADLE_BENCH_ROOTFS, "/sys/fs/cgroup/bench", false};
  auto ignore = [](const std::string&) {};
  for (auto _ : state) {
    ns::StartPlan plan = build_start_plan(spec, context, ignore);
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(BM_BuildPlan);

// A profile shaped like docker's default: EPERM by default, one rule allowing every syscall
// this libseccomp knows except docker's denied ones, and argument rules for personality and
// clone. The small one is a handful of plain rules.
ns::SeccompRule rule(std::vector<std::string> names, ns::SeccompAction action,
                     std::vector<ns::SeccompArg> args = {}) {
  ns::SeccompRule r;
  r.names = std::move(names);
  r.action = action;
  r.args = std::move(args);
  return r;
}

ns::SeccompArg arg0(std::uint64_t value, ns::SeccompOperator op = ns::SeccompOperator::kEqualTo) {
  ns::SeccompArg a;
  a.index = 0;
  a.value = value;
  a.op = op;
  return a;
}

ns::SeccompProfile docker_like_profile() {
  static const std::set<std::string> denied = {"acct",
                                               "add_key",
                                               "bpf",
                                               "clock_adjtime",
                                               "clock_settime",
                                               "create_module",
                                               "delete_module",
                                               "finit_module",
                                               "get_kernel_syms",
                                               "get_mempolicy",
                                               "init_module",
                                               "ioperm",
                                               "iopl",
                                               "kcmp",
                                               "kexec_file_load",
                                               "kexec_load",
                                               "keyctl",
                                               "lookup_dcookie",
                                               "mbind",
                                               "mount",
                                               "move_pages",
                                               "nfsservctl",
                                               "open_by_handle_at",
                                               "perf_event_open",
                                               "personality",
                                               "pivot_root",
                                               "process_vm_readv",
                                               "process_vm_writev",
                                               "ptrace",
                                               "query_module",
                                               "quotactl",
                                               "reboot",
                                               "request_key",
                                               "set_mempolicy",
                                               "setns",
                                               "settimeofday",
                                               "swapon",
                                               "swapoff",
                                               "sysfs",
                                               "_sysctl",
                                               "umount2",
                                               "unshare",
                                               "uselib",
                                               "userfaultfd",
                                               "ustat",
                                               "clone"};
  ns::SeccompProfile profile;
  profile.default_action = ns::SeccompAction::kErrno;
  profile.default_errno_ret = EPERM;
  profile.architectures = {*ns::seccomp_arch_from_name("SCMP_ARCH_X86_64"),
                           *ns::seccomp_arch_from_name("SCMP_ARCH_X86"),
                           *ns::seccomp_arch_from_name("SCMP_ARCH_X32")};
  ns::SeccompRule allowed = rule({}, ns::SeccompAction::kAllow);
  for (int nr = 0; nr < 512; ++nr) {
    char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    if (name == nullptr) continue;
    if (!denied.contains(name)) allowed.names.emplace_back(name);
    std::free(name);
  }
  profile.syscalls.push_back(allowed);
  for (std::uint64_t persona : {0x0ULL, 0x8ULL, 0x20000ULL, 0x20008ULL, 0xffffffffULL}) {
    profile.syscalls.push_back(rule({"personality"}, ns::SeccompAction::kAllow, {arg0(persona)}));
  }
  // clone without any CLONE_NEW* flag (docker's mask): value_two 0 is what the masked arg equals.
  constexpr std::uint64_t kNewNamespaces = 0x7E020000;
  profile.syscalls.push_back(rule({"clone"}, ns::SeccompAction::kAllow,
                                  {arg0(kNewNamespaces, ns::SeccompOperator::kMaskedEqual)}));
  return profile;
}

ns::SeccompProfile small_profile() {
  ns::SeccompProfile profile;
  profile.default_action = ns::SeccompAction::kAllow;
  for (const char* name : {"reboot", "kexec_load", "swapon", "swapoff", "acct"}) {
    ns::SeccompRule denied = rule({name}, ns::SeccompAction::kErrno);
    denied.errno_ret = EPERM;
    profile.syscalls.push_back(denied);
  }
  return profile;
}

void BM_CompileSeccomp(benchmark::State& state) {
  const ns::SeccompProfile profile = state.range(0) == 0 ? small_profile() : docker_like_profile();
  std::size_t instructions = 0;
  for (auto _ : state) {
    ns::SeccompProgram program = ns::compile_seccomp(profile);
    instructions = program.instructions.size();
    benchmark::DoNotOptimize(program);
  }
  state.counters["bpf_instructions"] = static_cast<double>(instructions);
}
BENCHMARK(BM_CompileSeccomp)->ArgName("docker_like")->Arg(0)->Arg(1);

}  // namespace
}  // namespace cradle
