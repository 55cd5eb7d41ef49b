#include "engine/saml/metadata.h"

#include <optional>

#include "base/base64.h"
#include "base/civil_time.h"
#include "engine/dsig/algorithms.h"
#include "engine/saml/names.h"
#include "engine/xml/document.h"

namespace claimgate::saml {

namespace {

Status Bad(std::string message) { return Status::Error(errors::kSamlMetadata, std::move(message)); }

// True for an IDPSSODescriptor whose protocolSupportEnumeration lists SAML 2.0 (aggregates
// still carry SAML 1.x-only IdPs).
bool IsSaml2Idp(pugi::xml_node idp) {
  const std::string_view list = xml::Attr(idp, "protocolSupportEnumeration").value();
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && list[i] == ' ') ++i;
    std::size_t j = i;
    while (j < list.size() && list[j] != ' ') ++j;
    if (list.substr(i, j - i) == kProtocolNs) return true;
    i = j;
  }
  return false;
}

pugi::xml_node Saml2IdpDescriptor(const xml::Document& doc, pugi::xml_node entity) {
  for (const pugi::xml_node idp : doc.Children(entity, kMetadataNs, "IDPSSODescriptor")) {
    if (IsSaml2Idp(idp)) return idp;
  }
  return pugi::xml_node();
}

// Every EntityDescriptor with a SAML 2.0 IDPSSODescriptor, wherever it stands in aggregates.
std::vector<pugi::xml_node> IdpEntities(const xml::Document& doc) {
  std::vector<pugi::xml_node> out;
  std::vector<pugi::xml_node> stack{doc.root()};
  while (!stack.empty()) {
    const pugi::xml_node n = stack.back();
    stack.pop_back();
    if (doc.Is(n, kMetadataNs, "EntityDescriptor")) {
      if (Saml2IdpDescriptor(doc, n)) out.push_back(n);
    } else if (doc.Is(n, kMetadataNs, "EntitiesDescriptor")) {
      const std::vector<pugi::xml_node> kids = doc.Children(n, kMetadataNs, "EntitiesDescriptor");
      const std::vector<pugi::xml_node> ents = doc.Children(n, kMetadataNs, "EntityDescriptor");
      for (auto it = ents.rbegin(); it != ents.rend(); ++it) stack.push_back(*it);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
    }
  }
  return out;
}

Status ReadKeys(const xml::Document& doc, pugi::xml_node idp, IdpMetadata* out) {
  for (const pugi::xml_node kd : doc.Children(idp, kMetadataNs, "KeyDescriptor")) {
    const std::string_view use = xml::Attr(kd, "use").value();
    if (use == "encryption") continue;
    if (!use.empty() && use != "signing")
      return Bad("KeyDescriptor use='" + std::string(use) + "'");
    const pugi::xml_node key_info = doc.Child(kd, dsig::kDsigNs, "KeyInfo");
    for (const pugi::xml_node data : doc.Children(key_info, dsig::kDsigNs, "X509Data")) {
      for (const pugi::xml_node c : doc.Children(data, dsig::kDsigNs, "X509Certificate")) {
        std::optional<std::string> der = DecodeBase64(xml::Text(c));
        if (!der || der->empty()) return Bad("an X509Certificate is not base64");
        out->signing_certificates.push_back(std::move(*der));
      }
    }
  }
  return Status::Ok();
}

