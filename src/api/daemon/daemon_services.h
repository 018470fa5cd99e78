// cradled's gRPC services (cradle.v1), thin: each call is a namespace, a conversion, a core
// call and a conversion back; errors become statuses in grpc_util.
#pragma once

#include "api/daemon/daemon_context.h"
#include "api/daemon/grpc_util.h"
#include "cradle/v1/containers.grpc.pb.h"
#include "cradle/v1/images.grpc.pb.h"
#include "cradle/v1/system.grpc.pb.h"
#include "cradle/v1/tasks.grpc.pb.h"

namespace cradle::api {

class ContainersService final : public v1::Containers::Service {
 public:
  explicit ContainersService(DaemonContext& d) : d_(d) {}
  grpc::Status Create(grpc::ServerContext*, const v1::CreateContainerRequest*,
                      v1::Container*) override;
  grpc::Status Get(grpc::ServerContext*, const v1::GetContainerRequest*, v1::Container*) override;
  grpc::Status List(grpc::ServerContext*, const v1::ListContainersRequest*,
                    v1::ListContainersResponse*) override;
  grpc::Status Update(grpc::ServerContext*, const v1::UpdateContainerRequest*,
                      v1::Container*) override;
  grpc::Status Delete(grpc::ServerContext*, const v1::DeleteContainerRequest*,
                      google::protobuf::Empty*) override;

 private:
  DaemonContext& d_;
};

class TasksService final : public v1::Tasks::Service {
 public:
  explicit TasksService(DaemonContext& d) : d_(d) {}
  grpc::Status Create(grpc::ServerContext*, const v1::TaskRef*, v1::Task*) override;
  grpc::Status Start(grpc::ServerContext*, const v1::TaskRef*, v1::Task*) override;
  grpc::Status Delete(grpc::ServerContext*, const v1::TaskRef*, v1::ExitStatus*) override;
  grpc::Status Kill(grpc::ServerContext*, const v1::KillRequest*,
                    google::protobuf::Empty*) override;
  grpc::Status Exec(grpc::ServerContext*, const v1::ExecRequest*, v1::ExecResponse*) override;
  grpc::Status Wait(grpc::ServerContext*, const v1::TaskRef*, v1::ExitStatus*) override;
  grpc::Status Get(grpc::ServerContext*, const v1::TaskRef*, v1::Task*) override;
  grpc::Status List(grpc::ServerContext*, const google::protobuf::Empty*,
                    v1::ListTasksResponse*) override;
  grpc::Status Pids(grpc::ServerContext*, const v1::TaskRef*, v1::PidsResponse*) override;
  grpc::Status Pause(grpc::ServerContext*, const v1::TaskRef*, google::protobuf::Empty*) override;
  grpc::Status Resume(grpc::ServerContext*, const v1::TaskRef*, google::protobuf::Empty*) override;
  grpc::Status Update(grpc::ServerContext*, const v1::UpdateContainerRequest*,
                      google::protobuf::Empty*) override;
  grpc::Status Stats(grpc::ServerContext*, const v1::TaskRef*, v1::StatsResponse*) override;
  grpc::Status Resize(grpc::ServerContext*, const v1::ResizeRequest*,
                      google::protobuf::Empty*) override;
  grpc::Status CloseIO(grpc::ServerContext*, const v1::TaskRef*, google::protobuf::Empty*) override;
  grpc::Status Attach(grpc::ServerContext*,
                      grpc::ServerReaderWriter<v1::AttachOutput, v1::AttachInput>*) override;
  grpc::Status Logs(grpc::ServerContext*, const v1::LogsRequest*,
                    grpc::ServerWriter<v1::LogEntry>*) override;

 private:
  std::string ns_of(const grpc::ServerContext& ctx) const {
    return namespace_of(ctx, d_.config.default_namespace);
  }
  DaemonContext& d_;
};

class ImagesService final : public v1::Images::Service {
 public:
  explicit ImagesService(DaemonContext& d) : d_(d) {}
  grpc::Status Import(grpc::ServerContext*, grpc::ServerReader<v1::ImportChunk>*,
                      v1::ImportResponse*) override;
  grpc::Status List(grpc::ServerContext*, const google::protobuf::Empty*,
                    v1::ListImagesResponse*) override;
  grpc::Status Remove(grpc::ServerContext*, const v1::RemoveImageRequest*,
                      google::protobuf::Empty*) override;

 private:
  DaemonContext& d_;
};

class EventsService final : public v1::Events::Service {
 public:
  explicit EventsService(DaemonContext& d) : d_(d) {}
  grpc::Status Subscribe(grpc::ServerContext*, const v1::SubscribeRequest*,
                         grpc::ServerWriter<v1::Envelope>*) override;

 private:
  DaemonContext& d_;
};

class SystemService final : public v1::System::Service {
 public:
  explicit SystemService(DaemonContext& d) : d_(d) {}
  grpc::Status Version(grpc::ServerContext*, const google::protobuf::Empty*,
                       v1::VersionResponse*) override;
  grpc::Status Health(grpc::ServerContext*, const google::protobuf::Empty*,
                      google::protobuf::Empty*) override;
  grpc::Status Info(grpc::ServerContext*, const google::protobuf::Empty*,
                    v1::InfoResponse*) override;

 private:
  DaemonContext& d_;
};

}  // namespace cradle::api
