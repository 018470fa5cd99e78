// The argv/envp arrays that execve and posix_spawn take, pointing into strings the caller keeps.
#pragma once

#include <string>
#include <vector>

namespace cradle {

// Pointers to each string's characters, then the terminating nullptr. Valid while `strings` is
// neither changed nor destroyed.
inline std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace cradle
