#include "api/daemon/convert.h"
#include "api/daemon/daemon_services.h"
#include "api/daemon/grpc_util.h"

namespace cradle::api {
namespace {

// The record, with the state of its task (asked of its shim) or of its last exit.
v1::Container describe(DaemonContext& d, const ContainerRecord& c) {
  v1::Container out;
  out.set_id(c.id);
  out.set_name(c.name);
  out.set_image(c.image);
  out.mutable_labels()->insert(c.labels.begin(), c.labels.end());
  *out.mutable_config() = to_config(c.options);
  set_time(out.mutable_created_at(), c.created_at_ns);
  out.set_spec_json(c.spec_json);
  out.set_status(v1::TASK_STATUS_NONE);
  try {
    TaskInfo t = d.tasks.get(c.ns, c.id, "");
    out.set_status(to_status(t.status));
    out.set_pid(t.pid);
    if (t.status == ShimStatus::kStopped) {
      out.set_exit_status(t.exit_status);
      set_time(out.mutable_exited_at(), t.exited_at_ns);
    }
    return out;
  } catch (const Error&) {
    // No task (or its shim just went away): what the record says is the truth.
  }
  if (c.last_exit) {
    out.set_exit_status(c.last_exit->status);
    set_time(out.mutable_exited_at(), c.last_exit->exited_at_ns);
    out.set_exit_reason(c.last_exit->reason);
  }
  return out;
}

}  // namespace

grpc::Status ContainersService::Create(grpc::ServerContext* ctx,
                                       const v1::CreateContainerRequest* req, v1::Container* out) {
  return serve([&] {
    std::string ns = namespace_of(*ctx, d_.config.default_namespace);
    std::map<std::string, std::string> labels(req->labels().begin(), req->labels().end());
    ContainerRecord c =
        d_.containers.create(ns, req->name(), req->image(), to_options(req->config()), labels);
    *out = describe(d_, c);
  });
}

grpc::Status ContainersService::Get(grpc::ServerContext* ctx, const v1::GetContainerRequest* req,
                                    v1::Container* out) {
  return serve([&] {
    std::string ns = namespace_of(*ctx, d_.config.default_namespace);
    *out = describe(d_, d_.containers.get(ns, req->id()));
  });
}

grpc::Status ContainersService::List(grpc::ServerContext* ctx, const v1::ListContainersRequest* req,
                                     v1::ListContainersResponse* out) {
  return serve([&] {
    std::string ns = namespace_of(*ctx, d_.config.default_namespace);
    for (const ContainerRecord& c : d_.containers.list(ns)) {
      v1::Container described = describe(d_, c);
      bool running = described.status() == v1::TASK_STATUS_RUNNING ||
                     described.status() == v1::TASK_STATUS_PAUSED;
      if (req->all() || running) *out->add_containers() = std::move(described);
    }
  });
}

grpc::Status ContainersService::Update(grpc::ServerContext* ctx,
                                       const v1::UpdateContainerRequest* req, v1::Container* out) {
  return serve([&] {
    std::string ns = namespace_of(*ctx, d_.config.default_namespace);
    std::map<std::string, std::string> labels(req->labels().begin(), req->labels().end());
    ContainerRecord c = d_.containers.set_labels(ns, req->id(), labels);
    if (req->has_resources()) d_.tasks.update(ns, c.id, to_resources(req->resources()));
    *out = describe(d_, d_.containers.get(ns, c.id));
  });
}

grpc::Status ContainersService::Delete(grpc::ServerContext* ctx,
                                       const v1::DeleteContainerRequest* req,
                                       google::protobuf::Empty*) {
  return serve([&] {
    d_.tasks.delete_container(namespace_of(*ctx, d_.config.default_namespace), req->id(),
                              req->force());
  });
}

}  // namespace cradle::api
