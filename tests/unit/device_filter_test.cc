// The device filter compiler: the shape of the program it emits, and what that program decides for
// each device and access, run here on a small interpreter of the instructions it uses (the
// behaviour on a real kernel is tests/cgroup/device_filter_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "base/error.h"
#include "cgroups/device_filter.h"
#include "support/error_matcher.h"

namespace cradle::cgroups {
namespace {

using ::cradle::testing::IsError;
using ::testing::Throws;

constexpr size_t kHeaderSize = 6;  // the loads of type, access, major and minor

// Runs program on one request the way the kernel would, for the instructions the compiler emits;
// anything else fails the test. Returns the verdict: true for allow.
bool run(const std::vector<bpf_insn>& program, char type, std::uint32_t major, std::uint32_t minor,
         const std::string& access) {
  std::uint32_t bits = 0;
  for (char c : access)
    bits |= c == 'r' ? BPF_DEVCG_ACC_READ : c == 'w' ? BPF_DEVCG_ACC_WRITE : BPF_DEVCG_ACC_MKNOD;
  const bpf_cgroup_dev_ctx ctx{
      .access_type = (bits << 16) | (type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK),
      .major = major,
      .minor = minor};
  std::uint64_t reg[11] = {};
  for (size_t pc = 0; pc < program.size(); ++pc) {
    const bpf_insn& in = program[pc];
    const auto imm = static_cast<std::uint64_t>(static_cast<std::int64_t>(in.imm));
    switch (in.code) {
      case BPF_LDX | BPF_MEM | BPF_W: {
        EXPECT_EQ(in.src_reg, 1);
        std::uint32_t word;
        std::memcpy(&word, reinterpret_cast<const char*>(&ctx) + in.off, sizeof word);
        reg[in.dst_reg] = word;
        break;
      }
      case BPF_ALU | BPF_AND | BPF_K:
        reg[in.dst_reg] = static_cast<std::uint32_t>(reg[in.dst_reg] & imm);
        break;
      case BPF_ALU | BPF_RSH | BPF_K:
        reg[in.dst_reg] = static_cast<std::uint32_t>(reg[in.dst_reg]) >> in.imm;
        break;
      case BPF_ALU64 | BPF_MOV | BPF_K: reg[in.dst_reg] = imm; break;
      case BPF_ALU64 | BPF_MOV | BPF_X: reg[in.dst_reg] = reg[in.src_reg]; break;
      case BPF_JMP | BPF_JNE | BPF_K:
        if (reg[in.dst_reg] != imm) pc += static_cast<size_t>(in.off);
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        if (reg[in.dst_reg] == imm) pc += static_cast<size_t>(in.off);
        break;
      case BPF_JMP | BPF_EXIT: return reg[0] == 1;
      default: ADD_FAILURE() << "unexpected opcode " << int{in.code} << " at " << pc; return false;
    }
  }
  ADD_FAILURE() << "the program ran off its end";
  return false;
}

DeviceRule rule(bool allow, char type, std::int64_t major, std::int64_t minor,
                std::string access = "rwm") {
  return {
      .allow = allow, .type = type, .major = major, .minor = minor, .access = std::move(access)};
}
const DeviceRule kDenyAll = rule(false, 'a', -1, -1);

TEST(DeviceFilterCompile, NoRulesAllowEverything) {
  std::vector<bpf_insn> program = compile_device_filter({});
  ASSERT_EQ(program.size(), kHeaderSize + 2);
  EXPECT_EQ(program[kHeaderSize].code, BPF_ALU64 | BPF_MOV | BPF_K);
  EXPECT_EQ(program[kHeaderSize].imm, 1);
  EXPECT_EQ(program.back().code, BPF_JMP | BPF_EXIT);
  EXPECT_TRUE(run(program, 'c', 10, 229, "rw"));
  EXPECT_TRUE(run(program, 'b', 8, 0, "m"));
}

TEST(DeviceFilterCompile, TheHeaderLoadsTypeAccessMajorAndMinor) {
  std::vector<bpf_insn> program = compile_device_filter({});
  EXPECT_EQ(program[0].code, BPF_LDX | BPF_MEM | BPF_W);
  EXPECT_EQ(program[0].off, offsetof(bpf_cgroup_dev_ctx, access_type));
  EXPECT_EQ(program[1].code, BPF_ALU | BPF_AND | BPF_K);
  EXPECT_EQ(program[1].imm, 0xffff);
  EXPECT_EQ(program[3].code, BPF_ALU | BPF_RSH | BPF_K);
  EXPECT_EQ(program[3].imm, 16);
  EXPECT_EQ(program[4].off, offsetof(bpf_cgroup_dev_ctx, major));
  EXPECT_EQ(program[5].off, offsetof(bpf_cgroup_dev_ctx, minor));
}

TEST(DeviceFilterCompile, ADenyAllRuleEndsTheProgramWithoutAFallThrough) {
  std::vector<bpf_insn> program = compile_device_filter({kDenyAll});
  ASSERT_EQ(program.size(), kHeaderSize + 2);
  EXPECT_EQ(program[kHeaderSize].imm, 0);
  EXPECT_FALSE(run(program, 'c', 1, 3, "r"));
}

TEST(DeviceFilterCompile, RulesBeforeAMatchEverythingRuleAreDropped) {
  // They can never decide anything: the allow-all after them matches first.
  std::vector<bpf_insn> program =
      compile_device_filter({rule(false, 'c', 1, 3), rule(true, 'a', -1, -1)});
  ASSERT_EQ(program.size(), kHeaderSize + 2);
  EXPECT_TRUE(run(program, 'c', 1, 3, "rw"));
}

TEST(DeviceFilterCompile, AFullRuleChecksTypeMajorAndMinorThenDecides) {
  std::vector<bpf_insn> program = compile_device_filter({kDenyAll, rule(true, 'c', 1, 3)});
  // three checks, the verdict (mov, exit), then the deny-all (mov, exit)
  ASSERT_EQ(program.size(), kHeaderSize + 5 + 2);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(program[kHeaderSize + i].code, BPF_JMP | BPF_JNE | BPF_K);
    EXPECT_EQ(program[kHeaderSize + i].off, 4 - static_cast<int>(i));  // to the next rule
  }
  EXPECT_EQ(program[kHeaderSize].imm, BPF_DEVCG_DEV_CHAR);
  EXPECT_EQ(program[kHeaderSize + 1].imm, 1);
  EXPECT_EQ(program[kHeaderSize + 2].imm, 3);
}

TEST(DeviceFilterCompile, WildcardsAreNotChecked) {
  std::vector<bpf_insn> program = compile_device_filter({kDenyAll, rule(true, 'c', 136, -1)});
  ASSERT_EQ(program.size(), kHeaderSize + 4 + 2);
  EXPECT_TRUE(run(program, 'c', 136, 7, "rw"));
  EXPECT_FALSE(run(program, 'b', 136, 7, "rw"));
  EXPECT_FALSE(run(program, 'c', 137, 0, "r"));
}

TEST(DeviceFilterBehaviour, TheLastMatchingRuleWins) {
  std::vector<bpf_insn> program = compile_device_filter(
      {kDenyAll, rule(true, 'c', 1, -1), rule(false, 'c', 1, 3), rule(true, 'c', 1, 3, "r")});
  EXPECT_TRUE(run(program, 'c', 1, 5, "rw"));   // allowed by c 1:*
  EXPECT_TRUE(run(program, 'c', 1, 3, "r"));    // the last rule allows reading /dev/null
  EXPECT_FALSE(run(program, 'c', 1, 3, "w"));   // the deny before it still covers writing
  EXPECT_FALSE(run(program, 'c', 1, 3, "rw"));  // one denied access denies the open
  EXPECT_FALSE(run(program, 'c', 10, 229, "r"));
}

TEST(DeviceFilterBehaviour, EachAccessIsDecidedByTheLastRuleCoveringIt) {
  std::vector<bpf_insn> program =
      compile_device_filter({kDenyAll, rule(true, 'c', 1, 3, "r"), rule(true, 'c', 1, 3, "w")});
  EXPECT_TRUE(run(program, 'c', 1, 3, "rw"));
  EXPECT_FALSE(run(program, 'c', 1, 3, "m"));
}

TEST(DeviceFilterBehaviour, ADenyCoveringOneRequestedAccessDenies) {
  std::vector<bpf_insn> program = compile_device_filter({rule(false, 'b', 8, 0, "w")});
  EXPECT_FALSE(run(program, 'b', 8, 0, "rw"));
  EXPECT_TRUE(run(program, 'b', 8, 0, "r"));
  EXPECT_TRUE(run(program, 'c', 8, 0, "w"));
}

TEST(DeviceFilterBehaviour, WithoutALeadingDenyAllUnmatchedDevicesAreAllowed) {
  std::vector<bpf_insn> program = compile_device_filter({rule(false, 'c', 10, 229)});
  EXPECT_FALSE(run(program, 'c', 10, 229, "r"));
  EXPECT_TRUE(run(program, 'c', 10, 200, "r"));
}

TEST(DeviceFilterBehaviour, TheDefaultDevicesWinOverTheSpecsRules) {
  std::vector<bpf_insn> program = compile_device_filter(
      with_default_device_rules({kDenyAll, rule(false, 'c', 1, 3), rule(true, 'c', 10, 229)}));
  for (auto [major, minor] : {std::pair{1, 3},
                              {1, 5},
                              {1, 7},
                              {1, 8},
                              {1, 9},
                              {5, 0},
                              {5, 1},
                              {5, 2},
                              {136, 4},
                              {10, 200}}) {
    EXPECT_TRUE(run(program, 'c', major, minor, "rw")) << major << ":" << minor;
  }
  EXPECT_TRUE(run(program, 'c', 10, 229, "rw"));
  EXPECT_TRUE(run(program, 'b', 8, 0, "m"));  // mknod of anything
  EXPECT_FALSE(run(program, 'b', 8, 0, "r"));
  EXPECT_FALSE(run(program, 'c', 1, 1, "r"));
}

TEST(DeviceFilterCompile, InvalidRulesAreRefusedNamingTheRule) {
  auto expect_invalid = [](const DeviceRule& bad, const std::string& message) {
    EXPECT_THAT(
        [&] {
          compile_device_filter({kDenyAll, bad});
        },
        Throws<Error>(IsError(ErrorCode::kInvalidArgument, message)));
  };
  expect_invalid(rule(true, 'x', 1, 3),
                 "linux.resources.devices[1].type is \"x\"; it must be one of \"a\", \"c\", \"b\"");
  expect_invalid(rule(true, 'c', 1, 3, ""),
                 "linux.resources.devices[1].access is \"\"; it must be made of r, w and m");
  expect_invalid(rule(true, 'c', 1, 3, "rx"),
                 "linux.resources.devices[1].access is \"rx\"; it must be made of r, w and m");
  expect_invalid(rule(true, 'c', -2, 3),
                 "linux.resources.devices[1].major is -2; give a device number, or -1 (or "
                 "nothing) for any");
  expect_invalid(rule(true, 'c', 1, std::int64_t{1} << 32),
                 "linux.resources.devices[1].minor is 4294967296; give a device number, or -1 "
                 "(or nothing) for any");
}

}  // namespace
}  // namespace cradle::cgroups
