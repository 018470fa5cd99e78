#include "core/image_reference.h"

#include <cctype>

#include "base/error.h"

namespace cradle {

std::string normalize_image_name(const std::string& reference) {
  if (reference.empty()) throw_invalid("image name: must not be empty");
  for (char c : reference) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      throw_invalid("image name \"" + reference + "\": must not contain spaces");
    }
  }
  std::string name = reference;
  auto slash = name.find('/');
  std::string first = slash == std::string::npos ? "" : name.substr(0, slash);
  // The first part is a registry if it looks like a host: a dot, a port, or "localhost".
  bool has_registry = first.find('.') != std::string::npos ||
                      first.find(':') != std::string::npos || first == "localhost";
  if (!has_registry)
    name = (slash == std::string::npos ? "docker.io/library/" : "docker.io/") + name;
  // Docker Hub's official images live under library/: docker.io/busybox is that one too.
  if (name.starts_with("docker.io/") && name.find('/', 10) == std::string::npos) {
    name.insert(10, "library/");
  }
  // Repository names are lower case; tags may be mixed.
  auto last_slash = name.rfind('/');
  auto tag_colon = name.find(':', last_slash);
  auto repository_end = std::min(tag_colon, name.find('@'));
  for (std::size_t i = 0; i < std::min(repository_end, name.size()); ++i) {
    if (std::isupper(static_cast<unsigned char>(name[i]))) {
      throw_invalid("image name \"" + reference + "\": the repository must be lower case");
    }
  }
  if (name.find('@') != std::string::npos) return name;
  if (tag_colon == std::string::npos) name += ":latest";
  return name;
}

}  // namespace cradle
