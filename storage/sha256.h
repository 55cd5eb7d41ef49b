#pragma once

#include <string>
#include <string_view>

namespace claimgate::storage {

// SHA-256 of `data` as 64 lowercase hex digits. Never throws (Botan is caught in sha256.cc, the
// one Botan adapter of storage/); returns "" only if Botan itself fails, which a caller treats
// as a mismatch.
std::string Sha256Hex(std::string_view data);

}  // namespace claimgate::storage
