// A gmock matcher for cradle::Error, with Throws<Error>: the code and the exact message, since
// both are part of what the user of a failing operation sees.
#pragma once

#include <gmock/gmock.h>

#include <string>

#include "base/error.h"

namespace cradle::testing {

// Matches an Error with exactly this code and message; a mismatch shows the actual ones.
MATCHER_P2(IsError, code, message, "") {
  *result_listener << error_code_name(arg.code()) << " \"" << arg.what() << "\"";
  return arg.code() == code && arg.what() == std::string(message);
}

}  // namespace cradle::testing
