#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace claimgate {

struct DecodeLimits {
  // Cap on the raw input, applied before any base64 or XML work (SECURITY.md E03, DR15).
  std::size_t max_input_bytes = 1 << 20;
};

// The decode stage: takes the posted bytes — raw XML, or the base64 SAMLResponse form value
// with or without line breaks — and returns strict UTF-8 XML text. A UTF-8 BOM is tolerated (on
// the input and on the decoded XML); any other BOM is refused. POST-binding messages are never
// inflated. Fails with input.*; never throws.
Result<std::string> Decode(std::string_view raw, const DecodeLimits& limits = {});

}  // namespace claimgate
