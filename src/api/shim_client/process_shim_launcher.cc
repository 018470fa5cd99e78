#include "api/shim_client/process_shim_launcher.h"

#include "api/shim_client/ttrpc_shim_client.h"
#include "base/error.h"
#include "base/subprocess.h"

namespace cradle::api {
namespace {

constexpr std::chrono::seconds kDeleteTimeout{
    5};  // containerd's io.containerd.timeout.shim.cleanup

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

}  // namespace

std::vector<std::string> ProcessShimLauncher::base_args(const std::string& ns,
                                                        const std::string& id) const {
  return {config_.shim_binary, "-namespace",          ns,    "-address", config_.daemon_address,
          "-publish-binary",   config_.daemon_binary, "-id", id};
}

std::string ProcessShimLauncher::start(const std::string& ns, const std::string& id,
                                       const std::string& bundle) {
  std::vector<std::string> args = base_args(ns, id);
  args.push_back("start");
  CommandResult r =
      run_command(args, {.cwd = bundle, .env = {"TTRPC_ADDRESS=" + config_.events_address}});
  std::string output = trimmed(r.output);
  if (r.status != 0) {
    throw Error(ErrorCode::kInternal,
                "start the shim of " + id + ": " +
                    (output.empty() ? "exit status " + std::to_string(r.status) : output));
  }
  if (!output.starts_with("unix://")) {
    throw Error(ErrorCode::kInternal, "the shim of " + id + " printed no address: " + output);
  }
  return output.substr(7);
}

std::unique_ptr<ShimClient> ProcessShimLauncher::connect(const std::string& address) {
  std::string path = address.starts_with("unix://") ? address.substr(7) : address;
  return std::make_unique<TtrpcShimClient>(trimmed(path));
}

void ProcessShimLauncher::cleanup(const std::string& ns, const std::string& id,
                                  const std::string& bundle) {
  std::vector<std::string> args = base_args(ns, id);
  args.insert(args.end(), {"-bundle", bundle, "delete"});
  CommandResult r = run_command(args, {.cwd = bundle,
                                       .env = {"TTRPC_ADDRESS=" + config_.events_address},
                                       .separate_stderr = true,
                                       .timeout = kDeleteTimeout});
  if (r.status != 0) {
    throw Error(ErrorCode::kInternal, "clean up after the shim of " + id + ": " + trimmed(r.err));
  }
}

}  // namespace cradle::api
