// Conditions (SAML core §2.5): the validity window with clock skew, every AudienceRestriction,
// and nothing this SP does not understand.
#include <string>

#include "base/civil_time.h"
#include "engine/saml/checks_internal.h"
#include "engine/saml/names.h"
#include "engine/xml/document.h"

namespace claimgate::saml::internal {

namespace {

// SAML core §2.5.1.4: several AudienceRestrictions must all be satisfied; within one, any
// Audience may match (SECURITY.md F03). At least one is required.
Status CheckAudiences(const xml::Document& doc, pugi::xml_node conditions,
                      const Expectations& want) {
  std::size_t restrictions = 0;
  for (const pugi::xml_node r : doc.Children(conditions, kAssertionNs, "AudienceRestriction")) {
    ++restrictions;
    bool listed = false;
    for (const pugi::xml_node a : doc.Children(r, kAssertionNs, "Audience")) {
      if (xml::Text(a) == want.sp_entity_id) listed = true;
    }
    if (!listed) {
      return Status::Error(errors::kAudienceMismatch,
                           "AudienceRestriction " + std::to_string(restrictions) +
                               " does not list the SP entity ID '" + want.sp_entity_id + "'");
    }
  }
  if (restrictions == 0) {
    return Status::Error(errors::kAudienceMissing, "the Assertion has no AudienceRestriction");
  }
  return Status::Ok();
}

// SAML core §2.5.1.5-6: OneTimeUse (handled by the replay cache) and ProxyRestriction are
// understood; any other condition fails closed (SECURITY.md F09).
Status CheckKnownConditions(const xml::Document& doc, pugi::xml_node conditions) {
  for (pugi::xml_node c = conditions.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const bool known = doc.Is(c, kAssertionNs, "AudienceRestriction") ||
                       doc.Is(c, kAssertionNs, "OneTimeUse") ||
                       doc.Is(c, kAssertionNs, "ProxyRestriction");
    if (!known) {
      return Status::Error(errors::kSamlUnknownCondition, "Conditions holds {" +
                                                              std::string(doc.NamespaceUri(c)) +
                                                              "}" + std::string(xml::LocalName(c)) +
                                                              ", which this SP does not "
                                                              "understand");
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckConditions(const xml::Document& doc, pugi::xml_node signed_assertion,
                       const Expectations& want, TimePoint now, std::optional<TimePoint>* expiry) {
  const pugi::xml_node conditions = doc.Child(signed_assertion, kAssertionNs, "Conditions");
  std::optional<TimePoint> not_before;
  if (Status s = ReadTime(conditions, "NotBefore", &not_before); !s.ok()) return s;
  if (Status s = ReadTime(conditions, "NotOnOrAfter", expiry); !s.ok()) return s;
  if (not_before && now + want.clock_skew < *not_before) {
    return Status::Error(errors::kTimeNotYetValid,
                         "the Assertion is not valid before " + FormatDateTime(*not_before));
  }
  if (*expiry && now - want.clock_skew >= **expiry) {
    return Status::Error(errors::kTimeExpired,
                         "the Assertion expired at " + FormatDateTime(**expiry));
  }
  if (Status s = CheckKnownConditions(doc, conditions); !s.ok()) return s;
  return CheckAudiences(doc, conditions, want);
}

}  // namespace claimgate::saml::internal
