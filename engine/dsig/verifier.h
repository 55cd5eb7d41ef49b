#pragma once

#include <pugixml.hpp>
#include <string>

#include "base/status.h"
#include "engine/dsig/key_set.h"
#include "engine/dsig/signed_element.h"
#include "engine/xml/document.h"

namespace claimgate::dsig {

struct VerifyOptions {
  // rsa-sha1 and the sha1 digest (SECURITY.md C04): off unless the connection says so.
  bool allow_sha1 = false;
  // The attribute holding the ID a Reference names. SAML 2.0 uses the unprefixed `ID` only
  // (SECURITY.md B10); generic XML-DSig vectors use `Id`.
  std::string id_attribute = "ID";
};

// Enveloped XML-DSig verification against pinned keys only, under OpenSAML's signature profile
// (SECURITY.md DR3, DR6–DR8): one Reference whose URI is '#' + the ID of the Signature's parent;
// transforms enveloped-signature then exclusive c14n; exclusive c14n of SignedInfo; allow-listed
// algorithms; digest compared in constant time.
// Where verification time goes, for benchmarks: canonicalization + digests, and public-key
// operations. Accumulated across calls.
struct VerifyStats {
  long long c14n_digest_ns = 0;
  long long public_key_ns = 0;
};

class Verifier {
 public:
  Verifier(KeySet keys, VerifyOptions options) : keys_(std::move(keys)), options_(options) {}

  // Verifies `signature`, which must be a ds:Signature element child of `parent`. Returns the
  // element the Reference hashed (== parent). Fails with signature.* or xml.namespace (B08).
  Result<SignedElement> VerifyEnveloped(const xml::Document& doc, pugi::xml_node parent,
                                        pugi::xml_node signature,
                                        VerifyStats* stats = nullptr) const;

  const KeySet& keys() const { return keys_; }
  const VerifyOptions& options() const { return options_; }

 private:
  KeySet keys_;
  VerifyOptions options_;
};

}  // namespace claimgate::dsig