// Walks the aggregate tree: every EntityDescriptor needs an entityID, and validUntil must not
// have passed (SAML metadata §2.3.1: an expired document must not be used).
Status CheckFrame(const xml::Document& doc, std::optional<TimePoint> now) {
  const pugi::xml_node root = doc.root();
  if (!doc.Is(root, kMetadataNs, "EntityDescriptor") &&
      !doc.Is(root, kMetadataNs, "EntitiesDescriptor")) {
    return Bad("the document element is not an EntityDescriptor or EntitiesDescriptor");
  }
  std::vector<pugi::xml_node> stack{root};
  while (!stack.empty()) {
    const pugi::xml_node n = stack.back();
    stack.pop_back();
    if (now) {
      const pugi::xml_attribute until = xml::Attr(n, "validUntil");
      if (until) {
        const std::optional<TimePoint> t = ParseDateTime(until.value());
        if (!t) return Bad(std::string("validUntil '") + until.value() + "' is not a dateTime");
        if (*t <= *now) return Bad(std::string("the metadata expired at ") + until.value());
      }
    }
    if (doc.Is(n, kMetadataNs, "EntityDescriptor")) {
      if (std::string_view(xml::Attr(n, "entityID").value()).empty()) {
        return Bad("an EntityDescriptor has no entityID");
      }
      continue;
    }
    for (const pugi::xml_node c : doc.Children(n, kMetadataNs, "EntitiesDescriptor"))
      stack.push_back(c);
    for (const pugi::xml_node c : doc.Children(n, kMetadataNs, "EntityDescriptor"))
      stack.push_back(c);
  }
  return Status::Ok();
}

}  // namespace

Result<xml::Document> ParseMetadataDocument(std::string_view xml_text,
                                            std::optional<TimePoint> now) {
  xml::ParseOptions options;
  options.limits.max_nodes = 20'000'000;  // federation aggregates run to tens of megabytes
  options.limits.max_namespace_declarations = 1'000'000;
  Result<xml::Document> doc = xml::Document::Parse(xml_text, options);
  if (!doc.ok()) return doc.status();
  if (Status s = CheckFrame(*doc, now); !s.ok()) return s;
  return doc;
}

bool IsSaml2IdpEntity(const xml::Document& doc, pugi::xml_node entity) {
  return doc.Is(entity, kMetadataNs, "EntityDescriptor") && Saml2IdpDescriptor(doc, entity);
}

std::string IdpMetadata::SsoUrl(std::string_view binding) const {
  for (const auto& [b, location] : sso_services) {
    if (b == binding) return location;
  }
  return std::string();
}

Result<IdpMetadata> ParseIdpMetadata(std::string_view xml_text,
                                     const std::optional<std::string>& entity_id,
                                     std::optional<TimePoint> now) {
  Result<xml::Document> parsed = ParseMetadataDocument(xml_text, now);
  if (!parsed.ok()) return parsed.status();
  const xml::Document& doc = *parsed;
  const std::vector<pugi::xml_node> idps = IdpEntities(doc);
  pugi::xml_node chosen;
  for (const pugi::xml_node e : idps) {
    if (!entity_id || std::string_view(xml::Attr(e, "entityID").value()) == *entity_id) {
      if (chosen) {
        return Bad(entity_id ? "the entity ID '" + *entity_id + "' appears twice"
                             : "the metadata describes several IdPs; name one with its entity ID");
      }
      chosen = e;
    }
  }
  if (!chosen) {
    return Bad(entity_id ? "no IdP EntityDescriptor with entityID '" + *entity_id + "'"
                         : "no EntityDescriptor with a SAML 2.0 IDPSSODescriptor");
  }
  IdpMetadata out;
  out.entity_id = xml::Attr(chosen, "entityID").value();
  if (out.entity_id.empty()) return Bad("the EntityDescriptor has no entityID");
  for (const pugi::xml_node idp : doc.Children(chosen, kMetadataNs, "IDPSSODescriptor")) {
    if (!IsSaml2Idp(idp)) continue;
    if (Status s = ReadKeys(doc, idp, &out); !s.ok()) return s;
    for (const pugi::xml_node sso : doc.Children(idp, kMetadataNs, "SingleSignOnService")) {
      out.sso_services.emplace_back(xml::Attr(sso, "Binding").value(),
                                    xml::Attr(sso, "Location").value());
    }
  }
  if (out.SsoUrl(kHttpRedirectBinding).empty() && out.SsoUrl(kHttpPostBinding).empty()) {
    return Bad("the IdP '" + out.entity_id +
               "' offers no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding");
  }
  if (out.signing_certificates.empty()) {
    return Bad("the IdP '" + out.entity_id + "' has no signing certificate");
  }
  return out;
}

}  // namespace claimgate::saml
