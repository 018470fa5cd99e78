// cradled: the cradle daemon. Serves cradle.v1 over gRPC on a unix socket, keeps containers and
// images in SQLite under its root, runs one cradle-shim per task, and survives its own restart:
// shims outlive it and are found again from their bundles.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "api/daemon/daemon_services.h"
#include "api/daemon/events_endpoint.h"
#include "api/shim_client/process_shim_launcher.h"
#include "base/error.h"
#include "core/container_service.h"
#include "core/daemon_config.h"
#include "core/event_bus.h"
#include "core/image_store.h"
#include "core/metadata_store.h"
#include "core/runtime_manager.h"
#include "core/task_service.h"

namespace {

std::string own_directory() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "." : exe.parent_path().string();
}

void make_dir(const std::string& path, mode_t mode) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) cradle::throw_errno(ec.value(), "create " + path);
  if (::chmod(path.c_str(), mode) != 0) cradle::throw_errno(errno, "chmod " + path);
}

void import_builtin_image(const cradle::DaemonConfig& config, cradle::MetadataStore& metadata,
                          cradle::ImageStore& images) {
  try {
    metadata.find_image("docker.io/library/busybox:latest");
    return;
  } catch (const cradle::Error&) {
  }
  if (config.builtin_image.empty() || ::access(config.builtin_image.c_str(), R_OK) != 0) return;
  int fd = ::open(config.builtin_image.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) cradle::throw_errno("open the built-in image " + config.builtin_image);
  cradle::UniqueFd file(fd);
  images.import_tar(fd, "docker.io/library/busybox:latest");
}

int serve(cradle::DaemonConfig config) {
  std::string here = own_directory();
  if (config.shim_binary.empty()) config.shim_binary = here + "/cradle-shim";
  if (config.init_binary.empty()) config.init_binary = here + "/cradle-init";
  if (config.builtin_image.empty()) config.builtin_image = here + "/../images/busybox.tar";

  make_dir(config.root, 0711);
  make_dir(config.state, 0711);
  make_dir(config.state + "/logs", 0700);
  make_dir(config.state + "/shims", 0711);
  make_dir(std::filesystem::path(config.socket).parent_path().string(), 0711);

  cradle::MetadataStore metadata(config.root + "/meta.db");
  cradle::ImageStore images(config.root, metadata);
  cradle::EventBus bus;
  cradle::ContainerService containers(metadata, images, bus, {config.state, config.init_binary});
  cradle::api::ProcessShimLauncher launcher(
      {config.shim_binary, config.socket, here + "/cradled", config.events_socket()});
  cradle::TaskService* tasks_ptr = nullptr;
  cradle::RuntimeManager runtime(launcher, config.state,
                                 [&tasks_ptr](const std::string& ns, const std::string& id) {
                                   if (tasks_ptr) tasks_ptr->on_shim_died(ns, id);
                                 });
  cradle::TaskService tasks(containers, runtime, bus, config.state);
  tasks_ptr = &tasks;
  cradle::api::EventsEndpoint events(config.events_socket(), bus, tasks);

  import_builtin_image(config, metadata, images);
  tasks.reconcile();

  cradle::api::DaemonContext context{config, metadata, images, bus, containers, tasks};
  cradle::api::ContainersService containers_service(context);
  cradle::api::TasksService tasks_service(context);
  cradle::api::ImagesService images_service(context);
  cradle::api::EventsService events_service(context);
  cradle::api::SystemService system_service(context);

  ::unlink(config.socket.c_str());
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + config.socket, grpc::InsecureServerCredentials());
  for (grpc::Service* s :
       std::initializer_list<grpc::Service*>{&containers_service, &tasks_service, &images_service,
                                             &events_service, &system_service}) {
    builder.RegisterService(s);
  }
  // The socket is root's alone: the umask closes the window between bind and chmod, and the
  // chmod takes it from gRPC's 0777 & ~umask (0700) to 0600, as docker's socket has no x bit.
  mode_t old_umask = ::umask(0077);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ::umask(old_umask);
  if (!server)
    throw cradle::Error(cradle::ErrorCode::kUnavailable, "cannot listen on " + config.socket);
  if (::chmod(config.socket.c_str(), 0600) != 0)
    cradle::throw_errno(errno, "chmod " + config.socket);
  std::fprintf(stderr, "cradled: serving on %s\n", config.socket.c_str());

  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  int sig = 0;
  sigwait(&stop, &sig);
  std::fprintf(stderr, "cradled: signal %d, shutting down (containers keep running)\n", sig);
  bus.close();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  ::unlink(config.socket.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Block the stop signals before any thread exists, so every thread inherits the mask and
  // sigwait in the main thread receives them; a vanished client must not kill us.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"cradled: the cradle container daemon"};
  std::string config_path = "/etc/cradle/config.yaml";
  std::string root, state, socket;
  app.add_option("--config", config_path, "configuration file (YAML)");
  app.add_option("--root", root, "directory for metadata, images and snapshots");
  app.add_option("--state", state, "directory for bundles, logs and sockets");
  app.add_option("--socket", socket, "the API socket");
  CLI11_PARSE(app, argc, argv);
  try {
    cradle::DaemonConfig config =
        cradle::load_daemon_config(config_path, app.count("--config") > 0);
    if (!root.empty()) config.root = root;
    if (!state.empty()) config.state = state;
    if (!socket.empty()) config.socket = socket;
    return serve(config);
  } catch (const cradle::Error& e) {
    std::fprintf(stderr, "cradled: %s\n", e.what());
    return 1;
  }
}
