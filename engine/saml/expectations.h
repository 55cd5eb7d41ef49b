#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace claimgate::saml {

inline constexpr std::chrono::seconds kDefaultClockSkew{120};

// What this SP expects of a Response: who it is, where it listens, whom it trusts, what it asked.
struct Expectations {
  std::string sp_entity_id;                   // every AudienceRestriction must list it
  std::string acs_url;                        // Destination and bearer Recipient
  std::optional<std::string> idp_entity_id;   // when set, the Issuer must equal it
  std::optional<std::string> in_response_to;  // when set, the bearer confirmation must answer it
  std::chrono::seconds clock_skew = kDefaultClockSkew;
};

// Which elements must carry their own signature (a connection's `security` block). With both
// false, the Assertion must still be covered: by its own signature or by the Response's.
struct SignaturePolicy {
  bool require_signed_response = false;
  bool require_signed_assertion = false;
};

}  // namespace claimgate::saml
