#include "cli/verify_options.h"

#include "base/civil_time.h"
#include "cli/io.h"
#include "pipeline/trust.h"

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
  cmd.add_option("--now", a.now, "Evaluate times at this instant (ISO 8601, e.g. 2024-05-01T12:00:00Z)");
  cmd.add_option("--in-response-to", a.in_response_to,
                 "The AuthnRequest ID this response must answer");
  cmd.add_flag("--allow-sha1", a.allow_sha1, "Accept rsa-sha1 signatures and sha1 digests (legacy)");
  cmd.add_option("--clock-skew", a.clock_skew, "Allowed clock skew in seconds (default 120)")
      ->check(CLI::Range(0, 3600));
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
  pipeline::TrustSource source;
  if (a.sp_entity_id.empty() || a.acs_url.empty()) {
    *error = "--sp-entity-id and --acs-url are required to verify a response";
    return std::nullopt;
  }
  if (a.idp_metadata.empty() == a.idp_certs.empty()) {
    *error = "give exactly one of --idp-metadata or --idp-cert";
    return std::nullopt;
  }
  if (!a.idp_metadata.empty()) {
    std::optional<std::string> text = ReadInput(a.idp_metadata, error);
    if (!text) {
      *error = "--idp-metadata " + *error;
      return std::nullopt;
    }
    source.metadata_xml = std::move(*text);
    source.metadata_label = a.idp_metadata;
  }
  for (const std::string& path : a.idp_certs) {
    std::optional<std::string> text = ReadInput(path, error);
    if (!text) {
      *error = "--idp-cert " + *error;
      return std::nullopt;
    }
    source.certificates.emplace_back(path, std::move(*text));
  }
  if (!a.idp_entity_id.empty()) source.idp_entity_id = a.idp_entity_id;
  dsig::KeyPolicy key_policy;
  key_policy.min_rsa_bits = a.min_rsa_bits;
  Result<pipeline::Trust> trust = pipeline::LoadTrust(source, key_policy);
  if (!trust.ok()) {
    *error = std::string(trust.status().code()) + ": " + trust.status().message();
    return std::nullopt;
  }
  std::unique_ptr<Clock> clock;
  if (a.now.empty()) {
    clock = std::make_unique<SystemClock>();
  } else {
    std::optional<TimePoint> t = ParseDateTime(a.now);
    if (!t) {
      *error = "--now '" + a.now + "' is not an ISO 8601 instant like 2024-05-01T12:00:00Z";
      return std::nullopt;
    }
    clock = std::make_unique<FixedClock>(*t);
  }
  dsig::VerifyOptions verify_options;
  verify_options.allow_sha1 = a.allow_sha1;
  pipeline::VerifySettings settings;
  settings.expectations.sp_entity_id = a.sp_entity_id;
  settings.expectations.acs_url = a.acs_url;
  settings.expectations.idp_entity_id = trust->idp_entity_id;
  if (!a.in_response_to.empty()) settings.expectations.in_response_to = a.in_response_to;
  settings.expectations.clock_skew = std::chrono::seconds(a.clock_skew);
  settings.signature_policy.require_signed_response = a.require_signed_response;
  settings.signature_policy.require_signed_assertion = a.require_signed_assertion;
  settings.limits.max_input_bytes = a.max_bytes;
  return LoadedVerifier{
      pipeline::ResponseVerifier(dsig::Verifier(std::move(trust->keys), verify_options),
                                 std::move(settings)),
      std::move(clock)};
}

}  // namespace claimgate::cli
