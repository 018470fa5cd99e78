#include "cgroups/device_filter.h"

#include <cstdint>
#include <limits>

#include "base/error.h"

namespace cradle::cgroups {

namespace {

// Registers, as the kernel calls the program: r1 points at the bpf_cgroup_dev_ctx; the header
// below loads the request into r2-r5, r0 is the verdict and r1 is scratch after the header.
constexpr std::uint8_t kR0 = 0, kR1 = 1, kType = 2, kAccess = 3, kMajor = 4, kMinor = 5;
constexpr std::int32_t kAllow = 1, kDeny = 0;
constexpr std::int32_t kAllAccess = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;

bpf_insn load_word(std::uint8_t dst, std::int16_t offset) {
  return {
      .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = dst, .src_reg = kR1, .off = offset, .imm = 0};
}
bpf_insn alu32_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
  return {.code = static_cast<std::uint8_t>(BPF_ALU | op | BPF_K),
          .dst_reg = dst,
          .src_reg = 0,
          .off = 0,
          .imm = imm};
}
bpf_insn mov64_reg(std::uint8_t dst, std::uint8_t src) {
  return {.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = dst, .src_reg = src, .off = 0, .imm = 0};
}
bpf_insn mov64_imm(std::uint8_t dst, std::int32_t imm) {
  return {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = dst, .src_reg = 0, .off = 0, .imm = imm};
}
// if (dst <op> imm) skip `offset` instructions.
bpf_insn jump_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm, std::int16_t offset) {
  return {.code = static_cast<std::uint8_t>(BPF_JMP | op | BPF_K),
          .dst_reg = dst,
          .src_reg = 0,
          .off = offset,
          .imm = imm};
}
bpf_insn exit_insn() {
  return {.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0};
}

// A rule checked and turned into the numbers the program compares.
struct Match {
  std::int32_t type = 0;    // BPF_DEVCG_DEV_*, 0 for any
  std::int64_t major = -1;  // -1 for any
  std::int64_t minor = -1;
  std::int32_t access = 0;  // BPF_DEVCG_ACC_* bits
  bool allow = false;

  bool matches_everything() const {
    return type == 0 && major < 0 && minor < 0 && access == kAllAccess;
  }
};

std::string rule_field(size_t index) {
  return "linux.resources.devices[" + std::to_string(index) + "]";
}

// Linux device numbers are 32-bit at most (12-bit major, 20-bit minor today); a comparison with
// a 32-bit immediate needs them below 2^31.
std::int64_t device_number(std::int64_t value, const std::string& field) {
  if (value < -1 || value > std::numeric_limits<std::int32_t>::max()) {
    throw_invalid(field + " is " + std::to_string(value) +
                  "; give a device number, or -1 (or nothing) for any");
  }
  return value;
}

// The BPF_DEVCG_ACC_* bit of an OCI access letter, 0 for a letter that is none.
std::int32_t access_bit(char letter) {
  switch (letter) {
    case 'r': return BPF_DEVCG_ACC_READ;
    case 'w': return BPF_DEVCG_ACC_WRITE;
    case 'm': return BPF_DEVCG_ACC_MKNOD;
    default: return 0;
  }
}

Match checked(const DeviceRule& rule, size_t index) {
  const std::string field = rule_field(index);
  Match match{.major = device_number(rule.major, field + ".major"),
              .minor = device_number(rule.minor, field + ".minor"),
              .allow = rule.allow};
  switch (rule.type) {
    case 'a': match.type = 0; break;
    case 'c': match.type = BPF_DEVCG_DEV_CHAR; break;
    case 'b': match.type = BPF_DEVCG_DEV_BLOCK; break;
    default:
      throw_invalid(field + ".type is \"" + std::string(1, rule.type) +
                    "\"; it must be one of \"a\", \"c\", \"b\"");
  }
  bool valid = !rule.access.empty();
  for (char letter : rule.access) {
    std::int32_t bit = access_bit(letter);
    valid = valid && bit != 0;
    match.access |= bit;
  }
  if (!valid) {
    throw_invalid(field + ".access is \"" + rule.access + "\"; it must be made of r, w and m");
  }
  return match;
}

