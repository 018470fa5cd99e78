#include <signal.h>
#include <unistd.h>

#include "api/daemon/convert.h"
#include "api/daemon/daemon_services.h"
#include "api/daemon/grpc_util.h"
#include "base/clock.h"

namespace cradle::api {
namespace {

void describe(const TaskInfo& t, v1::Task* out) {
  out->set_container_id(t.container_id);
  out->set_exec_id(t.exec_id);
  out->set_pid(t.pid);
  out->set_status(to_status(t.status));
  out->set_exit_status(t.exit_status);
  if (t.exited_at_ns != 0) set_time(out->mutable_exited_at(), t.exited_at_ns);
}

void describe(const ExitInfo& e, v1::ExitStatus* out) {
  out->set_exit_status(e.status);
  set_time(out->mutable_exited_at(), e.exited_at_ns);
}

}  // namespace

grpc::Status TasksService::Create(grpc::ServerContext* ctx, const v1::TaskRef* req, v1::Task* out) {
  return serve([&] { describe(d_.tasks.create(ns_of(*ctx), req->container_id()), out); });
}

grpc::Status TasksService::Start(grpc::ServerContext* ctx, const v1::TaskRef* req, v1::Task* out) {
  return serve(
      [&] { describe(d_.tasks.start(ns_of(*ctx), req->container_id(), req->exec_id()), out); });
}

grpc::Status TasksService::Delete(grpc::ServerContext* ctx, const v1::TaskRef* req,
                                  v1::ExitStatus* out) {
  return serve(
      [&] { describe(d_.tasks.remove(ns_of(*ctx), req->container_id(), req->exec_id()), out); });
}

grpc::Status TasksService::Kill(grpc::ServerContext* ctx, const v1::KillRequest* req,
                                google::protobuf::Empty*) {
  return serve([&] {
    d_.tasks.kill(ns_of(*ctx), req->ref().container_id(), req->ref().exec_id(),
                  static_cast<int>(req->signal()), req->all());
  });
}

grpc::Status TasksService::Exec(grpc::ServerContext* ctx, const v1::ExecRequest* req,
                                v1::ExecResponse* out) {
  return serve([&] {
    out->set_exec_id(d_.tasks.exec(ns_of(*ctx), req->container_id(), req->exec_id(),
                                   to_process(req->process())));
  });
}

grpc::Status TasksService::Wait(grpc::ServerContext* ctx, const v1::TaskRef* req,
                                v1::ExitStatus* out) {
  return serve(
      [&] { describe(d_.tasks.wait(ns_of(*ctx), req->container_id(), req->exec_id()), out); });
}

grpc::Status TasksService::Get(grpc::ServerContext* ctx, const v1::TaskRef* req, v1::Task* out) {
  return serve(
      [&] { describe(d_.tasks.get(ns_of(*ctx), req->container_id(), req->exec_id()), out); });
}

grpc::Status TasksService::List(grpc::ServerContext* ctx, const google::protobuf::Empty*,
                                v1::ListTasksResponse* out) {
  return serve([&] {
    for (const TaskInfo& t : d_.tasks.list(ns_of(*ctx)))
      describe(t, out->add_tasks());
  });
}

grpc::Status TasksService::Pids(grpc::ServerContext* ctx, const v1::TaskRef* req,
                                v1::PidsResponse* out) {
  return serve([&] {
    for (std::uint32_t pid : d_.tasks.pids(ns_of(*ctx), req->container_id()))
      out->add_pids(pid);
  });
}

grpc::Status TasksService::Pause(grpc::ServerContext* ctx, const v1::TaskRef* req,
                                 google::protobuf::Empty*) {
  return serve([&] { d_.tasks.pause(ns_of(*ctx), req->container_id()); });
}

grpc::Status TasksService::Resume(grpc::ServerContext* ctx, const v1::TaskRef* req,
                                  google::protobuf::Empty*) {
  return serve([&] { d_.tasks.resume(ns_of(*ctx), req->container_id()); });
}

grpc::Status TasksService::Update(grpc::ServerContext* ctx, const v1::UpdateContainerRequest* req,
                                  google::protobuf::Empty*) {
  return serve([&] { d_.tasks.update(ns_of(*ctx), req->id(), to_resources(req->resources())); });
}

grpc::Status TasksService::Stats(grpc::ServerContext* ctx, const v1::TaskRef* req,
                                 v1::StatsResponse* out) {
  return serve([&] {
    cgroups::CgroupStats s = d_.tasks.stats(ns_of(*ctx), req->container_id());
    auto limit = [](std::uint64_t v) { return v == cgroups::kNoLimit ? 0 : v; };
    if (s.cpu) out->set_cpu_usage_usec(s.cpu->usage_usec);
    if (s.memory) {
      out->set_memory_bytes(s.memory->current);
      out->set_memory_limit_bytes(limit(s.memory->max));
    }
    if (s.pids) {
      out->set_pids(s.pids->current);
      out->set_pids_limit(limit(s.pids->max));
    }
    for (const auto& io : s.io) {
      out->set_io_read_bytes(out->io_read_bytes() + io.rbytes);
      out->set_io_write_bytes(out->io_write_bytes() + io.wbytes);
    }
    set_time(out->mutable_read_at(), realtime_ns());
  });
}

grpc::Status TasksService::Resize(grpc::ServerContext* ctx, const v1::ResizeRequest* req,
                                  google::protobuf::Empty*) {
  return serve([&] {
    d_.tasks.resize(ns_of(*ctx), req->ref().container_id(), req->ref().exec_id(), req->width(),
                    req->height());
  });
}

grpc::Status TasksService::CloseIO(grpc::ServerContext* ctx, const v1::TaskRef* req,
                                   google::protobuf::Empty*) {
  return serve([&] { d_.tasks.close_stdin(ns_of(*ctx), req->container_id(), req->exec_id()); });
}

}  // namespace cradle::api
