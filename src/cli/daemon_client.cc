#include "cli/daemon_client.h"

namespace cradle::cli {

DaemonClient::DaemonClient(std::string socket_path, std::string ns)
    : socket_path_(std::move(socket_path)),
      namespace_(std::move(ns)),
      channel_(grpc::CreateChannel("unix:" + socket_path_, grpc::InsecureChannelCredentials())),
      containers_(v1::Containers::NewStub(channel_)),
      tasks_(v1::Tasks::NewStub(channel_)),
      images_(v1::Images::NewStub(channel_)),
      events_(v1::Events::NewStub(channel_)),
      system_(v1::System::NewStub(channel_)) {}

std::unique_ptr<grpc::ClientContext> DaemonClient::context(
    std::optional<std::chrono::milliseconds> timeout) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("cradle-namespace", namespace_);
  if (timeout) ctx->set_deadline(std::chrono::system_clock::now() + *timeout);
  return ctx;
}

v1::Container DaemonClient::get_container(const std::string& ref) const {
  v1::GetContainerRequest request;
  request.set_id(ref);
  try {
    return call(containers(), &v1::Containers::Stub::Get, request);
  } catch (const RpcError& error) {
    if (error.code() == grpc::StatusCode::NOT_FOUND) throw CliError("no such container: " + ref);
    throw;
  }
}

v1::TaskRef task_ref(const std::string& container_id, const std::string& exec_id) {
  v1::TaskRef ref;
  ref.set_container_id(container_id);
  ref.set_exec_id(exec_id);
  return ref;
}

}  // namespace cradle::cli
