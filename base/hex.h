#pragma once

#include <string>
#include <string_view>

namespace claimgate {

// Lowercase hexadecimal, two digits per byte (digests, random tokens, request IDs).
std::string EncodeHex(std::string_view bytes);

// True for a non-empty string of lowercase hexadecimal digits only.
bool IsLowerHex(std::string_view text);

}  // namespace claimgate
