#include "shim/delete_command.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "base/error.h"
#include "base/file_io.h"
#include "cgroups/cgroup.h"
#include "cgroups/cgroup_path.h"
#include "core/spec_parser.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "namespaces/host_mount.h"
#include "shim/proto_util.h"
#include "shim/shim_socket.h"

namespace cradle::shim {
namespace {

void warn(const std::string& message) {
  std::fprintf(stderr, "cradle-shim delete: %s\n", message.c_str());
}

std::string container_cgroup(const ShimFlags& flags, const std::string& bundle) {
  try {
    Spec spec = load_spec(bundle);
    if (!spec.linux.cgroups_path.empty()) return spec.linux.cgroups_path;
  } catch (const Error& e) {
    warn(std::string("cannot read the bundle's spec, using the default cgroup: ") + e.what());
  }
  return "cradle/" + flags.ns + "/" + flags.id;
}

}  // namespace

int delete_shim(const ShimFlags& flags) {
  std::string bundle = flags.bundle.empty() ? "." : flags.bundle;
  try {
    cgroups::CgroupRoot root = cgroups::CgroupRoot::detect();
    if (auto cgroup = cgroups::Cgroup::open_existing(root, container_cgroup(flags, bundle))) {
      cgroup->remove();  // kills what is left, waits for it, removes the cgroup
    }
  } catch (const Error& e) {
    warn(e.what());
  }
  try {
    ns::unmount_all(bundle + "/rootfs");
  } catch (const Error& e) {
    warn(e.what());
  }
  std::string socket = shim_socket_path(flags);
  try {
    if (!unix_socket_alive(socket)) ::unlink(socket.c_str());
  } catch (const Error& e) {
    warn(e.what());
  }

  // The shim is gone or going: its init was killed, as the runc shim reports it.
  containerd::task::v2::DeleteResponse response;
  try {
    response.set_pid(static_cast<std::uint32_t>(std::stoul(read_file(bundle + "/init.pid"))));
  } catch (const std::exception&) {
    // No init was ever created: pid 0.
  }
  response.set_exit_status(128 + SIGKILL);
  set_timestamp(response.mutable_exited_at(), now_realtime());
  std::string out = response.SerializeAsString();
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace cradle::shim
