#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "engine/dsig/request_signer.h"
#include "pipeline/attribute_policy.h"
#include "pipeline/verify.h"

namespace claimgate::rules {
class RuleSet;
}
namespace claimgate::storage {
class Db;
struct ConnectionRecord;
}  // namespace claimgate::storage

namespace claimgate::pipeline {

// DESIGN.md "A connection": provisioning.mode.
enum class ProvisioningMode {
  kJit,              // create on first login with the default permissions
  kExistingOnly,     // only accounts made by `users add` may sign in (console)
  kJitIdpInitiated,  // create only from an unsolicited (IdP-initiated) response (sendgrid)
};
// "jit" | "existing-only" | "jit-idp-initiated"; nullopt otherwise.
std::optional<ProvisioningMode> ParseProvisioningMode(std::string_view text);
const char* ProvisioningModeName(ProvisioningMode mode);

// One customer's IdP trust plus one product profile (DESIGN.md "A connection"), as stored: a
// normalized JSON document with the IdP metadata (or certificates) and the rules embedded, so
// editing the original files changes nothing until `connection update`. Every setting is typed
// here, parsed once when the file or the stored row is read.
struct ConnectionConfig {
  std::string name;
  std::string profile;  // flex | frontline | console | sendgrid | custom
  std::string sp_entity_id;
  std::string acs_url;
  // SP signing key (optional; both or neither): AuthnRequests are signed (HTTP-Redirect SigAlg +
  // Signature) and the certificate is published in the SP metadata. The private key stays in its
  // file (an absolute path is stored, never the key); the certificate is embedded.
  std::string sp_signing_key_file;
  std::string sp_signing_certificate_pem;
  // IdP: metadata, or entity ID + SSO URL + certificates (PEM texts).
  std::optional<std::string> idp_metadata_xml;
  std::string idp_entity_id;
  std::string idp_sso_url;
  std::vector<std::string> idp_certificates_pem;
  // security
  bool require_signed_response = false;
  bool require_signed_assertion = false;
  bool allow_idp_initiated = false;  // absent from the file: true only for jit-idp-initiated
  int clock_skew_seconds = 120;
  bool allow_sha1 = false;
  std::size_t min_rsa_bits = 2048;
  // rules: a document (JSON text) or the profile's built-in rules.
  std::optional<std::string> rules_json;
  // provisioning
  ProvisioningMode mode = ProvisioningMode::kJit;
  std::vector<std::string> default_permissions;
  std::vector<std::string> enforced_domains;
  AttributePolicies attribute_policies;
  // Where RelayState may send the browser after sign-on (serve); exact URLs or prefixes.
  std::vector<std::string> relay_state_allow_list;
  // product.callback_url: where an accepted ACS login is handed to the product with a one-use
  // code (DESIGN.md "Handing the login to the product"); "" = no hand-off, the result page.
  std::string product_callback_url;
};

// Reads a connection file as users write it, resolves its relative paths against the file's
// folder, embeds the files it names, fills the profile's defaults and checks everything
// (metadata readable, certificates parse, rules pass `rules check`, profile known, URLs
// well-formed). Problems are reported as "FILE: $.json.path: what is wrong"; never throws.
Result<ConnectionConfig> ReadConnectionFile(const std::string& path);

// The normalized JSON that storage keeps, and back. FromStoredJson re-checks nothing but shape.
std::string ToStoredJson(const ConnectionConfig& config);
Result<ConnectionConfig> FromStoredJson(std::string_view json, std::string_view label);

// A connection ready to process logins: keys pinned, rules loaded, once.
class Connection {
 public:
  // Fails with the code of the first problem (saml.metadata, signature.*, rules.*).
  static Result<Connection> Load(ConnectionConfig config);

  const ConnectionConfig& config() const { return config_; }
  const ResponseVerifier& verifier() const { return *verifier_; }
  const rules::RuleSet& rules() const { return *rules_; }
  // The IdP's HTTP-Redirect SSO URL ("" when none).
  const std::string& sso_url() const { return sso_url_; }
  // The SP's AuthnRequest signer; nullptr when the connection has no SP key.
  const dsig::RequestSigner* request_signer() const { return request_signer_.get(); }

 private:
  Connection() = default;
  ConnectionConfig config_;
  std::shared_ptr<const ResponseVerifier> verifier_;
  std::shared_ptr<const rules::RuleSet> rules_;
  std::string sso_url_;
  std::shared_ptr<const dsig::RequestSigner> request_signer_;
};

// Default provisioning mode of each built-in profile (DESIGN.md profile table).
ProvisioningMode DefaultModeFor(std::string_view profile);

// True when `url` is on the connection's RelayState allow-list: equal to an entry, or starting
// with an entry that ends in '/' (a prefix). Empty URLs and URLs with control characters never
// are.
bool RelayStateAllowed(const ConnectionConfig& config, std::string_view url);

// A stored connection row, loaded: FromStoredJson then Connection::Load, the one way every
// command and serve load one.
Result<Connection> LoadConnection(const storage::ConnectionRecord& record);
// The stored connection `name`, loaded. provisioning.unknown_connection when none is stored;
// storage.* and the load's codes otherwise.
Result<Connection> LoadStoredConnection(storage::Db& db, const std::string& name);

// provisioning.sp_conflict when another stored connection (another name) has the same SP entity
// ID and ACS URL as `config`: a response addressed to one would then pass the audience,
// destination and recipient checks of both, and each keeps its own replay cache, so it could be
// used once per connection (pipeline/sp_conflict.cc). Call it inside the write transaction.
Status CheckSpConflict(storage::Db& db, const ConnectionConfig& config);

}  // namespace claimgate::pipeline
