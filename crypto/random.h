#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

namespace claimgate::crypto {

// `n` bytes from the operating system's CSPRNG. storage.internal when it cannot be read (the
// caller refuses the operation: there is no weaker fallback).
Result<std::string> RandomBytes(std::size_t n);

// The same, as 2n lowercase hex digits (request IDs, nonces, one-use codes).
Result<std::string> RandomHex(std::size_t n);

}  // namespace claimgate::crypto
