// Thin wrappers for the syscalls glibc 2.36 does not wrap. Async-signal-safe and allocation-free,
// so the clone3 child may use them.
#pragma once

#include <linux/openat2.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

namespace cradle::ns {

inline int sys_openat2(int dir_fd, const char* path, std::uint64_t flags, std::uint64_t resolve,
                       mode_t mode = 0) {
  open_how how{};
  how.flags = flags;
  how.mode = mode;
  how.resolve = resolve;
  return static_cast<int>(::syscall(SYS_openat2, dir_fd, path, &how, sizeof how));
}

inline long sys_clone3(clone_args* args) {
  return ::syscall(SYS_clone3, args, sizeof *args);
}

// glibc 2.36's <sys/pidfd.h> lacks extern "C", so its wrappers do not link from C++.
inline int sys_pidfd_send_signal(int pidfd, int sig) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

inline int sys_pivot_root(const char* new_root, const char* put_old) {
  return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}

}  // namespace cradle::ns
