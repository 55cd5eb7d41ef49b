#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

// The one way claimgate reads a file named by a user (command line, connection file, token
// file): the failure says which path and why, in the words an operator expects.
namespace claimgate {

// Reads the regular file (or FIFO, character device) at `path` whole; with `max_bytes` > 0 at
// most max_bytes + 1 bytes, so an oversize input is detected without reading gigabytes. Fails
// with input.unreadable and a message "PATH: no such file", "PATH: is a directory", "PATH:
// permission denied" or "PATH: <the system's reason>". Never throws.
Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes = 0);

// The same for an open descriptor (standard input), named `label` in messages.
Result<std::string> ReadDescriptor(int fd, const std::string& label, std::size_t max_bytes = 0);

}  // namespace claimgate
