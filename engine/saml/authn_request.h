#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "engine/dsig/request_signer.h"

// What claimgate sends rather than checks: the AuthnRequest of SP-initiated sign-on and its
// HTTP-Redirect encoding.
namespace claimgate::saml {

// "_" + 40 hex digits: 160 bits from the operating system's CSPRNG (an xs:ID must not start
// with a digit). storage.internal when the CSPRNG cannot be read.
Result<std::string> NewRequestId();

struct AuthnRequestParams {
  std::string id;
  TimePoint issue_instant;
  // The IdP endpoint the request is sent to. Required of signed requests (SAML bindings
  // §3.4.5.2); omitted only when empty.
  std::string destination;
  std::string acs_url;       // AssertionConsumerServiceURL, answered with HTTP-POST
  std::string sp_entity_id;  // the Issuer
};

// The <samlp:AuthnRequest>, every value XML-escaped. The Redirect binding signs the URL, not
// this XML.
std::string AuthnRequestXml(const AuthnRequestParams& request);

// HTTP-Redirect binding (SAML bindings §3.4.4.1): raw DEFLATE, base64, URL-encoding of the
// request as SAMLRequest, plus RelayState when not empty, appended to `sso_url`. With a signer,
// SigAlg and Signature follow, the signature taken over exactly the octets
// "SAMLRequest=…[&RelayState=…]&SigAlg=…" as they appear in the URL (§3.4.4.1 ¶3).
// storage.internal when zlib fails; signature.sp_key when signing does.
Result<std::string> RedirectUrl(std::string_view sso_url, std::string_view request_xml,
                                std::string_view relay_state,
                                const dsig::RequestSigner* signer = nullptr);

}  // namespace claimgate::saml
