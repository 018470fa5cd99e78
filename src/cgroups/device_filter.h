// The devices a container may use, enforced the cgroup v2 way: an eBPF program of type
// BPF_PROG_TYPE_CGROUP_DEVICE attached to the container's cgroup, which the kernel runs on every
// open and mknod of a device node (v2 has no devices.allow/devices.deny files).
//
// Rule semantics, as OCI's linux.resources.devices and cgroup v1 define them: rules are read in
// order and the last rule that matches a device and an access wins; a device no rule matches is
// allowed. So a list that starts with a deny-all rule (the runtime-spec's and runc's default
// spec) allows only what later rules allow, and an empty list allows everything. Each access
// (read, write, mknod) is decided on its own: an open for read and write needs both allowed.
#pragma once

#include <linux/bpf.h>

#include <string>
#include <vector>

#include "cgroups/resources.h"

namespace cradle::cgroups {

// The devices every container may use whatever its spec says, added after its own rules (so they
// win), as runc and crun do: mknod of any node, then /dev/null, zero, full, random, urandom, tty,
// console, ptmx, the pty slaves and /dev/net/tun.
std::vector<DeviceRule> with_default_device_rules(std::vector<DeviceRule> rules);

// Compiles rules into the program's instructions. Pure: no kernel involved. Throws
// kInvalidArgument naming linux.resources.devices[i] for a rule that is not valid (a type other
// than a/c/b, an access not made of r/w/m, a negative device number other than -1 for "any").
std::vector<bpf_insn> compile_device_filter(const std::vector<DeviceRule>& rules);

// The name the program is loaded under, by which a later update finds it among the programs
// attached to the cgroup.
inline constexpr char kDeviceFilterName[] = "cradle_devices";

// Loads program and attaches it to the cgroup directory cgroup_fd (`cgroup` names it in errors),
// replacing the device filter cradle attached there before, atomically, if there is one. Throws
// naming the step and the kernel's reason, with the verifier's log if it refused the program.
void attach_device_filter(int cgroup_fd, const std::vector<bpf_insn>& program,
                          const std::string& cgroup);

}  // namespace cradle::cgroups
