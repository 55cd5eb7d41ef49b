#pragma once

// The service-provider half of SAML that claimgate sends rather than checks: SP metadata, and
// SP-initiated sign-on (an AuthnRequest remembered in pending_requests and sent with the
// HTTP-Redirect binding). Shared by `serve` and the `sp-metadata` / `login-url` commands.

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "pipeline/connection.h"

namespace claimgate::storage {
class Db;
}

namespace claimgate::server {

// <md:EntityDescriptor> with one SPSSODescriptor: the connection's SP entity ID, its ACS URL
// (HTTP-POST binding), the emailAddress and unspecified NameID formats, WantAssertionsSigned;
// with an SP signing certificate also AuthnRequestsSigned="true" and a signing KeyDescriptor.
// Every value is XML-escaped.
std::string SpMetadataXml(const pipeline::ConnectionConfig& config);

// "_" + 40 hex digits: 160 bits from the operating system's CSPRNG (/dev/urandom).
// internal.error when the CSPRNG cannot be read.
Result<std::string> NewRequestId();

// The <samlp:AuthnRequest> for `id`, asking for an HTTP-POST answer at the ACS. Destination is
// the IdP endpoint it is sent to (required of signed requests, SAML bindings §3.4.5.2; omitted
// only when `destination` is empty). The Redirect binding signs the URL, not this XML.
std::string AuthnRequestXml(const pipeline::ConnectionConfig& config, const std::string& id,
                            TimePoint issue_instant, std::string_view destination);

// HTTP-Redirect binding (SAML bindings §3.4.4.1): raw DEFLATE, base64, URL-encoding of the
// request as SAMLRequest, plus RelayState when not empty, appended to `sso_url`. With a signer,
// SigAlg and Signature follow, the signature taken over exactly the octets
// "SAMLRequest=…[&RelayState=…]&SigAlg=…" as they appear in the URL (§3.4.4.1 ¶3).
Result<std::string> RedirectUrl(std::string_view sso_url, std::string_view request_xml,
                                std::string_view relay_state,
                                const dsig::RequestSigner* signer = nullptr);

// True when `url` is on the allow-list: equal to an entry, or starting with an entry that ends
// in '/' (a prefix). Empty URLs and URLs with control characters never are.
bool RelayStateAllowed(const pipeline::ConnectionConfig& config, std::string_view url);

struct LoginStart {
  std::string request_id;
  std::string url;            // where to send the browser
  std::string browser_nonce;  // the binding cookie's value ("" when not bound)
};

// SP-initiated sign-on: a fresh request ID stored for the connection until now + `lifetime`
// (relay state kept only when allowed), and the redirect URL to the IdP. With
// `bind_to_browser` the request is bound to a fresh 256-bit nonce (stored hashed) that the
// caller sets as BindingCookie. saml.no_sso_url when the connection has no HTTP-Redirect SSO URL;
// storage.* on database failures.
Result<LoginStart> StartLogin(storage::Db& db, const pipeline::Connection& connection,
                              std::string_view relay_state, TimePoint now,
                              std::chrono::seconds lifetime = std::chrono::minutes(10),
                              bool bind_to_browser = false);

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

// Escapes &, <, >, " and ' for XML and HTML text and attribute values.
std::string EscapeXml(std::string_view text);
// application/x-www-form-urlencoded and RFC 3986 query encoding (unreserved kept).
std::string UrlEncode(std::string_view text);

}  // namespace claimgate::server
