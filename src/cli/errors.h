// How failures reach the user: one sentence after "Error: " on stderr, and docker's exit codes
// (125 when cradle itself failed, 126/127 when the command could not be run/found).
#pragma once

#include <grpcpp/support/status.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cradle::cli {

class DaemonClient;

inline constexpr int kExitFailure = 125;
inline constexpr int kExitCannotExecute = 126;
inline constexpr int kExitCommandNotFound = 127;

// A failure the CLI words itself: a bad option value, a container that does not exist.
class CliError : public std::runtime_error {
 public:
  explicit CliError(const std::string& message, int exit_code = kExitFailure)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// A call the daemon (or gRPC, when it could not reach the daemon) failed.
class RpcError : public std::runtime_error {
 public:
  explicit RpcError(grpc::Status status, int exit_code = kExitFailure)
      : std::runtime_error(status.error_message()),
        status_(std::move(status)),
        exit_code_(exit_code) {}
  const grpc::Status& status() const { return status_; }
  grpc::StatusCode code() const { return status_.error_code(); }
  int exit_code() const { return exit_code_; }

 private:
  grpc::Status status_;
  int exit_code_;
};

// The sentence for a failed call: the daemon's own message, except that gRPC's "could not
// connect" becomes an explanation naming the socket.
std::string describe(const grpc::Status& status, std::string_view socket_path);

// The error for a failure to create or start a process, with docker's exit code: 127 when the
// command was not found, 126 when it may not be executed, else 125.
RpcError exec_failure(const RpcError& error);

// Prints "Error: ..." for the exception in flight and returns the exit code it calls for.
// Anything but CliError and RpcError is a bug in cradle and still exits 125.
int report_failure(std::exception_ptr failure, const DaemonClient& daemon, int err_fd);

}  // namespace cradle::cli
