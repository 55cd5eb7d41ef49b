#pragma once

#include <optional>
#include <string>

#include "base/claims.h"
#include "base/clock.h"

namespace claimgate::saml {

// What a validated login says, copied out of the signed subtree only. An owning value: it
// outlives the parsed document.
struct Assertion {
  std::string issuer;
  std::string assertion_id;
  std::string response_id;                    // empty when the Response has none
  std::optional<std::string> in_response_to;  // from the bearer confirmation that passed
  Claims claims;                              // NameID + attributes
  std::optional<TimePoint> authn_instant;
  std::string session_index;
  TimePoint not_on_or_after;  // earliest expiry: replay entries live until then
  bool response_signed = false;
  bool assertion_signed = false;
};

}  // namespace claimgate::saml
