// Signed AuthnRequests (HTTP-Redirect binding, SAML bindings §3.4.4.1) and the SP metadata that
// announces them, for a connection with an SP signing key; and the connection-file rules for
// that key. The example IdP key pair stands in for an SP key pair.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>

#include "base/base64.h"
#include "engine/dsig/key_set.h"
#include "engine/saml/authn_request.h"
#include "pipeline/connection.h"
#include "pipeline/login_start.h"
#include "tests/server/fixture.h"

namespace claimgate::server {
namespace {

using namespace testing;  // NOLINT(build/namespaces): the fixture helpers

std::string Example(const std::string& rel) { return SourceDir() + "/examples/" + rel; }

pipeline::ConnectionConfig SigningConfig() {
  Result<pipeline::ConnectionConfig> c =
      pipeline::ReadConnectionFile(Example("flex/connection.json"));
  BOOST_REQUIRE(c.ok());
  c->sp_signing_key_file = std::filesystem::absolute(Example("idp/example-idp.key")).string();
  c->sp_signing_certificate_pem = ReadFile(Example("idp/example-idp.pem"));
  return *std::move(c);
}

// The part of `url` after '?'.
std::string Query(const std::string& url) { return url.substr(url.find('?') + 1); }

bool SignatureVerifies(const std::string& signed_part, const std::string& signature_b64) {
  dsig::KeySet keys;
  BOOST_REQUIRE(keys.AddPem(ReadFile(Example("idp/example-idp.pem")), "cert", {}).ok());
  std::optional<std::string> sig = DecodeBase64(signature_b64);
  return sig && keys.keys()[0].Verify("EMSA3(SHA-256)", signed_part, *sig);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signed_requests)

BOOST_AUTO_TEST_CASE(metadata_announces_signed_requests_with_the_certificate) {
  const pipeline::ConnectionConfig signing = SigningConfig();
  const std::string xml = pipeline::SpMetadataXml(signing);
  BOOST_CHECK(Contains(xml, "AuthnRequestsSigned=\"true\""));
  BOOST_CHECK(Contains(xml, "<md:KeyDescriptor use=\"signing\">"));
  std::string body = signing.sp_signing_certificate_pem;
  body = body.substr(body.find('\n') + 1);
  body = body.substr(0, body.find("-----END"));
  body.erase(std::remove(body.begin(), body.end(), '\n'), body.end());
  BOOST_CHECK(Contains(xml, "<ds:X509Certificate>" + body + "</ds:X509Certificate>"));

  pipeline::ConnectionConfig plain = signing;
  plain.sp_signing_key_file.clear();
  plain.sp_signing_certificate_pem.clear();
  const std::string unsigned_xml = pipeline::SpMetadataXml(plain);
  BOOST_CHECK(Contains(unsigned_xml, "AuthnRequestsSigned=\"false\""));
  BOOST_CHECK(!Contains(unsigned_xml, "KeyDescriptor"));
}

BOOST_AUTO_TEST_CASE(redirect_signature_covers_request_relay_state_and_sigalg) {
  Result<pipeline::Connection> c = pipeline::Connection::Load(SigningConfig());
  BOOST_REQUIRE_MESSAGE(c.ok(), c.status().message());
  BOOST_REQUIRE(c->request_signer() != nullptr);
  const std::string xml =
      saml::AuthnRequestXml({"_abc", SystemClock().Now(), "https://idp.example/sso",
                             c->config().acs_url, c->config().sp_entity_id});
  BOOST_CHECK(Contains(xml, "Destination=\"https://idp.example/sso\""));  // bindings §3.4.5.2
  for (const std::string& relay : {std::string(), std::string("https://flex.acme.example/x?y=1")}) {
    Result<std::string> url =
        saml::RedirectUrl("https://idp.example/sso?tenant=1", xml, relay, c->request_signer());
    BOOST_REQUIRE(url.ok());
    const std::string q = Query(*url);
    BOOST_CHECK(q.rfind("tenant=1&SAMLRequest=", 0) == 0);
    const std::size_t sig_at = q.find("&Signature=");
    BOOST_REQUIRE(sig_at != std::string::npos);
    // The signed octets: SAMLRequest[&RelayState]&SigAlg, as they appear in the URL.
    const std::string signed_part =
        q.substr(q.find("SAMLRequest="), sig_at - q.find("SAMLRequest="));
    BOOST_CHECK_EQUAL(Contains(signed_part, "&RelayState="), !relay.empty());
    BOOST_CHECK(Contains(
        signed_part, "&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"));
    std::string sig = q.substr(sig_at + 11);
    std::string decoded;
    for (std::size_t i = 0; i < sig.size(); ++i) {
      if (sig[i] == '%') {
        decoded += static_cast<char>(std::stoi(sig.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        decoded += sig[i];
      }
    }
    BOOST_CHECK(SignatureVerifies(signed_part, decoded));
    // Changing any signed octet (here the RelayState or the request) breaks it.
    std::string tampered = signed_part;
    tampered[tampered.size() / 2] ^= 1;
    BOOST_CHECK(!SignatureVerifies(tampered, decoded));
  }
  // Without a signer nothing is added.
  Result<std::string> plain = saml::RedirectUrl("https://idp.example/sso", xml, "", nullptr);
  BOOST_REQUIRE(plain.ok());
  BOOST_CHECK(!Contains(*plain, "SigAlg=") && !Contains(*plain, "Signature="));
}

BOOST_AUTO_TEST_CASE(key_stays_in_its_file_and_must_load) {
  const pipeline::ConnectionConfig signing = SigningConfig();
  const std::string stored = pipeline::ToStoredJson(signing);
  BOOST_CHECK(!Contains(stored, "PRIVATE KEY"));
  BOOST_CHECK(Contains(stored, "signing_key_file"));
  Result<pipeline::ConnectionConfig> back = pipeline::FromStoredJson(stored, "stored");
  BOOST_REQUIRE(back.ok());
  BOOST_CHECK_EQUAL(back->sp_signing_key_file, signing.sp_signing_key_file);
  BOOST_CHECK(pipeline::Connection::Load(*back).ok());

  pipeline::ConnectionConfig missing = signing;
  missing.sp_signing_key_file = signing.sp_signing_key_file + ".gone";
  Result<pipeline::Connection> m = pipeline::Connection::Load(missing);
  BOOST_REQUIRE(!m.ok());
  BOOST_CHECK_EQUAL(m.status().code(), "signature.sp_key");

  pipeline::ConnectionConfig mismatched = signing;  // (a different key pair: dsig_tests)
  mismatched.sp_signing_certificate_pem =
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  Result<pipeline::Connection> mm = pipeline::Connection::Load(mismatched);
  BOOST_REQUIRE(!mm.ok());
  BOOST_CHECK_EQUAL(mm.status().code(), "signature.sp_key");
}

BOOST_AUTO_TEST_CASE(connection_file_needs_key_and_certificate_together) {
  Fixture f;
  const std::string dir = std::filesystem::path(f.File("x")).parent_path().string();
  const std::string base = ReadFile(Example("flex/connection.json"));
  auto write = [&](const std::string& sp_extra) {
    std::string text = base;
    const std::string acs = "\"acs_url\": \"https://sp.example/saml/acme-flex/acs\"";
    BOOST_REQUIRE(text.find(acs) != std::string::npos);
    text.replace(text.find(acs), acs.size(), acs + sp_extra);
    const std::string idp = "\"../idp/metadata.xml\"";
    text.replace(text.find(idp), idp.size(), "\"" + Example("idp/metadata.xml") + "\"");
    std::ofstream(dir + "/c.json") << text;
    return pipeline::ReadConnectionFile(dir + "/c.json");
  };
  const std::string key = Example("idp/example-idp.key");
  const std::string cert = Example("idp/example-idp.pem");
  Result<pipeline::ConnectionConfig> both = write(
      ",\n \"signing_key_file\": \"" + key + "\", \"signing_certificate_file\": \"" + cert + "\"");
  BOOST_REQUIRE_MESSAGE(both.ok(), both.status().message());
  BOOST_CHECK(!both->sp_signing_certificate_pem.empty());
  Result<pipeline::ConnectionConfig> only_key = write(",\n \"signing_key_file\": \"" + key + "\"");
  BOOST_REQUIRE(!only_key.ok());
  BOOST_CHECK_EQUAL(only_key.status().code(), "provisioning.bad_connection");
  BOOST_CHECK(Contains(only_key.status().message(), "$.sp"));
  Result<pipeline::ConnectionConfig> swapped = write(
      ",\n \"signing_key_file\": \"" + cert + "\", \"signing_certificate_file\": \"" + key + "\"");
  BOOST_REQUIRE(!swapped.ok());
  BOOST_CHECK_EQUAL(swapped.status().code(), "signature.sp_key");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimgate::server
