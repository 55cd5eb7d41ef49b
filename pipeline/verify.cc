#include "pipeline/verify.h"

#include <string>

#include "engine/saml/validate.h"
#include "engine/saml/verify_response.h"
#include "engine/xml/document.h"

namespace claimgate::pipeline {

Result<saml::Assertion> ResponseVerifier::Verify(std::string_view raw, TimePoint now,
                                                 const saml::Expectations& expectations) const {
  Result<std::string> bytes = Decode(raw, settings_.limits);  // input.*
  if (!bytes.ok()) return bytes.status();
  Result<xml::Document> doc = xml::Document::Parse(*bytes);  // xml.*
  if (!doc.ok()) return doc.status();
  Result<saml::VerifiedResponse> verified =  // saml.* structure, signature.*
      saml::VerifySignatures(*doc, verifier_, settings_.signature_policy);
  if (!verified.ok()) return verified.status();
  return saml::Validate(*verified, expectations, now);  // saml.* issuer.* time.* ...
}

}  // namespace claimgate::pipeline
