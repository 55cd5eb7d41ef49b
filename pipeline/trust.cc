#include "pipeline/trust.h"

namespace claimgate::pipeline {

Result<Trust> LoadTrust(const TrustSource& source, const dsig::KeyPolicy& policy) {
  Trust trust;
  trust.idp_entity_id = source.idp_entity_id;
  if (source.metadata_xml) {
    Result<saml::IdpMetadata> md = saml::ParseIdpMetadata(*source.metadata_xml, source.idp_entity_id);
    if (!md.ok()) return Status(md.status()).Prefixed(source.metadata_label + ": ");
    for (std::size_t i = 0; i < md->signing_certificates.size(); ++i) {
      const std::string label = source.metadata_label + ": signing certificate " + std::to_string(i + 1);
      if (Status s = trust.keys.AddCertificateDer(md->signing_certificates[i], label, policy);
          !s.ok()) {
        return s;
      }
    }
    trust.idp_entity_id = md->entity_id;
    trust.metadata = std::move(*md);
  }
  for (const auto& [label, text] : source.certificates) {
    if (Status s = trust.keys.AddPem(text, label, policy); !s.ok()) return s;
  }
  if (trust.keys.empty()) {
    return Status::Error(errors::kSignatureNoKeys, "no IdP signing key is configured");
  }
  return trust;
}

}  // namespace claimgate::pipeline
