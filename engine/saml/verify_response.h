#pragma once

#include <pugixml.hpp>

#include "base/status.h"
#include "engine/dsig/signed_element.h"
#include "engine/dsig/verifier.h"
#include "engine/saml/expectations.h"
#include "engine/xml/document.h"

namespace claimgate::saml {

// A Response whose single Assertion is covered by a verified signature. The Response element
// itself may be unsigned: its fields (Status, Destination, Issuer) may only ever cause a
// rejection, never supply a value (SECURITY.md H03). A view into the Document.
struct VerifiedResponse {
  const xml::Document* document = nullptr;  // the tree every node below belongs to
  pugi::xml_node unverified_response;
  dsig::SignedElement assertion;
  bool response_signed = false;
  bool assertion_signed = false;
};

// Locates the one Assertion and every Signature by fixed shape (SECURITY.md DR3, DR4), verifies
// every Signature present, and checks that the Assertion is covered as `policy` requires.
// Fails with saml.not_response, saml.version, saml.encrypted_assertion, saml.assertion_count,
// signature.*, or xml.namespace (a signed element c14n cannot canonicalize); never throws.
Result<VerifiedResponse> VerifySignatures(const xml::Document& doc, const dsig::Verifier& verifier,
                                          const SignaturePolicy& policy,
                                          dsig::VerifyStats* stats = nullptr);

}  // namespace claimgate::saml
