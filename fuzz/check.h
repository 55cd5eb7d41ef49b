#pragma once
// What the fuzz targets assert beyond "no crash": a broken promise of the code under test aborts,
// which libFuzzer reports as a crash and keeps the input.

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#define CLAIMGATE_FUZZ_CHECK(cond)                                                       \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace claimgate::fuzz {

// Aborts, printing the failure, unless `code` begins with one of the families given.
inline void CheckFamily(std::string_view code, std::string_view message,
                        std::initializer_list<std::string_view> families) {
  for (std::string_view f : families) {
    if (code.substr(0, f.size()) == f) return;
  }
  std::fprintf(stderr, "fuzz check failed: code %.*s outside the documented families: %.*s\n",
               static_cast<int>(code.size()), code.data(), static_cast<int>(message.size()),
               message.data());
  std::abort();
}

// The input as text.
inline std::string_view Text(const unsigned char* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace claimgate::fuzz
