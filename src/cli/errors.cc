#include "cli/errors.h"

#include <cctype>

#include "cli/context.h"
#include "cli/daemon_client.h"

namespace cradle::cli {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// gRPC itself answers UNAVAILABLE when nothing listens on the socket; the daemon may answer it
// too (a shim it cannot reach), and then its own message is the better one.
bool is_connection_failure(const grpc::Status& status) {
  const std::string& message = status.error_message();
  return status.error_code() == grpc::StatusCode::UNAVAILABLE &&
         (message.empty() || contains(message, "failed to connect") ||
          contains(message, "Connection refused") || contains(message, "Socket closed"));
}

std::string_view code_meaning(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED: return "the call was cancelled";
    case grpc::StatusCode::INVALID_ARGUMENT: return "invalid argument";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "the daemon did not answer in time";
    case grpc::StatusCode::NOT_FOUND: return "not found";
    case grpc::StatusCode::ALREADY_EXISTS: return "already in use";
    case grpc::StatusCode::PERMISSION_DENIED: return "permission denied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "out of resources";
    case grpc::StatusCode::FAILED_PRECONDITION: return "not possible in the current state";
    case grpc::StatusCode::UNIMPLEMENTED: return "the daemon does not implement this call";
    case grpc::StatusCode::UNAVAILABLE: return "the daemon is unavailable";
    default: return "the daemon failed";
  }
}

}  // namespace

std::string describe(const grpc::Status& status, std::string_view socket_path) {
  if (is_connection_failure(status))
    return "cannot connect to the cradle daemon at " + std::string(socket_path) +
           ": is cradled running?";
  if (status.error_message().empty()) return std::string(code_meaning(status.error_code()));
  return status.error_message();
}

RpcError exec_failure(const RpcError& error) {
  // The shim words these failures "executable file "x" not found in $PATH (...)",
  // "find the executable /x: No such file or directory" and "exec /x: Permission denied"; the
  // code they travel with depends on the errno, so the words decide, as in docker's CLI.
  std::string message = lower(error.status().error_message());
  bool about_exec = contains(message, "exec");
  if (contains(message, "not found in $path") ||
      (about_exec && contains(message, "no such file or directory")))
    return RpcError(error.status(), kExitCommandNotFound);
  if (about_exec && contains(message, "permission denied"))
    return RpcError(error.status(), kExitCannotExecute);
  return error;
}

int report_failure(std::exception_ptr failure, const DaemonClient& daemon, int err_fd) {
  std::string message;
  int exit_code = kExitFailure;
  try {
    std::rethrow_exception(failure);
  } catch (const CliError& error) {
    message = error.what();
    exit_code = error.exit_code();
  } catch (const RpcError& error) {
    message = describe(error.status(), daemon.socket_path());
    exit_code = error.exit_code();
  } catch (const std::exception& error) {
    message = error.what();
  }
  write_fully(err_fd, "Error: " + message + "\n");
  return exit_code;
}

}  // namespace cradle::cli
