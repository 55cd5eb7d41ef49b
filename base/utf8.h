#pragma once

#include <cstddef>
#include <string_view>

namespace claimgate {

// True when `s` is strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF. On failure *bad_offset (when given) is the offset of the first bad byte.
bool IsStrictUtf8(std::string_view s, std::size_t* bad_offset = nullptr);

}  // namespace claimgate
