#include "cli/io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace claimgate::cli {

namespace {
struct FileCloser {
  void operator()(std::FILE* f) const noexcept {
    if (f != nullptr && f != stdin) std::fclose(f);
  }
};
}  // namespace

std::optional<std::string> ReadInput(const std::string& path, std::string* error,
                                     std::size_t max_bytes) {
  std::unique_ptr<std::FILE, FileCloser> f(path == "-" ? stdin : std::fopen(path.c_str(), "rb"));
  if (!f) {
    *error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::string out;
  char buf[65536];
  while (true) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
    out.append(buf, n);
    if (max_bytes != 0 && out.size() > max_bytes) {
      out.resize(max_bytes + 1);
      break;
    }
    if (n < sizeof buf) {
      if (std::ferror(f.get())) {
        *error = path + ": read error";
        return std::nullopt;
      }
      break;
    }
  }
  return out;
}

}  // namespace claimgate::cli
