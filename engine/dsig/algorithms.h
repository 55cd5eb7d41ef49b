#pragma once

#include <string_view>

namespace claimgate::dsig {

inline constexpr std::string_view kDsigNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr std::string_view kExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr std::string_view kEnvelopedSignature =
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

enum class KeyType { kRsa, kEcdsa };

// An allow-listed SignatureMethod (STYLE C8): its URI, the key type it needs, Botan's
// padding/encoding name, the hash, and whether it is legacy (SHA-1, only with allow_sha1).
struct SignatureAlgorithm {
  std::string_view uri;
  KeyType key_type;
  std::string_view emsa;  // Botan 2 padding spec, e.g. "EMSA3(SHA-256)"
  bool legacy;
};

// An allow-listed DigestMethod.
struct DigestAlgorithm {
  std::string_view uri;
  std::string_view hash;  // Botan hash name, e.g. "SHA-256"
  std::size_t size;       // output bytes
  bool legacy;
};

// Lookups return nullptr for anything not on the lists: HMAC, DSA, MD5, RSA-PSS, SHA-224...
const SignatureAlgorithm* FindSignatureAlgorithm(std::string_view uri);
const DigestAlgorithm* FindDigestAlgorithm(std::string_view uri);

}  // namespace claimgate::dsig
