#include "cli/io.h"

#include <unistd.h>

#include "base/file.h"

namespace claimgate::cli {

Result<std::string> ReadArg(const std::string& path, std::size_t max_bytes) {
  return path == "-" ? ReadDescriptor(STDIN_FILENO, "-", max_bytes) : ReadFile(path, max_bytes);
}

std::optional<std::string> ReadInput(const std::string& path, std::string* error,
                                     std::size_t max_bytes) {
  Result<std::string> text = ReadArg(path, max_bytes);
  if (!text.ok()) {
    *error = text.status().message();
    return std::nullopt;
  }
  return *std::move(text);
}

}  // namespace claimgate::cli
