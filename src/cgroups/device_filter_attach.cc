// Loading the device filter and attaching it to a cgroup with bpf(2).
//
// The program is attached with BPF_F_ALLOW_MULTI: programs attached to ancestors with that flag
// (systemd's, a parent runtime's) keep running next to ours and all of them must allow an access,
// and a cgroup below the container's (made by a nested runtime) may add its own program without
// ever switching ours off, which an exclusive attach would refuse and BPF_F_ALLOW_OVERRIDE would
// permit. An update finds cradle's program among those attached to the cgroup by its name and
// swaps it with BPF_F_REPLACE, atomically: there is no moment with no filter or with both. Because
// the program is found again through the kernel, the process that updates need not be the one
// that attached it, and no fd has to be kept: the attachment holds the program until the cgroup is
// removed.
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <optional>

#include "base/error.h"
#include "base/unique_fd.h"
#include "cgroups/device_filter.h"

namespace cradle::cgroups {

namespace {

// The program calls no kernel helper, so it needs no GPL-compatible license string; the kernel
// only requires that one is given.
constexpr char kLicense[] = "";
// Enough for the verifier's account of a rejected program of a few thousand instructions.
constexpr size_t kVerifierLogSize = 256 * 1024;
// More device programs than this on one cgroup is not a setup cradle has to understand.
constexpr std::uint32_t kMaxAttachedPrograms = 64;

std::uint64_t pointer(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p);
}

long bpf(int command, bpf_attr& attr) {
  return ::syscall(SYS_bpf, command, &attr, sizeof attr);
}

bpf_attr load_attr(const std::vector<bpf_insn>& program) {
  bpf_attr attr{};
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = pointer(program.data());
  attr.insn_cnt = static_cast<std::uint32_t>(program.size());
  attr.license = pointer(kLicense);
  std::memcpy(attr.prog_name, kDeviceFilterName, sizeof kDeviceFilterName);
  return attr;
}

UniqueFd load(const std::vector<bpf_insn>& program, const std::string& cgroup) {
  bpf_attr attr = load_attr(program);
  long fd = bpf(BPF_PROG_LOAD, attr);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  const int load_errno = errno;
  // Loaded again with the verifier's log only when it failed: a log that does not fit the buffer
  // would fail an otherwise good load with ENOSPC.
  std::string log(kVerifierLogSize, '\0');
  attr = load_attr(program);
  attr.log_buf = pointer(log.data());
  attr.log_size = static_cast<std::uint32_t>(log.size());
  attr.log_level = 1;
  fd = bpf(BPF_PROG_LOAD, attr);
  if (fd >= 0) ::close(static_cast<int>(fd));
  log.resize(std::strlen(log.c_str()));
  while (!log.empty() && log.back() == '\n')
    log.pop_back();
  std::string what = "load the device filter of cgroup " + cgroup;
  if (!log.empty()) what += " (the verifier said: " + log + ")";
  throw_errno(load_errno, what);
}

// The name of the program behind fd, from BPF_OBJ_GET_INFO_BY_FD.
std::string program_name(int fd, const std::string& cgroup) {
  bpf_prog_info info{};
  bpf_attr attr{};
  attr.info.bpf_fd = static_cast<std::uint32_t>(fd);
  attr.info.info_len = sizeof info;
  attr.info.info = pointer(&info);
  if (bpf(BPF_OBJ_GET_INFO_BY_FD, attr) != 0) {
    throw_errno("read a device program attached to cgroup " + cgroup);
  }
  return std::string(info.name, strnlen(info.name, sizeof info.name));
}

// The device filter cradle attached to the cgroup itself (not its ancestors), if any.
std::optional<UniqueFd> find_attached(int cgroup_fd, const std::string& cgroup) {
  std::uint32_t ids[kMaxAttachedPrograms] = {};
  bpf_attr attr{};
  attr.query.target_fd = static_cast<std::uint32_t>(cgroup_fd);
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = pointer(ids);
  attr.query.prog_cnt = kMaxAttachedPrograms;
  if (bpf(BPF_PROG_QUERY, attr) != 0) {
    throw_errno("list the device programs attached to cgroup " + cgroup);
  }
  for (std::uint32_t i = 0; i < attr.query.prog_cnt; ++i) {
    bpf_attr by_id{};
    by_id.prog_id = ids[i];
    long fd = bpf(BPF_PROG_GET_FD_BY_ID, by_id);
    if (fd < 0) {
      if (errno == ENOENT) continue;  // detached and freed meanwhile
      throw_errno("open device program " + std::to_string(ids[i]) + " of cgroup " + cgroup);
    }
    UniqueFd program(static_cast<int>(fd));
    if (program_name(program.get(), cgroup) == kDeviceFilterName) return program;
  }
  return std::nullopt;
}

}  // namespace

void attach_device_filter(int cgroup_fd, const std::vector<bpf_insn>& program,
                          const std::string& cgroup) {
  UniqueFd loaded = load(program, cgroup);
  std::optional<UniqueFd> previous = find_attached(cgroup_fd, cgroup);
  bpf_attr attr{};
  attr.target_fd = static_cast<std::uint32_t>(cgroup_fd);
  attr.attach_bpf_fd = static_cast<std::uint32_t>(loaded.get());
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (previous) {
    attr.attach_flags |= BPF_F_REPLACE;
    attr.replace_bpf_fd = static_cast<std::uint32_t>(previous->get());
  }
  if (bpf(BPF_PROG_ATTACH, attr) != 0) {
    throw_errno(std::string(previous ? "replace" : "attach") + " the device filter of cgroup " +
                cgroup);
  }
  // `loaded` closes now: the attachment keeps the program until the cgroup goes.
}

}  // namespace cradle::cgroups