// One rule's instructions: the device checks, each skipping the rest of the block when it does not
// match, then the verdict. The access bits still undecided live in kAccess: an allow rule decides
// its bits (and allows once none is left), a deny rule denies if it covers an undecided bit.
void append_rule(const Match& m, std::vector<bpf_insn>& out) {
  std::vector<bpf_insn> verdict;
  if (m.access == kAllAccess) {
    verdict = {mov64_imm(kR0, m.allow ? kAllow : kDeny), exit_insn()};
  } else if (m.allow) {
    verdict = {alu32_imm(BPF_AND, kAccess, ~m.access), jump_imm(BPF_JNE, kAccess, 0, 2),
               mov64_imm(kR0, kAllow), exit_insn()};
  } else {
    verdict = {mov64_reg(kR1, kAccess), alu32_imm(BPF_AND, kR1, m.access),
               jump_imm(BPF_JEQ, kR1, 0, 2), mov64_imm(kR0, kDeny), exit_insn()};
  }
  struct Check {
    std::uint8_t reg;
    std::int64_t value;
  };
  std::vector<Check> checks;
  if (m.type != 0) checks.push_back({kType, m.type});
  if (m.major >= 0) checks.push_back({kMajor, m.major});
  if (m.minor >= 0) checks.push_back({kMinor, m.minor});
  for (size_t i = 0; i < checks.size(); ++i) {
    auto skip = static_cast<std::int16_t>(checks.size() - i - 1 + verdict.size());
    out.push_back(
        jump_imm(BPF_JNE, checks[i].reg, static_cast<std::int32_t>(checks[i].value), skip));
  }
  out.insert(out.end(), verdict.begin(), verdict.end());
}

}  // namespace

std::vector<DeviceRule> with_default_device_rules(std::vector<DeviceRule> rules) {
  static const DeviceRule kDefaults[] = {
      {.allow = true, .type = 'c', .major = -1, .minor = -1, .access = "m"},
      {.allow = true, .type = 'b', .major = -1, .minor = -1, .access = "m"},
      {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rwm"},     // null
      {.allow = true, .type = 'c', .major = 1, .minor = 5, .access = "rwm"},     // zero
      {.allow = true, .type = 'c', .major = 1, .minor = 7, .access = "rwm"},     // full
      {.allow = true, .type = 'c', .major = 1, .minor = 8, .access = "rwm"},     // random
      {.allow = true, .type = 'c', .major = 1, .minor = 9, .access = "rwm"},     // urandom
      {.allow = true, .type = 'c', .major = 5, .minor = 0, .access = "rwm"},     // tty
      {.allow = true, .type = 'c', .major = 5, .minor = 1, .access = "rwm"},     // console
      {.allow = true, .type = 'c', .major = 5, .minor = 2, .access = "rwm"},     // ptmx
      {.allow = true, .type = 'c', .major = 136, .minor = -1, .access = "rwm"},  // pts/*
      {.allow = true, .type = 'c', .major = 10, .minor = 200, .access = "rwm"},  // net/tun
  };
  rules.insert(rules.end(), std::begin(kDefaults), std::end(kDefaults));
  return rules;
}

std::vector<bpf_insn> compile_device_filter(const std::vector<DeviceRule>& rules) {
  std::vector<Match> matches;
  for (size_t i = 0; i < rules.size(); ++i)
    matches.push_back(checked(rules[i], i));

  // The request: type = access_type & 0xffff, access = access_type >> 16, then major and minor.
  std::vector<bpf_insn> program = {
      load_word(kType, offsetof(bpf_cgroup_dev_ctx, access_type)),
      alu32_imm(BPF_AND, kType, 0xffff),
      load_word(kAccess, offsetof(bpf_cgroup_dev_ctx, access_type)),
      alu32_imm(BPF_RSH, kAccess, 16),
      load_word(kMajor, offsetof(bpf_cgroup_dev_ctx, major)),
      load_word(kMinor, offsetof(bpf_cgroup_dev_ctx, minor)),
  };
  // The last matching rule wins, so the program tries them from the last one back; a rule that
  // matches everything ends the program, since the rules before it can never decide anything.
  for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
    append_rule(*it, program);
    if (it->matches_everything()) return program;
  }
  program.push_back(mov64_imm(kR0, kAllow));
  program.push_back(exit_insn());
  return program;
}

}  // namespace cradle::cgroups
