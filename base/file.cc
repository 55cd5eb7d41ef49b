#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace claimgate {

namespace {

Status Unreadable(const std::string& path, int err) {
  const char* why = err == ENOENT                   ? "no such file"
                    : err == EISDIR                 ? "is a directory"
                    : err == EACCES || err == EPERM ? "permission denied"
                                                    : std::strerror(err);
  return Status::Error(errors::kInputUnreadable, path + ": " + why);
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<std::string> ReadDescriptor(int fd, const std::string& label, std::size_t max_bytes) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Unreadable(label, errno);
  if (S_ISDIR(st.st_mode)) return Unreadable(label, EISDIR);
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unreadable(label, errno);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (max_bytes != 0 && out.size() > max_bytes) {
      out.resize(max_bytes + 1);
      break;
    }
  }
  return out;
}

Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  if (path.empty()) return Status::Error(errors::kInputUnreadable, "the file name is empty");
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (f.fd < 0) return Unreadable(path, errno);
  return ReadDescriptor(f.fd, path, max_bytes);
}

}  // namespace claimgate
