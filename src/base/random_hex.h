// Random identifiers, as containerd and docker make them: hex of bytes from getrandom(2).
#pragma once

#include <cstddef>
#include <string>

namespace cradle {

// 2 * bytes lowercase hex digits. Throws if the kernel's random source fails.
std::string random_hex(std::size_t bytes);

}  // namespace cradle
