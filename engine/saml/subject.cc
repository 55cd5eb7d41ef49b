// Subject (SAML core §2.4, profiles §4.1.4.2-3): one NameID, and a bearer SubjectConfirmation
// whose data names our ACS, has not expired, and answers our request.
#include <string>

#include "base/civil_time.h"
#include "engine/saml/checks_internal.h"
#include "engine/saml/names.h"
#include "engine/xml/document.h"

namespace claimgate::saml::internal {

namespace {

// One bearer SubjectConfirmationData (SECURITY.md F02, F04, F05, F10).
Status CheckBearerData(pugi::xml_node data, const Expectations& want, TimePoint now,
                       std::optional<std::string>* in_response_to, TimePoint* expiry) {
  if (!data) {
    return Status::Error(errors::kSubjectConfirmationNoExpiry,
                         "the bearer SubjectConfirmation has no SubjectConfirmationData");
  }
  std::optional<TimePoint> not_before, not_on_or_after;
  if (Status s = ReadTime(data, "NotBefore", &not_before); !s.ok()) return s;
  if (Status s = ReadTime(data, "NotOnOrAfter", &not_on_or_after); !s.ok()) return s;
  if (!not_on_or_after) {
    return Status::Error(errors::kSubjectConfirmationNoExpiry,
                         "the bearer SubjectConfirmationData has no NotOnOrAfter");
  }
  if (now - want.clock_skew >= *not_on_or_after) {
    return Status::Error(errors::kSubjectConfirmationExpired,
                         "the bearer confirmation expired at " + FormatDateTime(*not_on_or_after));
  }
  if (not_before && now + want.clock_skew < *not_before) {
    return Status::Error(
        errors::kSubjectConfirmationNotYetValid,
        "the bearer confirmation is not valid before " + FormatDateTime(*not_before));
  }
  const pugi::xml_attribute recipient = xml::Attr(data, "Recipient");
  if (!recipient) {
    return Status::Error(errors::kRecipientMissing, "the bearer confirmation has no Recipient");
  }
  if (std::string_view(recipient.value()) != want.acs_url) {
    return Status::Error(
        errors::kRecipientMismatch,
        std::string("the bearer Recipient '") + recipient.value() + "' is not the ACS URL");
  }
  const pugi::xml_attribute irt = xml::Attr(data, "InResponseTo");
  if (want.in_response_to) {
    if (!irt) {
      return Status::Error(errors::kInResponseToMissing,
                           "a request ID was expected, but the bearer confirmation answers none");
    }
    if (std::string_view(irt.value()) != *want.in_response_to) {
      return Status::Error(errors::kInResponseToMismatch,
                           "the bearer confirmation answers another request");
    }
  }
  if (irt) *in_response_to = std::string(irt.value());
  *expiry = *not_on_or_after;
  return Status::Ok();
}

Status ReadNameId(const xml::Document& doc, pugi::xml_node subject, const Expectations& want,
                  Claims* claims) {
  if (doc.CountChildren(subject, kAssertionNs, "NameID") != 1 ||
      doc.Child(subject, kAssertionNs, "EncryptedID") ||
      doc.Child(subject, kAssertionNs, "BaseID")) {
    return Status::Error(errors::kSamlStructure, "the Subject must hold exactly one NameID");
  }
  const pugi::xml_node name_id = doc.Child(subject, kAssertionNs, "NameID");
  if (xml::HasElementChildren(name_id)) {
    return Status::Error(errors::kSamlStructure, "the NameID holds elements");
  }
  // SAML core §2.2.2: an SPNameQualifier names the SP the identifier was made for.
  const pugi::xml_attribute qualifier = xml::Attr(name_id, "SPNameQualifier");
  if (qualifier && std::string_view(qualifier.value()) != want.sp_entity_id) {
    return Status::Error(errors::kSubjectSpNameQualifier,
                         std::string("the NameID was issued for SP '") + qualifier.value() + "'");
  }
  claims->subject = xml::Text(name_id);
  claims->subject_format = xml::Attr(name_id, "Format").value();
  if (claims->subject.empty()) return Status::Error(errors::kSamlEmptyValue, "the NameID is empty");
  return Status::Ok();
}

}  // namespace

Status CheckSubject(const xml::Document& doc, pugi::xml_node signed_assertion,
                    const Expectations& want, TimePoint now, Claims* claims,
                    std::optional<std::string>* in_response_to, TimePoint* expiry) {
  const pugi::xml_node subject = doc.Child(signed_assertion, kAssertionNs, "Subject");
  if (Status s = ReadNameId(doc, subject, want, claims); !s.ok()) return s;
  // At least one bearer confirmation must pass; report the first failure when none does.
  Status first_failure;
  bool any_bearer = false;
  for (const pugi::xml_node sc : doc.Children(subject, kAssertionNs, "SubjectConfirmation")) {
    if (std::string_view(xml::Attr(sc, "Method").value()) != kBearer) continue;
    any_bearer = true;
    const pugi::xml_node data = doc.Child(sc, kAssertionNs, "SubjectConfirmationData");
    Status s = CheckBearerData(data, want, now, in_response_to, expiry);
    if (s.ok()) return s;
    if (first_failure.ok()) first_failure = std::move(s);
  }
  if (!any_bearer) {
    return Status::Error(errors::kSubjectNoBearer, "the Subject has no bearer SubjectConfirmation");
  }
  return first_failure;
}

}  // namespace claimgate::saml::internal
