#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace claimgate::cli {

// Reads FILE ("-" = standard input) whole, or at most `max_bytes` + 1 bytes when a cap is given
// (so an oversize input is detected without reading gigabytes). nullopt with *error set when the
// file cannot be read.
std::optional<std::string> ReadInput(const std::string& path, std::string* error,
                                     std::size_t max_bytes = 0);

}  // namespace claimgate::cli
