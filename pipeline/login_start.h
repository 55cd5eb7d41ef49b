#pragma once

// SP-initiated sign-on and what the SP publishes, for one connection: its metadata, and an
// AuthnRequest remembered in pending_requests and sent with the HTTP-Redirect binding. Shared
// by `serve` and the `sp-metadata` / `login-url` commands.

#include <chrono>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "pipeline/connection.h"

namespace claimgate::storage {
class Db;
}

namespace claimgate::pipeline {

// The SP metadata of `config` (engine/saml/sp_metadata.h): entity ID, ACS URL, and the SP's
// signing certificate when it has one.
std::string SpMetadataXml(const ConnectionConfig& config);

struct LoginStart {
  std::string request_id;
  std::string url;            // where to send the browser
  std::string browser_nonce;  // the binding cookie's value ("" when not bound)
};

// SP-initiated sign-on: a fresh request ID stored for the connection until now + `lifetime`
// (relay state kept only when allowed), and the redirect URL to the IdP, signed when the
// connection has an SP key. With `bind_to_browser` the request is bound to a fresh 256-bit nonce
// (stored hashed) that the caller sets as a cookie. saml.no_sso_url when the connection has no
// HTTP-Redirect SSO URL; storage.* on database failures.
Result<LoginStart> StartLogin(storage::Db& db, const Connection& connection,
                              std::string_view relay_state, TimePoint now,
                              std::chrono::seconds lifetime = std::chrono::minutes(10),
                              bool bind_to_browser = false);

}  // namespace claimgate::pipeline
