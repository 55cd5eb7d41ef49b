#include "engine/saml/verify_response.h"

#include <string>
#include <vector>

#include "engine/dsig/algorithms.h"
#include "engine/saml/names.h"

namespace claimgate::saml {

namespace {

// The signature-relevant elements of an unverified Response, found by fixed shape.
struct Found {
  pugi::xml_node assertion;  // the one Assertion, a direct child of the Response
  pugi::xml_node response_signature;
  pugi::xml_node assertion_signature;
};

// One iterative walk over the whole unverified document for every Assertion,
// EncryptedAssertion and Signature, wherever it stands (Extensions, Advice, StatusDetail, inside
// another Signature...). Linear in the document whatever its shape (SECURITY.md DR15): each
// element costs one namespace-table probe per name asked, never a walk up its ancestors.
// Refusals rank as before the walk was linear: encryption, then the Assertion count, then the
// Signature positions.
Result<Found> FindAll(const xml::Document& doc) {
  const pugi::xml_node root = doc.root();
  std::vector<pugi::xml_node> assertions, signatures;
  bool encrypted = false;
  pugi::xml_node n = root;
  while (n) {
    if (n.type() == pugi::node_element) {
      if (doc.Is(n, kAssertionNs, "Assertion")) assertions.push_back(n);
      if (doc.Is(n, kAssertionNs, "EncryptedAssertion")) encrypted = true;
      if (doc.Is(n, dsig::kDsigNs, "Signature")) signatures.push_back(n);
      if (n.first_child()) {
        n = n.first_child();
        continue;
      }
    }
    while (n && n != root && !n.next_sibling()) n = n.parent();
    if (!n || n == root) break;
    n = n.next_sibling();
  }
  if (encrypted) {
    return Status::Error(errors::kSamlEncryptedAssertion,
                         "EncryptedAssertion is not supported; ask the IdP to sign without "
                         "encrypting, or to encrypt nothing but the transport (TLS)");
  }
  if (assertions.size() != 1 || assertions[0].parent() != root) {
    return Status::Error(
        errors::kSamlAssertionCount,
        "expected exactly one Assertion, as a direct child of the Response; found " +
            std::to_string(assertions.size()));
  }
  Found f;
  f.assertion = assertions[0];
  for (const pugi::xml_node sig : signatures) {
    pugi::xml_node* slot = sig.parent() == root          ? &f.response_signature
                           : sig.parent() == f.assertion ? &f.assertion_signature
                                                         : nullptr;
    if (slot == nullptr || *slot) {
      return Status::Error(errors::kSignaturePosition,
                           "a Signature stands outside the Response and Assertion, or one of them "
                           "holds two");
    }
    *slot = sig;
  }
  return f;
}

}  // namespace

Result<VerifiedResponse> VerifySignatures(const xml::Document& doc, const dsig::Verifier& verifier,
                                          const SignaturePolicy& policy, dsig::VerifyStats* stats) {
  const pugi::xml_node unverified_response = doc.root();
  if (!doc.Is(unverified_response, kProtocolNs, "Response")) {
    return Status::Error(errors::kSamlNotResponse,
                         "the document element is not {" + std::string(kProtocolNs) + "}Response");
  }
  if (std::string_view(xml::Attr(unverified_response, "Version").value()) != "2.0") {
    return Status::Error(errors::kSamlVersion, "Response Version is not 2.0");
  }
  Result<Found> found = FindAll(doc);
  if (!found.ok()) return found.status();
  const pugi::xml_node unverified_assertion = found->assertion;
  const pugi::xml_node response_sig = found->response_signature;
  const pugi::xml_node assertion_sig = found->assertion_signature;

  VerifiedResponse out;
  out.document = &doc;
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
