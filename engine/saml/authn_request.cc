#include "engine/saml/authn_request.h"

#include <zlib.h>

#include "base/base64.h"
#include "base/civil_time.h"
#include "base/url_encoding.h"
#include "crypto/random.h"
#include "engine/xml/escape.h"

namespace claimgate::saml {

namespace {

// Raw DEFLATE (no zlib header: windowBits -15), as the HTTP-Redirect binding requires.
Result<std::string> RawDeflate(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Error(errors::kStorageInternal, "zlib deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const uLong written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Status::Error(errors::kStorageInternal, "zlib deflate failed");
  out.resize(written);
  return out;
}

}  // namespace

Result<std::string> NewRequestId() {
  Result<std::string> hex = crypto::RandomHex(20);
  if (!hex.ok()) return hex.status();
  return "_" + *hex;
}

std::string AuthnRequestXml(const AuthnRequestParams& r) {
  std::string x =
      "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
      "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" +
      xml::Escape(r.id) + "\" Version=\"2.0\" IssueInstant=\"" + FormatDateTime(r.issue_instant) +
      "\"";
  if (!r.destination.empty()) x += " Destination=\"" + xml::Escape(r.destination) + "\"";
  x += " ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
       "AssertionConsumerServiceURL=\"" +
       xml::Escape(r.acs_url) + "\">";
  x += "<saml:Issuer>" + xml::Escape(r.sp_entity_id) + "</saml:Issuer>";
  x += "<samlp:NameIDPolicy AllowCreate=\"true\"/></samlp:AuthnRequest>";
  return x;
}

Result<std::string> RedirectUrl(std::string_view sso_url, std::string_view request_xml,
                                std::string_view relay_state, const dsig::RequestSigner* signer) {
  Result<std::string> deflated = RawDeflate(request_xml);
  if (!deflated.ok()) return deflated.status();
  std::string query = "SAMLRequest=" + UrlEncode(EncodeBase64(*deflated));
  if (!relay_state.empty()) query += "&RelayState=" + UrlEncode(relay_state);
  if (signer) {
    query += "&SigAlg=" + UrlEncode(dsig::RequestSigner::kSigAlg);
    Result<std::string> signature = signer->Sign(query);
    if (!signature.ok()) return signature.status();
    query += "&Signature=" + UrlEncode(EncodeBase64(*signature));
  }
  std::string url(sso_url);
  url += sso_url.find('?') == std::string_view::npos ? '?' : '&';
  return url + query;
}

}  // namespace claimgate::saml
