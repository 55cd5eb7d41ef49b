#pragma once

#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "engine/decode.h"
#include "engine/dsig/verifier.h"
#include "engine/saml/assertion.h"
#include "engine/saml/expectations.h"

namespace claimgate::pipeline {

// Everything the verify half of the pipeline needs for one IdP trust: pinned keys and
// algorithm policy, what the SP expects, which signatures are required, the input cap.
struct VerifySettings {
  saml::Expectations expectations;
  saml::SignaturePolicy signature_policy;
  DecodeLimits limits;
};

// decode → parse → verify → validate → extract, in DESIGN.md's order, each stage returning the
// first failure with its code. Loaded once (keys parsed, settings fixed), then used for many
// responses; const and safe to share between threads.
class ResponseVerifier {
 public:
  ResponseVerifier(dsig::Verifier verifier, VerifySettings settings)
      : verifier_(std::move(verifier)), settings_(std::move(settings)) {}

  // The login `raw` proves, or the first failure: input.*, xml.*, signature.*, saml.*,
  // issuer.*, destination.*, audience.*, recipient.*, subject.*, time.*, in_response_to.*.
  Result<saml::Assertion> Verify(std::string_view raw, TimePoint now) const {
    return Verify(raw, now, settings_.expectations);
  }
  // The same, with per-login expectations (an SP-initiated login's request ID).
  Result<saml::Assertion> Verify(std::string_view raw, TimePoint now,
                                 const saml::Expectations& expectations) const;

  const dsig::Verifier& verifier() const { return verifier_; }
  const VerifySettings& settings() const { return settings_; }

 private:
  dsig::Verifier verifier_;
  VerifySettings settings_;
};

}  // namespace claimgate::pipeline
