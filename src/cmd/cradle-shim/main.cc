// cradle-shim: the per-container runtime.
//   cradle-shim run  --bundle DIR [--id ID]        one container in the foreground
//   cradle-shim spec [--bundle DIR] [--terminal] [--force] [-- ARGS...]
//                                                    write a default config.json
// and, as containerd-shim-cradle-v2, containerd's shim v2 binary:
//   -namespace NS -address ADDR -publish-binary BIN -id ID [-bundle DIR] [-debug] start|delete
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/phase_trace.h"
#include "shim/delete_command.h"
#include "shim/run_command.h"
#include "shim/shim_daemon.h"
#include "shim/shim_flags.h"
#include "shim/shim_socket.h"
#include "shim/spec_command.h"
#include "shim/start_command.h"

namespace {

constexpr int kRuntimeFailure = 125;  // as docker: the runtime failed, not the container

void usage(FILE* out) {
  std::fputs(
      "usage: cradle-shim run --bundle DIR [--id ID]\n"
      "       cradle-shim spec [--bundle DIR] [--terminal] [--force] [-- ARGS...]\n"
      "       cradle-shim -namespace NS -address ADDR -id ID [-bundle DIR] [-socket PATH] "
      "[start|delete]\n",
      out);
}

// Takes the value of --name from args[i], advancing i; throws for a missing value.
std::string take_value(const std::vector<std::string>& args, std::size_t& i) {
  if (i + 1 >= args.size()) cradle::throw_invalid(args[i] + ": needs a value");
  return args[++i];
}

int run(const std::vector<std::string>& args) {
  cradle::shim::RunOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--bundle" || args[i] == "-b") {
      options.bundle_dir = take_value(args, i);
    } else if (args[i] == "--id") {
      options.id = take_value(args, i);
    } else {
      cradle::throw_invalid("run: unknown argument \"" + args[i] + "\"");
    }
  }
  return cradle::shim::run_container(options);
}

int spec(const std::vector<std::string>& args) {
  cradle::shim::SpecOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--bundle" || args[i] == "-b") {
      options.bundle_dir = take_value(args, i);
    } else if (args[i] == "--terminal") {
      options.spec.terminal = true;
    } else if (args[i] == "--force") {
      options.force = true;
    } else if (args[i] == "--") {
      options.spec.args.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      if (options.spec.args.empty()) cradle::throw_invalid("spec: no command after --");
      break;
    } else {
      cradle::throw_invalid("spec: unknown argument \"" + args[i] + "\"");
    }
  }
  cradle::shim::write_default_spec(options);
  return 0;
}

}  // namespace

// containerd's shim contract: `start` daemonizes, `delete` cleans up, and no action serves in
// the foreground on -socket (or the computed path).
int shim_v2(const std::vector<std::string>& args) {
  cradle::shim::ShimFlags flags = cradle::shim::parse_shim_flags(args);
  if (flags.action == "start") return cradle::shim::start_shim(flags);
  if (flags.action == "delete") return cradle::shim::delete_shim(flags);
  if (!flags.action.empty()) cradle::throw_invalid("unknown action \"" + flags.action + "\"");
  std::string path = cradle::shim::shim_socket_path(flags);
  return cradle::shim::serve_shim(flags, cradle::shim::listen_unix(path), path);
}

int main(int argc, char** argv) {
  cradle::trace_mark("shim_main");
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "run") return run(args);
    if (command == "spec") return spec(args);
    if (command == "--help" || command == "-h" || command == "help") {
      usage(stdout);
      return 0;
    }
    if (command.starts_with('-')) return shim_v2(std::vector<std::string>(argv + 1, argv + argc));
    std::fprintf(stderr, "cradle-shim: unknown command \"%s\"\n", command.c_str());
    usage(stderr);
    return 2;
  } catch (const cradle::Error& e) {
    std::fprintf(stderr, "cradle-shim: %s\n", e.what());
    return kRuntimeFailure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cradle-shim: internal error: %s\n", e.what());
    return kRuntimeFailure;
  }
}
