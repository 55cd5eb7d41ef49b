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

Result<ResponseVerifier> BuildVerifier(const VerifierSpec& spec) {
  if (spec.sp_entity_id.empty() || spec.acs_url.empty()) {
    return Status::Error(errors::kProvisioningBadConnection,
                         "the SP entity ID and ACS URL are required");
  }
  if (spec.clock_skew_seconds < 0 || spec.clock_skew_seconds > kMaxClockSkewSeconds) {
    return Status::Error(
        errors::kProvisioningBadConnection,
        "the clock skew must be 0 to " + std::to_string(kMaxClockSkewSeconds) + " seconds");
  }
  if (spec.min_rsa_bits < 1024) {
    return Status::Error(errors::kProvisioningBadConnection,
                         "the minimum RSA key size must be 1024 bits or more");
  }
  dsig::KeyPolicy key_policy;
  key_policy.min_rsa_bits = spec.min_rsa_bits;
  dsig::KeySet keys;
  std::optional<std::string> idp_entity_id = spec.trust.idp_entity_id;
  std::optional<saml::IdpMetadata> metadata;
  if (spec.trust.metadata_xml) {
    Result<saml::IdpMetadata> md =
        saml::ParseIdpMetadata(*spec.trust.metadata_xml, spec.trust.idp_entity_id);
    if (!md.ok()) return Status(md.status()).Prefixed(spec.trust.metadata_label + ": ");
    for (std::size_t i = 0; i < md->signing_certificates.size(); ++i) {
      const std::string label =
          spec.trust.metadata_label + ": signing certificate " + std::to_string(i + 1);
      if (Status s = keys.AddCertificateDer(md->signing_certificates[i], label, key_policy);
          !s.ok()) {
        return s;
      }
    }
    idp_entity_id = md->entity_id;
    metadata = std::move(*md);
  }
  for (const auto& [label, text] : spec.trust.certificates) {
    if (Status s = keys.AddPem(text, label, key_policy); !s.ok()) return s;
  }
  if (keys.empty()) {
    return Status::Error(errors::kSignatureNoKeys, "no IdP signing key is configured");
  }
  dsig::VerifyOptions verify_options;
  verify_options.allow_sha1 = spec.allow_sha1;
  VerifySettings settings;
  settings.expectations.sp_entity_id = spec.sp_entity_id;
  settings.expectations.acs_url = spec.acs_url;
  settings.expectations.idp_entity_id = idp_entity_id;
  settings.expectations.in_response_to = spec.in_response_to;
  settings.expectations.clock_skew = std::chrono::seconds(spec.clock_skew_seconds);
  settings.signature_policy.require_signed_response = spec.require_signed_response;
  settings.signature_policy.require_signed_assertion = spec.require_signed_assertion;
  settings.limits.max_input_bytes = spec.max_input_bytes;
  return ResponseVerifier(dsig::Verifier(std::move(keys), verify_options), std::move(settings),
                          std::move(metadata));
}

}  // namespace claimgate::pipeline
