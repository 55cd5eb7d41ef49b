#include "engine/saml/validate.h"

#include <string>

#include "base/civil_time.h"
#include "engine/saml/checks_internal.h"
#include "engine/saml/names.h"
#include "engine/xml/document.h"

namespace claimgate::saml {

namespace internal {

Status ReadTime(pugi::xml_node el, const char* attr, std::optional<TimePoint>* out) {
  const pugi::xml_attribute a = xml::Attr(el, attr);
  if (!a) {
    out->reset();
    return Status::Ok();
  }
  *out = ParseDateTime(a.value());
  if (!*out) {
    return Status::Error(errors::kSamlBadTime, std::string(xml::LocalName(el)) + "/@" + attr +
                                                   " is not a valid xs:dateTime");
  }
  return Status::Ok();
}

}  // namespace internal

namespace {

// SAML core §3.2.2: the Response's IssueInstant is required and must be a UTC dateTime
// (SECURITY.md E05: a malformed value is refused, never crashed on).
Status CheckResponseHeader(pugi::xml_node unverified_response) {
  std::optional<TimePoint> issued;
  if (Status s = internal::ReadTime(unverified_response, "IssueInstant", &issued); !s.ok())
    return s;
  if (!issued) return Status::Error(errors::kSamlStructure, "the Response has no IssueInstant");
  return Status::Ok();
}

// SAML core §3.2.2.2: only a top-level Success status carries a usable assertion
// (SECURITY.md F08). The Response may be unsigned: this can only reject.
Status CheckStatus(const xml::Document& doc, pugi::xml_node unverified_response) {
  const pugi::xml_node status = doc.Child(unverified_response, kProtocolNs, "Status");
  const pugi::xml_node code = doc.Child(status, kProtocolNs, "StatusCode");
  const std::string value = xml::Attr(code, "Value").value();
  if (value != kStatusSuccess) {
    return Status::Error(errors::kSamlStatus,
                         "the Response status is " + (value.empty() ? "missing" : value));
  }
  return Status::Ok();
}

// The Issuer of the Assertion is pinned; the Response's, when present, must agree
// (SECURITY.md F07, F11).
Status CheckIssuer(const xml::Document& doc, pugi::xml_node unverified_response,
                   pugi::xml_node signed_assertion, const Expectations& want, std::string* issuer) {
  if (doc.CountChildren(signed_assertion, kAssertionNs, "Issuer") != 1) {
    return Status::Error(errors::kIssuerMissing, "the Assertion must have exactly one Issuer");
  }
  *issuer = xml::Text(doc.Child(signed_assertion, kAssertionNs, "Issuer"));
  if (issuer->empty())
    return Status::Error(errors::kSamlEmptyValue, "the Assertion Issuer is empty");
  if (doc.CountChildren(unverified_response, kAssertionNs, "Issuer") > 1) {
    return Status::Error(errors::kSamlStructure, "the Response has several Issuers");
  }
  const pugi::xml_node response_issuer = doc.Child(unverified_response, kAssertionNs, "Issuer");
  if (response_issuer && xml::Text(response_issuer) != *issuer) {
    return Status::Error(errors::kIssuerInconsistent,
                         "the Response Issuer differs from the Assertion Issuer");
  }
  if (want.idp_entity_id && *issuer != *want.idp_entity_id) {
    return Status::Error(
        errors::kIssuerMismatch,
        "the Issuer '" + *issuer + "' is not the IdP's entity ID '" + *want.idp_entity_id + "'");
  }
  return Status::Ok();
}

// SAML bindings §3.5.5.2: a Destination present must be our ACS URL, and a signed Response
// must carry one (SECURITY.md F04).
Status CheckDestination(pugi::xml_node unverified_response, bool response_signed,
                        const Expectations& want) {
  const pugi::xml_attribute dest = xml::Attr(unverified_response, "Destination");
  if (!dest && response_signed) {
    return Status::Error(errors::kDestinationMissing, "the signed Response has no Destination");
  }
  if (dest && std::string_view(dest.value()) != want.acs_url) {
    return Status::Error(errors::kDestinationMismatch, std::string("the Response Destination '") +
                                                           dest.value() + "' is not the ACS URL");
  }
  return Status::Ok();
}

// The Response's own InResponseTo is unsigned when only the Assertion is signed: it may reject
// (a different request) but never satisfies the check (SECURITY.md F05).
Status CheckResponseInResponseTo(pugi::xml_node unverified_response, const Expectations& want) {
  const pugi::xml_attribute irt = xml::Attr(unverified_response, "InResponseTo");
  if (want.in_response_to && irt && std::string_view(irt.value()) != *want.in_response_to) {
    return Status::Error(errors::kInResponseToMismatch, "the Response answers another request");
  }
  return Status::Ok();
}

// SAML core §2.3.3: Version 2.0, an ID, an IssueInstant not in the future.
Status CheckAssertionHeader(const xml::Document& doc, pugi::xml_node signed_assertion,
                            const Expectations& want, TimePoint now) {
  if (std::string_view(xml::Attr(signed_assertion, "Version").value()) != "2.0") {
    return Status::Error(errors::kSamlVersion, "Assertion Version is not 2.0");
  }
  std::optional<TimePoint> issued;
  if (Status s = internal::ReadTime(signed_assertion, "IssueInstant", &issued); !s.ok()) return s;
  if (!issued) return Status::Error(errors::kSamlStructure, "the Assertion has no IssueInstant");
  if (*issued > now + want.clock_skew) {
    return Status::Error(
        errors::kTimeIssueInstant,
        "the Assertion IssueInstant " + FormatDateTime(*issued) + " lies in the future");
  }
  // Profiles §4.1.4.2: the assertion of a Web SSO Response carries an AuthnStatement; one of
  // each, as the OneLogin toolkits require (SECURITY.md F11).
  for (const char* unique : {"Subject", "Conditions", "AuthnStatement"}) {
    if (doc.CountChildren(signed_assertion, kAssertionNs, unique) != 1) {
      return Status::Error(errors::kSamlStructure,
                           std::string("the Assertion must have exactly one ") + unique);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Assertion> Validate(const VerifiedResponse& response, const Expectations& want,
                           TimePoint now) {
  const xml::Document& doc = *response.document;
  const pugi::xml_node unverified_response = response.unverified_response;
  const pugi::xml_node signed_assertion = response.assertion.node();
  Assertion out;
  out.response_signed = response.response_signed;
  out.assertion_signed = response.assertion_signed;
  if (Status s = CheckResponseHeader(unverified_response); !s.ok()) return s;
  if (Status s = CheckStatus(doc, unverified_response); !s.ok()) return s;
  if (Status s = CheckIssuer(doc, unverified_response, signed_assertion, want, &out.issuer);
      !s.ok()) {
    return s;
  }
  if (Status s = CheckDestination(unverified_response, response.response_signed, want); !s.ok()) {
    return s;
  }
  if (Status s = CheckResponseInResponseTo(unverified_response, want); !s.ok()) return s;
  if (Status s = CheckAssertionHeader(doc, signed_assertion, want, now); !s.ok()) return s;

  std::optional<TimePoint> conditions_expiry;
  if (Status s = internal::CheckConditions(doc, signed_assertion, want, now, &conditions_expiry);
      !s.ok()) {
    return s;
  }
  TimePoint confirmation_expiry;
  if (Status s = internal::CheckSubject(doc, signed_assertion, want, now, &out.claims,
                                        &out.in_response_to, &confirmation_expiry);
      !s.ok()) {
    return s;
  }
  out.not_on_or_after = conditions_expiry && *conditions_expiry < confirmation_expiry
                            ? *conditions_expiry
                            : confirmation_expiry;
  if (Status s = internal::ExtractAttributes(doc, signed_assertion, &out.claims); !s.ok()) return s;
  if (Status s = internal::ExtractAuthn(doc, signed_assertion, &out); !s.ok()) return s;
  out.assertion_id = xml::Attr(signed_assertion, "ID").value();
  if (response.response_signed) {
    out.response_id = xml::Attr(unverified_response, "ID").value();
  }
  return out;
}

}  // namespace claimgate::saml
