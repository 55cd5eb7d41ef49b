#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "engine/decode.h"
#include "engine/dsig/verifier.h"
#include "engine/saml/assertion.h"
#include "engine/saml/expectations.h"
#include "engine/saml/metadata.h"

namespace claimgate::pipeline {

// The widest clock skew a connection file or `verify --clock-skew` may ask for, in seconds.
inline constexpr int kMaxClockSkewSeconds = 600;

// Where an IdP's trust comes from: its metadata document, or PEM certificates plus an
// optional entity ID. Texts are already read; labels name their files in messages.
struct TrustSource {
  std::optional<std::string> metadata_xml;
  std::string metadata_label;
  std::vector<std::pair<std::string, std::string>> certificates;  // (label, PEM or DER text)
  std::optional<std::string> idp_entity_id;
};

// Everything one IdP trust and one SP's expectations take, as a connection file or the verify
// command's options give them. BuildVerifier is the one place that checks and loads it.
struct VerifierSpec {
  TrustSource trust;
  std::string sp_entity_id;
  std::string acs_url;
  std::optional<std::string> in_response_to;  // the request every response must answer
  int clock_skew_seconds = 120;               // 0 to kMaxClockSkewSeconds
  bool allow_sha1 = false;
  std::size_t min_rsa_bits = 2048;
  bool require_signed_response = false;
  bool require_signed_assertion = false;
  std::size_t max_input_bytes = 1 << 20;
};

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
  ResponseVerifier(dsig::Verifier verifier, VerifySettings settings,
                   std::optional<saml::IdpMetadata> idp_metadata = std::nullopt)
      : verifier_(std::move(verifier)),
        settings_(std::move(settings)),
        idp_metadata_(std::move(idp_metadata)) {}

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
  // The IdP metadata the keys came from, when they came from metadata.
  const std::optional<saml::IdpMetadata>& idp_metadata() const { return idp_metadata_; }

 private:
  dsig::Verifier verifier_;
  VerifySettings settings_;
  std::optional<saml::IdpMetadata> idp_metadata_;
};

// Checks `spec` and pins the IdP's keys: there is no fail-open path, no key at all is an error
// (SECURITY.md A13, DR16). Fails with provisioning.bad_connection (a setting out of range),
// saml.metadata, signature.no_keys, signature.weak_key, xml.*.
Result<ResponseVerifier> BuildVerifier(const VerifierSpec& spec);

}  // namespace claimgate::pipeline
