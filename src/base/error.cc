#include "base/error.h"

#include <cstring>

namespace cradle {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "InvalidArgument";
    case ErrorCode::kNotFound: return "NotFound";
    case ErrorCode::kAlreadyExists: return "AlreadyExists";
    case ErrorCode::kFailedPrecondition: return "FailedPrecondition";
    case ErrorCode::kUnavailable: return "Unavailable";
    case ErrorCode::kPermissionDenied: return "PermissionDenied";
    case ErrorCode::kResourceExhausted: return "ResourceExhausted";
    case ErrorCode::kUnimplemented: return "Unimplemented";
    case ErrorCode::kInternal: return "Internal";
  }
  return "Unknown";
}

ErrorCode error_code_for_errno(int err) {
  switch (err) {
    case ENOENT:
    case ESRCH: return ErrorCode::kNotFound;
    case EEXIST: return ErrorCode::kAlreadyExists;
    case EINVAL:
    case ENOTDIR:
    case EISDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EXDEV: return ErrorCode::kInvalidArgument;
    case EPERM:
    case EACCES: return ErrorCode::kPermissionDenied;
    case ENOMEM:
    case ENOSPC:
    case EMFILE:
    case ENFILE:
    case EAGAIN:
    case EMSGSIZE: return ErrorCode::kResourceExhausted;
    case EBUSY:
    case ENOTEMPTY: return ErrorCode::kFailedPrecondition;
    case ENOSYS:
    case EOPNOTSUPP: return ErrorCode::kUnimplemented;
    case ECONNREFUSED:
    case ECONNRESET:
    case EPIPE: return ErrorCode::kUnavailable;
    default: return ErrorCode::kInternal;
  }
}

void throw_errno(int err, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += std::strerror(err);
  throw Error(error_code_for_errno(err), std::move(message), err);
}

}  // namespace cradle
