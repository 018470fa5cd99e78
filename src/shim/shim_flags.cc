#include "shim/shim_flags.h"

#include "base/error.h"

namespace cradle::shim {

ShimFlags parse_shim_flags(const std::vector<std::string>& args) {
  ShimFlags flags;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    std::string arg = args[i];
    if (!arg.starts_with('-') || arg == "-" || arg == "--") break;
    arg.erase(0, arg.starts_with("--") ? 2 : 1);
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      has_value = true;
    }
    if (arg == "debug") {
      flags.debug = !has_value || value == "true" || value == "1";
      continue;
    }
    std::string* target = arg == "namespace"        ? &flags.ns
                          : arg == "address"        ? &flags.address
                          : arg == "publish-binary" ? &flags.publish_binary
                          : arg == "id"             ? &flags.id
                          : arg == "bundle"         ? &flags.bundle
                          : arg == "socket"         ? &flags.socket
                                                    : nullptr;
    if (target == nullptr) throw_invalid("unknown flag -" + arg);
    if (!has_value) {
      if (i + 1 >= args.size()) throw_invalid("flag -" + arg + " needs a value");
      value = args[++i];
    }
    *target = value;
  }
  if (i < args.size() && args[i] == "--") ++i;
  if (i < args.size()) flags.action = args[i++];
  if (i < args.size()) throw_invalid("unexpected argument \"" + args[i] + "\" after the action");
  return flags;
}

}  // namespace cradle::shim
