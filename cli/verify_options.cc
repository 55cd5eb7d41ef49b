#include "cli/verify_options.h"

#include "base/civil_time.h"
#include "cli/io.h"

namespace claimgate::cli {

void AddVerifyOptions(CLI::App& cmd, VerifyOptionsArgs& a, bool required) {
  cmd.add_option("--idp-metadata", a.idp_metadata,
                 "IdP metadata XML (EntityDescriptor, or an EntitiesDescriptor with "
                 "--idp-entity-id); every signing certificate in it is pinned");
  cmd.add_option("--idp-cert", a.idp_certs,
                 "PEM (or DER) certificate of the IdP signing key; repeat for key rollover");
  cmd.add_option("--idp-entity-id", a.idp_entity_id,
                 "IdP entity ID: the Issuer must equal it; selects the entity in an aggregate");
  cmd.add_option("--sp-entity-id", a.sp_entity_id,
                 "This SP's entity ID: every AudienceRestriction must list it")
      ->required(required);
  cmd.add_option("--acs-url", a.acs_url,
                 "This SP's ACS URL: Destination and the bearer Recipient must equal it")
      ->required(required);
  cmd.add_option("--now", a.now,
                 "Evaluate times at this instant (ISO 8601, e.g. 2024-05-01T12:00:00Z)");
  cmd.add_option("--in-response-to", a.in_response_to,
                 "The AuthnRequest ID this response must answer");
  cmd.add_flag("--allow-sha1", a.allow_sha1,
               "Accept rsa-sha1 signatures and sha1 digests (legacy)");
  cmd.add_option("--clock-skew", a.clock_skew,
                 "Allowed clock skew in seconds (default 120, at most " +
                     std::to_string(pipeline::kMaxClockSkewSeconds) + ")")
      ->check(CLI::Range(0, pipeline::kMaxClockSkewSeconds));
  cmd.add_option("--max-bytes", a.max_bytes, "Input size cap in bytes (default 1048576)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20));
  cmd.add_option("--min-rsa-bits", a.min_rsa_bits,
                 "Refuse pinned RSA keys shorter than this (default 2048)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{16384}));
  cmd.add_flag("--require-signed-response", a.require_signed_response,
               "Reject unless the Response itself is signed");
  cmd.add_flag("--require-signed-assertion", a.require_signed_assertion,
               "Reject unless the Assertion itself is signed");
}

std::optional<LoadedVerifier> BuildVerifier(const VerifyOptionsArgs& a, std::string* error) {
  if (a.sp_entity_id.empty() || a.acs_url.empty()) {
    *error = "--sp-entity-id and --acs-url are required to verify a response";
    return std::nullopt;
  }
  if (a.idp_metadata.empty() == a.idp_certs.empty()) {
    *error = "give exactly one of --idp-metadata or --idp-cert";
    return std::nullopt;
  }
  pipeline::VerifierSpec spec;
  if (!a.idp_metadata.empty()) {
    std::optional<std::string> text = ReadInput(a.idp_metadata, error);
    if (!text) {
      *error = "--idp-metadata " + *error;
      return std::nullopt;
    }
    spec.trust.metadata_xml = std::move(*text);
    spec.trust.metadata_label = a.idp_metadata;
  }
  for (const std::string& path : a.idp_certs) {
    std::optional<std::string> text = ReadInput(path, error);
    if (!text) {
      *error = "--idp-cert " + *error;
      return std::nullopt;
    }
    spec.trust.certificates.emplace_back(path, std::move(*text));
  }
  if (!a.idp_entity_id.empty()) spec.trust.idp_entity_id = a.idp_entity_id;
  std::unique_ptr<Clock> clock;
  if (a.now.empty()) {
    clock = std::make_unique<SystemClock>();
  } else {
    std::optional<TimePoint> t = ParseDateTime(a.now);
    if (!t) {
      *error = "--now '" + a.now + "' is not an ISO 8601 UTC instant like 2024-05-01T12:00:00Z";
      return std::nullopt;
    }
    clock = std::make_unique<FixedClock>(*t);
  }
  spec.sp_entity_id = a.sp_entity_id;
  spec.acs_url = a.acs_url;
  if (!a.in_response_to.empty()) spec.in_response_to = a.in_response_to;
  spec.clock_skew_seconds = a.clock_skew;
  spec.allow_sha1 = a.allow_sha1;
  spec.min_rsa_bits = a.min_rsa_bits;
  spec.require_signed_response = a.require_signed_response;
  spec.require_signed_assertion = a.require_signed_assertion;
  spec.max_input_bytes = a.max_bytes;
  Result<pipeline::ResponseVerifier> verifier = pipeline::BuildVerifier(spec);
  if (!verifier.ok()) {
    *error = std::string(verifier.status().code()) + ": " + verifier.status().message();
    return std::nullopt;
  }
  return LoadedVerifier{std::move(verifier).value(), std::move(clock)};
}

}  // namespace claimgate::cli
