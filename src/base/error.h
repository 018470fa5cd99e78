// The one error type of cradle. Every layer throws it; the API layer maps its code one-to-one to a
// gRPC/ttrpc status. It lives in base/ (not core/, as DESIGN.md first said) because namespaces/
// and cgroups/ report errors too and must not depend on core/.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cradle {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kUnavailable,
  kPermissionDenied,
  kResourceExhausted,
  kUnimplemented,
  kInternal,
};

std::string_view error_code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, int sys_errno = 0)
      : std::runtime_error(std::move(message)), code_(code), errno_(sys_errno) {}

  ErrorCode code() const { return code_; }
  // The errno of the failed syscall, or 0 when the error did not come from one.
  int sys_errno() const { return errno_; }

 private:
  ErrorCode code_;
  int errno_;
};

// The code a failed syscall's errno most naturally maps to (ENOENT -> not found, ...).
ErrorCode error_code_for_errno(int err);

// "what: strerror(err)", with the code derived from err.
[[noreturn]] void throw_errno(int err, std::string_view what);
// Same, with the current errno.
[[noreturn]] inline void throw_errno(std::string_view what) {
  throw_errno(errno, what);
}

[[noreturn]] inline void throw_invalid(std::string message) {
  throw Error(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace cradle
