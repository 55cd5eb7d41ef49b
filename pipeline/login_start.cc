#include "pipeline/login_start.h"

#include <optional>

#include "crypto/pem.h"
#include "crypto/random.h"
#include "engine/saml/authn_request.h"
#include "engine/saml/sp_metadata.h"
#include "storage/replay.h"
#include "storage/sqlite.h"

namespace claimgate::pipeline {

namespace {

// The DER of the first CERTIFICATE block of a PEM text ("" when none).
std::string CertificateDer(std::string_view pem) {
  Result<std::vector<crypto::PemBlock>> blocks = crypto::ReadPem(pem, "", errors::kSignatureSpKey);
  if (!blocks.ok()) return "";
  for (const crypto::PemBlock& b : *blocks) {
    if (b.label == "CERTIFICATE") return b.der;
  }
  return "";
}

}  // namespace

std::string SpMetadataXml(const ConnectionConfig& config) {
  return saml::SpMetadataXml(
      {config.sp_entity_id, config.acs_url, CertificateDer(config.sp_signing_certificate_pem)});
}

Result<LoginStart> StartLogin(storage::Db& db, const Connection& connection,
                              std::string_view relay_state, TimePoint now,
                              std::chrono::seconds lifetime, bool bind_to_browser) {
  const ConnectionConfig& config = connection.config();
  if (connection.sso_url().empty()) {
    return Status::Error(errors::kSamlNoSsoUrl,
                         "connection '" + config.name + "' has no IdP HTTP-Redirect SSO URL");
  }
  Result<std::string> id = saml::NewRequestId();
  if (!id.ok()) return id.status();
  const std::string kept =
      RelayStateAllowed(config, relay_state) ? std::string(relay_state) : std::string();
  const std::string request =
      saml::AuthnRequestXml({*id, now, connection.sso_url(), config.acs_url, config.sp_entity_id});
  Result<std::string> url =
      saml::RedirectUrl(connection.sso_url(), request, kept, connection.request_signer());
  if (!url.ok()) return url.status();
  std::optional<std::string> nonce;
  if (bind_to_browser) {
    Result<std::string> hex = crypto::RandomHex(32);
    if (!hex.ok()) return hex.status();
    nonce = *std::move(hex);
  }
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  if (Status s = storage::CreatePendingRequest(*txn, config.name, *id, kept, now + lifetime, nonce);
      !s.ok()) {
    return s;
  }
  if (Status s = txn->Commit(); !s.ok()) return s;
  return LoginStart{*id, *url, nonce.value_or("")};
}

}  // namespace claimgate::pipeline
