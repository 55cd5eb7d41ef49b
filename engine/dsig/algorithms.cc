#include "engine/dsig/algorithms.h"

namespace claimgate::dsig {

namespace {

// XML-DSig ECDSA SignatureValues are r||s (RFC 4051 §3.4.1), which Botan 2 calls IEEE_1363;
// the verifier passes that format. EMSA1 is Botan 2's name for ECDSA's hash-then-sign.
constexpr SignatureAlgorithm kSignatureAlgorithms[] = {
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", KeyType::kRsa, "EMSA3(SHA-256)", false},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", KeyType::kRsa, "EMSA3(SHA-384)", false},
    {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", KeyType::kRsa, "EMSA3(SHA-512)", false},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", KeyType::kEcdsa, "EMSA1(SHA-256)",
     false},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", KeyType::kEcdsa, "EMSA1(SHA-384)",
     false},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", KeyType::kEcdsa, "EMSA1(SHA-512)",
     false},
    {"http://www.w3.org/2000/09/xmldsig#rsa-sha1", KeyType::kRsa, "EMSA3(SHA-160)", true},
};

constexpr DigestAlgorithm kDigestAlgorithms[] = {
    {"http://www.w3.org/2001/04/xmlenc#sha256", "SHA-256", 32, false},
    {"http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384", 48, false},
    {"http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512", 64, false},
    {"http://www.w3.org/2000/09/xmldsig#sha1", "SHA-160", 20, true},
};

}  // namespace

const SignatureAlgorithm* FindSignatureAlgorithm(std::string_view uri) {
  for (const SignatureAlgorithm& a : kSignatureAlgorithms) {
    if (a.uri == uri) return &a;
  }
  return nullptr;
}

const DigestAlgorithm* FindDigestAlgorithm(std::string_view uri) {
  for (const DigestAlgorithm& a : kDigestAlgorithms) {
    if (a.uri == uri) return &a;
  }
  return nullptr;
}

}  // namespace claimgate::dsig
