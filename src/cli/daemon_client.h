// The CLI's side of the daemon API: one gRPC channel to unix:PATH, every call carrying the
// namespace in the "cradle-namespace" metadata.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "cli/errors.h"
#include "cradle/v1/containers.grpc.pb.h"
#include "cradle/v1/images.grpc.pb.h"
#include "cradle/v1/system.grpc.pb.h"
#include "cradle/v1/tasks.grpc.pb.h"

namespace cradle::cli {

namespace v1 = ::cradle::v1;

inline constexpr char kDefaultSocket[] = "/run/cradle/cradled.sock";
inline constexpr char kDefaultNamespace[] = "default";

class DaemonClient {
 public:
  DaemonClient(std::string socket_path, std::string ns);

  const std::string& socket_path() const { return socket_path_; }

  // A context for one call. Streams get no deadline: Attach, Logs -f and Events live as long as
  // what they follow. Unary calls get none either unless the caller gives one (stop's wait).
  std::unique_ptr<grpc::ClientContext> context(
      std::optional<std::chrono::milliseconds> timeout = {}) const;

  v1::Containers::Stub& containers() const { return *containers_; }
  v1::Tasks::Stub& tasks() const { return *tasks_; }
  v1::Images::Stub& images() const { return *images_; }
  v1::Events::Stub& events() const { return *events_; }
  v1::System::Stub& system() const { return *system_; }

  // One unary call; a failure throws RpcError.
  template <typename Stub, typename Request, typename Response>
  Response call(Stub& stub,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request,
                std::optional<std::chrono::milliseconds> timeout = {}) const {
    auto ctx = context(timeout);
    Response response;
    grpc::Status status = (stub.*method)(ctx.get(), request, &response);
    if (!status.ok()) throw RpcError(std::move(status));
    return response;
  }

  // Containers.Get by name, id or unambiguous id prefix. NOT_FOUND becomes the CLI's own
  // "no such container: REF", since the daemon cannot know what the user typed it as.
  v1::Container get_container(const std::string& ref) const;

 private:
  std::string socket_path_;
  std::string namespace_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Containers::Stub> containers_;
  std::unique_ptr<v1::Tasks::Stub> tasks_;
  std::unique_ptr<v1::Images::Stub> images_;
  std::unique_ptr<v1::Events::Stub> events_;
  std::unique_ptr<v1::System::Stub> system_;
};

// The TaskRef of a container's init (exec_id empty) or of one of its exec'd processes.
v1::TaskRef task_ref(const std::string& container_id, const std::string& exec_id = {});

}  // namespace cradle::cli
