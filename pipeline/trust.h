#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "engine/dsig/key_set.h"
#include "engine/saml/metadata.h"

namespace claimgate::pipeline {

// Where an IdP's trust comes from: its metadata document, or PEM certificates plus an
// optional entity ID. Texts are already read; labels name their files in messages.
struct TrustSource {
  std::optional<std::string> metadata_xml;
  std::string metadata_label;
  std::vector<std::pair<std::string, std::string>> certificates;  // (label, PEM or DER text)
  std::optional<std::string> idp_entity_id;
};

struct Trust {
  dsig::KeySet keys;
  // The Issuer every Assertion must carry: metadata's entityID, or the configured one.
  std::optional<std::string> idp_entity_id;
  std::optional<saml::IdpMetadata> metadata;
};

// Pins the keys of one IdP. There is no fail-open path: no key at all is an error
// (SECURITY.md A13, DR16). Fails with saml.metadata, signature.no_keys, signature.weak_key, xml.*.
Result<Trust> LoadTrust(const TrustSource& source, const dsig::KeyPolicy& policy);

}  // namespace claimgate::pipeline
