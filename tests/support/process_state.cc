#include "support/process_state.h"

#include <fstream>
#include <string>

namespace cradle::testing {

char process_state(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("State:")) return line[line.find_first_not_of(" \t", 6)];
  }
  return '-';
}

}  // namespace cradle::testing
