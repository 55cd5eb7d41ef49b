#include "server/sp.h"

#include <zlib.h>

#include "base/base64.h"
#include "base/civil_time.h"
#include "base/hex.h"
#include "crypto/pem.h"
#include "crypto/random.h"
#include "storage/replay.h"
#include "storage/sqlite.h"

namespace claimgate::server {

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

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

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kUpperHex[c >> 4];
      out += kUpperHex[c & 15];
    }
  }
  return out;
}

namespace {

// The base64 of the first CERTIFICATE block of a PEM text ("" when none): re-encoded from the
// decoded DER, so nothing but base64 can reach the metadata.
std::string CertificateBase64(std::string_view pem) {
  Result<std::vector<crypto::PemBlock>> blocks = crypto::ReadPem(pem, "", errors::kSignatureSpKey);
  if (!blocks.ok()) return "";
  for (const crypto::PemBlock& b : *blocks) {
    if (b.label == "CERTIFICATE") return EncodeBase64(b.der);
  }
  return "";
}

}  // namespace

std::string SpMetadataXml(const pipeline::ConnectionConfig& c) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" +
       EscapeXml(c.sp_entity_id) + "\">\n";
  const std::string cert = CertificateBase64(c.sp_signing_certificate_pem);
  x += std::string("  <md:SPSSODescriptor AuthnRequestsSigned=\"") +
       (cert.empty() ? "false" : "true") +
       "\" WantAssertionsSigned=\"true\" "
       "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n";
  if (!cert.empty()) {
    x += "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo "
         "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data><ds:X509Certificate>" +
         cert + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n";
  }
  x += "    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
       "</md:NameIDFormat>\n";
  x += "    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
       "</md:NameIDFormat>\n";
  x += "    <md:AssertionConsumerService index=\"0\" isDefault=\"true\" "
       "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"" +
       EscapeXml(c.acs_url) + "\"/>\n";
  x += "  </md:SPSSODescriptor>\n</md:EntityDescriptor>\n";
  return x;
}

namespace {

constexpr std::string_view kBindingCookie = "claimgate_authn_";

// The path of an absolute URL ("/" when it has none): the cookie goes to the ACS only.
std::string UrlPath(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return "/";
  return url.substr(slash, url.find_first_of("?#", slash) - slash);
}

std::string CookieAttributes(const pipeline::ConnectionConfig& config, long long max_age) {
  const bool https = config.acs_url.rfind("https://", 0) == 0;
  return "; Path=" + UrlPath(config.acs_url) + "; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly" + (https ? "; SameSite=None; Secure" : "; SameSite=Lax");
}

}  // namespace

Result<std::string> NewRequestId() {
  Result<std::string> hex = crypto::RandomHex(20);
  if (!hex.ok()) return hex.status();
  return "_" + *hex;  // an xs:ID must not start with a digit
}

std::string BindingCookie(const pipeline::ConnectionConfig& config, const std::string& request_id,
                          const std::string& nonce, std::chrono::seconds lifetime) {
  return std::string(kBindingCookie) + request_id + "=" + nonce +
         CookieAttributes(config, lifetime.count());
}

std::string ClearBindingCookie(const pipeline::ConnectionConfig& config,
                               const std::string& request_id) {
  return std::string(kBindingCookie) + request_id + "=" + CookieAttributes(config, 0);
}

std::map<std::string, std::string> BindingNonces(std::string_view header) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos < header.size() && out.size() < 16) {
    std::size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(pos, end - pos);
    pos = end + 1;
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, kBindingCookie.size()) != kBindingCookie) {
      continue;
    }
    const std::string_view id = pair.substr(kBindingCookie.size(), eq - kBindingCookie.size());
    const std::string_view nonce = pair.substr(eq + 1);
    if (id.size() == 41 && id[0] == '_' && IsLowerHex(id.substr(1)) && nonce.size() == 64 &&
        IsLowerHex(nonce)) {
      out.emplace(std::string(id), std::string(nonce));
    }
  }
  return out;
}

std::string AuthnRequestXml(const pipeline::ConnectionConfig& c, const std::string& id,
                            TimePoint issue_instant, std::string_view destination) {
  std::string x =
      "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
      "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" +
      EscapeXml(id) + "\" Version=\"2.0\" IssueInstant=\"" + FormatDateTime(issue_instant) + "\"";
  if (!destination.empty()) x += " Destination=\"" + EscapeXml(destination) + "\"";
  x += " ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
       "AssertionConsumerServiceURL=\"" +
       EscapeXml(c.acs_url) + "\">";
  x += "<saml:Issuer>" + EscapeXml(c.sp_entity_id) + "</saml:Issuer>";
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

bool RelayStateAllowed(const pipeline::ConnectionConfig& config, std::string_view url) {
  if (url.empty() || url.size() > 2048) return false;
  for (unsigned char c : url) {
    if (c < 0x21 || c == 0x7f || c == '\\') return false;  // no spaces, controls, backslashes
  }
  for (const std::string& allowed : config.relay_state_allow_list) {
    if (allowed.empty()) continue;
    if (url == allowed) return true;
    if (allowed.back() == '/' && url.substr(0, allowed.size()) == allowed) return true;
  }
  return false;
}

Result<LoginStart> StartLogin(storage::Db& db, const pipeline::Connection& connection,
                              std::string_view relay_state, TimePoint now,
                              std::chrono::seconds lifetime, bool bind_to_browser) {
  const pipeline::ConnectionConfig& config = connection.config();
  if (connection.sso_url().empty()) {
    return Status::Error(errors::kSamlNoSsoUrl,
                         "connection '" + config.name + "' has no IdP HTTP-Redirect SSO URL");
  }
  Result<std::string> id = NewRequestId();
  if (!id.ok()) return id.status();
  const std::string kept =
      RelayStateAllowed(config, relay_state) ? std::string(relay_state) : std::string();
  Result<std::string> url =
      RedirectUrl(connection.sso_url(), AuthnRequestXml(config, *id, now, connection.sso_url()),
                  kept, connection.request_signer());
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

}  // namespace claimgate::server
