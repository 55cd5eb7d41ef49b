#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "engine/xml/document.h"

namespace claimgate::saml {

// What an IdP's SAML metadata says that this SP uses (SAML metadata §2.4.3).
struct IdpMetadata {
  std::string entity_id;
  // SingleSignOnService endpoints as (Binding, Location), in document order.
  std::vector<std::pair<std::string, std::string>> sso_services;
  // DER certificates of every KeyDescriptor usable for signing (use="signing" or no use);
  // several during key rollover. use="encryption" keys never verify signatures.
  std::vector<std::string> signing_certificates;

  // The Location of the SSO endpoint with `binding`, or "" when there is none.
  std::string SsoUrl(std::string_view binding) const;
};

// Parses any SAML metadata document with the same hardened parse as messages (larger limits,
// as federation aggregates run to megabytes) and checks its frame: the document element is an
// EntityDescriptor or EntitiesDescriptor, every EntityDescriptor has an entityID, and no
// validUntil on the way down has passed at `now` (when given). Fails with saml.metadata, xml.*.
Result<xml::Document> ParseMetadataDocument(std::string_view xml_text,
                                            std::optional<TimePoint> now);

// True when `entity` is an EntityDescriptor with an IDPSSODescriptor supporting SAML 2.0.
bool IsSaml2IdpEntity(const xml::Document& doc, pugi::xml_node entity);

// Reads an IdP's EntityDescriptor, or selects `entity_id` from an EntitiesDescriptor aggregate
// (an aggregate with a single IdP needs no entity ID). The IdP must offer a SingleSignOnService
// with the HTTP-Redirect or HTTP-POST binding and at least one signing certificate.
// Fails with saml.metadata (or xml.*) naming what is missing.
Result<IdpMetadata> ParseIdpMetadata(std::string_view xml_text,
                                     const std::optional<std::string>& entity_id,
                                     std::optional<TimePoint> now = std::nullopt);

inline constexpr std::string_view kHttpRedirectBinding =
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
inline constexpr std::string_view kHttpPostBinding =
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

}  // namespace claimgate::saml
