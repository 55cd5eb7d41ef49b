#pragma once

// The request-binding cookies of SP-initiated sign-on (SECURITY.md F05): set at /login, read
// at the ACS.

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "pipeline/connection.h"

namespace claimgate::server {

// The request-binding cookie (SECURITY.md F05): claimgate_authn_<request-id>=<nonce>, sent only
// to the ACS path, HttpOnly, for `lifetime`. An https ACS gets SameSite=None; Secure (the IdP
// posts cross-site); a plain-http one (loopback, development) SameSite=Lax, which browsers send
// on a POST from the same site only. One cookie per request, so two tabs do not clobber.
std::string BindingCookie(const pipeline::ConnectionConfig& config, const std::string& request_id,
                          const std::string& nonce, std::chrono::seconds lifetime);
// The same cookie, expired (sent once the request is answered).
std::string ClearBindingCookie(const pipeline::ConnectionConfig& config,
                               const std::string& request_id);
// The binding nonces of a Cookie header, by request ID: well-formed claimgate_authn_ cookies
// only (an ID of "_" + hex, a 64-hex-digit value), at most 16; anything else is ignored.
std::map<std::string, std::string> BindingNonces(std::string_view cookie_header);

}  // namespace claimgate::server
