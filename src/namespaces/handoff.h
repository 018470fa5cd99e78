// The handoff protocol between the shim (parent) and a process it is starting (child), over a
// SOCK_SEQPACKET socketpair: one message per datagram, fixed-size, so the child never allocates.
//
//   child -> parent  kUserNamespaceReady   the child's new user namespace exists: write id maps
//   parent -> child  kIdMapsWritten
//   child -> parent  kReady (+ pty master fd)  setup done, waiting to exec
//   parent -> child  kGo
//   child -> parent  kFailed {stage, index, errno}   at any step; the child then exits
// After kGo the child execs; its end is close-on-exec, so EOF on the socket means "exec done".
#pragma once

#include <cstdint>
#include <string>

namespace cradle::ns {

enum class HandoffType : std::uint32_t {
  kUserNamespaceReady = 1,
  kIdMapsWritten,
  kReady,
  kGo,
  kFailed,
};

// Where in the child a step failed. The index says which mount, device, sysctl... it was.
enum class Stage : std::uint32_t {
  kHandoff,  // the protocol itself broke
  kSetsid,
  kJoinNamespace,
  kUnshare,
  kBecomeRootInUserNamespace,
  kRootPropagation,
  kRootParentPrivate,
  kRootfsBind,
  kOpenRootfs,
  kMountPoint,
  kMount,
  kMountPropagation,
  kDevice,
  kDevSymlink,
  kPivotRoot,
  kTerminal,
  kConsole,
  kSysctl,
  kMaskPath,
  kReadonlyPath,
  kRootReadonly,
  kHostname,
  kDomainname,
  kRlimit,
  kCwd,
  kSetgroups,
  kSetgid,
  kSetuid,
  kBoundingSet,
  kCapset,
  kAmbient,
  kNoNewPrivileges,
  kSeccomp,
  kUmask,
  kExecLookup,
  kExec,
};

struct HandoffMessage {
  HandoffType type = HandoffType::kFailed;
  Stage stage = Stage::kHandoff;
  std::uint32_t index = 0;
  std::int32_t error = 0;  // errno
  // kReady: CLOCK_MONOTONIC when the child began, had its namespaces, its mounts, and had
  // pivoted (for the start-latency breakdown; reading the clock is a vDSO call, no syscall).
  std::int64_t phase_ns[4] = {0, 0, 0, 0};
};

}  // namespace cradle::ns
