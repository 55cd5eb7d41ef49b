#pragma once

#include <string>
#include <string_view>

// Message digests, by name (STYLE C9: callers never name an implementation).
namespace claimgate::crypto {

// The digest of `data` with `algorithm` ("SHA-1", "SHA-256", "SHA-384", "SHA-512"), raw bytes;
// "" for an unknown name. Never throws.
std::string Digest(std::string_view algorithm, std::string_view data);

// SHA-256 of `data`: 32 raw bytes, or 64 lowercase hex digits.
std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

}  // namespace claimgate::crypto
