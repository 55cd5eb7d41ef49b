#pragma once

#include <pugixml.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/dsig/algorithms.h"
#include "engine/dsig/verifier.h"
#include "engine/xml/document.h"

// Internal to engine/dsig: the fixed shape of one enveloped Signature, read and checked before
// any cryptography (SECURITY.md DR3, DR6, DR7). Nothing outside dsig/ includes this header.
namespace claimgate::dsig::internal {

struct SignatureParts {
  pugi::xml_node signed_info;
  std::vector<std::string> signed_info_prefixes;  // CanonicalizationMethod InclusiveNamespaces
  const SignatureAlgorithm* signature_algorithm = nullptr;
  const DigestAlgorithm* digest_algorithm = nullptr;
  std::string reference_id;                     // the URI without '#'
  std::vector<std::string> reference_prefixes;  // exc-c14n Transform InclusiveNamespaces
  std::string digest_value;                     // decoded
  std::string signature_value;                  // decoded
  bool has_keyinfo_certificate = false;
  std::string keyinfo_certificate_der;  // the first X509Certificate, decoded
};

// Reads `signature` (a ds:Signature) into parts, rejecting every shape, algorithm, reference
// and transform outside the profile with its signature.* code.
Result<SignatureParts> ReadSignature(const xml::Document& doc, pugi::xml_node signature,
                                     const VerifyOptions& options);

}  // namespace claimgate::dsig::internal
