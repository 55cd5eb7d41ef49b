#include "engine/saml/verify_response.h"

#include <string>
#include <vector>

#include "engine/dsig/algorithms.h"
#include "engine/saml/names.h"

namespace claimgate::saml {

namespace {

struct Found {
  std::vector<pugi::xml_node> assertions;
  std::vector<pugi::xml_node> signatures;
  bool encrypted = false;
};

// One iterative walk over the whole document: every Assertion, EncryptedAssertion and Signature,
// wherever it stands (Extensions, Advice, StatusDetail, inside another Signature...).
Found FindAll(pugi::xml_node root) {
  Found f;
  pugi::xml_node n = root;
  while (n) {
    if (n.type() == pugi::node_element) {
      if (xml::Is(n, kAssertionNs, "Assertion")) f.assertions.push_back(n);
      if (xml::Is(n, kAssertionNs, "EncryptedAssertion")) f.encrypted = true;
      if (xml::Is(n, dsig::kDsigNs, "Signature")) f.signatures.push_back(n);
      if (n.first_child()) {
        n = n.first_child();
        continue;
      }
    }
    while (n && n != root && !n.next_sibling()) n = n.parent();
    if (!n || n == root) break;
    n = n.next_sibling();
  }
  return f;
}

}  // namespace

Result<VerifiedResponse> VerifySignatures(const xml::Document& doc, const dsig::Verifier& verifier,
                                          const SignaturePolicy& policy,
                                          dsig::VerifyStats* stats) {
  const pugi::xml_node unverified_response = doc.root();
  if (!xml::Is(unverified_response, kProtocolNs, "Response")) {
    return Status::Error(errors::kSamlNotResponse,
                         "the document element is not {" + std::string(kProtocolNs) + "}Response");
  }
  if (std::string_view(xml::Attr(unverified_response, "Version").value()) != "2.0") {
    return Status::Error(errors::kSamlVersion, "Response Version is not 2.0");
  }
  const Found found = FindAll(unverified_response);
  if (found.encrypted) {
    return Status::Error(errors::kSamlEncryptedAssertion,
                         "EncryptedAssertion is not supported; ask the IdP to sign without "
                         "encrypting, or to encrypt nothing but the transport (TLS)");
  }
  if (found.assertions.size() != 1 || found.assertions[0].parent() != unverified_response) {
    return Status::Error(errors::kSamlAssertionCount,
                         "expected exactly one Assertion, as a direct child of the Response; found " +
                             std::to_string(found.assertions.size()));
  }
  const pugi::xml_node unverified_assertion = found.assertions[0];

  pugi::xml_node response_sig, assertion_sig;
  for (const pugi::xml_node sig : found.signatures) {
    pugi::xml_node* slot = sig.parent() == unverified_response    ? &response_sig
                           : sig.parent() == unverified_assertion ? &assertion_sig
                                                                  : nullptr;
    if (slot == nullptr || *slot) {
      return Status::Error(errors::kSignaturePosition,
                           "a Signature stands outside the Response and Assertion, or one of them "
                           "holds two");
    }
    *slot = sig;
  }

  VerifiedResponse out;
  out.unverified_response = unverified_response;
  dsig::SignedElement signed_response;
  if (response_sig) {
    Result<dsig::SignedElement> r =
        verifier.VerifyEnveloped(doc, unverified_response, response_sig, stats);
    if (!r.ok()) return Status(r.status()).Prefixed("Response signature: ");
    signed_response = *r;
    out.response_signed = true;
  }
  if (assertion_sig) {
    Result<dsig::SignedElement> a =
        verifier.VerifyEnveloped(doc, unverified_assertion, assertion_sig, stats);
    if (!a.ok()) return Status(a.status()).Prefixed("Assertion signature: ");
    out.assertion = *a;
    out.assertion_signed = true;
  }
  if (policy.require_signed_response && !out.response_signed) {
    return Status::Error(errors::kSignatureRequired, "the connection requires a signed Response");
  }
  if (policy.require_signed_assertion && !out.assertion_signed) {
    return Status::Error(errors::kSignatureRequired, "the connection requires a signed Assertion");
  }
  if (!out.assertion_signed) {
    if (!out.response_signed || !signed_response.Narrow(unverified_assertion, &out.assertion)) {
      return Status::Error(errors::kSignatureMissing,
                           "the Assertion is covered by no signature (neither its own nor the "
                           "Response's)");
    }
  }
  return out;
}

}  // namespace claimgate::saml
