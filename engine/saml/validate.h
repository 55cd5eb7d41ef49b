#pragma once

#include "base/clock.h"
#include "base/status.h"
#include "engine/saml/assertion.h"
#include "engine/saml/expectations.h"
#include "engine/saml/verify_response.h"

namespace claimgate::saml {

// The Web Browser SSO profile checks (SAML profiles §4.1.4, SECURITY.md DR14) on a verified
// Response, in a fixed order, each a small named check that returns the first failure with its
// code: Status, Issuer, Destination, Assertion structure, time window, Conditions and Audience,
// bearer SubjectConfirmation (Recipient, NotOnOrAfter, InResponseTo), attributes. Then copies
// the login out of the signed Assertion. Never throws.
Result<Assertion> Validate(const VerifiedResponse& response, const Expectations& want,
                           TimePoint now);

}  // namespace claimgate::saml
