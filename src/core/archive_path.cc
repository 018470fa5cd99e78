#include "core/archive_path.h"

#include "base/error.h"
#include "core/json_field.h"

namespace cradle {

std::vector<std::string> archive_path_parts(std::string_view path) {
  if (path.starts_with('/')) throw_invalid("entry " + quote(path) + " has an absolute path");
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(begin, end - begin);
    if (part == "..") throw_invalid("entry " + quote(path) + " has a \"..\" component");
    if (!part.empty() && part != ".") parts.emplace_back(part);
    begin = end + 1;
  }
  return parts;
}

std::string join_path_parts(const std::vector<std::string>& parts, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out;
}

}  // namespace cradle
