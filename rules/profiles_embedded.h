#pragma once
// Internal: the built-in profiles, generated at build time from rules/profiles/*.json
// (rules/CMakeLists.txt) so the binary works without the source tree.

#include <cstddef>

namespace claimgate::rules {

struct EmbeddedProfile {
  const char* name;
  const char* text;
};

extern const EmbeddedProfile kEmbeddedProfiles[];
extern const std::size_t kEmbeddedProfileCount;

}  // namespace claimgate::rules
