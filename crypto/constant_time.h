#pragma once

#include <string_view>

namespace claimgate::crypto {

// Equality of two byte strings that takes the same time wherever they differ (digests, MACs,
// tokens already hashed to a fixed length: their length is not secret). Different lengths are
// unequal at once.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace claimgate::crypto
