#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "base/status.h"

namespace claimgate::cli {

// Reads FILE ("-" = standard input) whole, or at most `max_bytes` + 1 bytes when a cap is given
// (so an oversize input is detected without reading gigabytes), with base/file.h: fails with
// input.unreadable, "FILE: is a directory" and the like.
Result<std::string> ReadArg(const std::string& path, std::size_t max_bytes = 0);

// The same; nullopt with *error set to the message when the file cannot be read.
std::optional<std::string> ReadInput(const std::string& path, std::string* error,
                                     std::size_t max_bytes = 0);

}  // namespace claimgate::cli
