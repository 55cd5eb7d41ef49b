#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "engine/saml/assertion.h"
#include "engine/saml/expectations.h"
#include "engine/xml/document.h"

// Internal to engine/saml: the individual checks Validate() runs, one concern per file.
namespace claimgate::saml::internal {

// conditions.cc — Conditions NotBefore/NotOnOrAfter with skew, AudienceRestriction, unknown
// conditions. Sets *expiry to Conditions/@NotOnOrAfter when present.
Status CheckConditions(const xml::Document& doc, pugi::xml_node signed_assertion,
                       const Expectations& want, TimePoint now, std::optional<TimePoint>* expiry);

// subject.cc — exactly one Subject with one non-empty NameID, and a bearer SubjectConfirmation
// that passes every check. Fills claims->subject/subject_format, *in_response_to and *expiry.
Status CheckSubject(const xml::Document& doc, pugi::xml_node signed_assertion,
                    const Expectations& want, TimePoint now, Claims* claims,
                    std::optional<std::string>* in_response_to, TimePoint* expiry);

// extract.cc — every Attribute of every AttributeStatement (duplicate Name+NameFormat refused)
// and the AuthnStatement.
Status ExtractAttributes(const xml::Document& doc, pugi::xml_node signed_assertion, Claims* claims);
Status ExtractAuthn(const xml::Document& doc, pugi::xml_node signed_assertion, Assertion* out);

// Reads a time attribute; absent → nullopt with ok; malformed → saml.bad_time.
Status ReadTime(pugi::xml_node el, const char* attr, std::optional<TimePoint>* out);

}  // namespace claimgate::saml::internal
