#pragma once
// Two kinds of failure, because the command line treats them differently:
//   InputError: the user's config, arguments or file are wrong (exit code 2,
//               nothing written). The message names the key/file and what is allowed.
//   Error:      anything else that stops the work (exit code 1).
#include <stdexcept>
#include <string>

namespace rnnlab {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct InputError : Error {
  using Error::Error;
};

}  // namespace rnnlab
