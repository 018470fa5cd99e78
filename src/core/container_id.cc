#include "core/container_id.h"

#include <cctype>

#include "base/error.h"

namespace cradle {

void validate_container_id(const std::string& id) {
  constexpr std::size_t kMaxLength = 76;
  if (id.empty()) throw_invalid("container id: must not be empty");
  if (id.size() > kMaxLength) {
    throw_invalid("container id \"" + id + "\": longer than " + std::to_string(kMaxLength) +
                  " characters");
  }
  if (!std::isalnum(static_cast<unsigned char>(id[0]))) {
    throw_invalid("container id \"" + id + "\": must start with a letter or a digit");
  }
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      throw_invalid("container id \"" + id + "\": only letters, digits, '_', '.' and '-' allowed");
    }
  }
}

}  // namespace cradle
