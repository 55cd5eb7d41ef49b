// SP-initiated sign-on: request IDs, the HTTP-Redirect encoding (inflated back with zlib), the
// pending request it stores, and the ACS consuming it exactly once.
#include <zlib.h>

#include <boost/test/unit_test.hpp>
#include <set>
#include <string>

#include "base/base64.h"
#include "engine/saml/authn_request.h"
#include "pipeline/solicited.h"
#include "server/app.h"
#include "server/cookies.h"
#include "storage/replay.h"
#include "tests/server/fixture.h"

namespace claimgate::server {
namespace {

using namespace testing;  // NOLINT(build/namespaces): the fixture helpers

std::string RawInflate(const std::string& in) {
  z_stream z{};
  BOOST_REQUIRE(inflateInit2(&z, -15) == Z_OK);
  std::string out(64 * 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  BOOST_REQUIRE(rc == Z_STREAM_END);
  return out;
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The query parameter `name` of `url`, percent-decoded ("" when absent).
std::string Param(const std::string& url, const std::string& name) {
  const std::size_t at =
      url.find((url.find('?' + name + '=') != std::string::npos ? "?" : "&") + name + "=");
  if (at == std::string::npos) return "";
  const std::size_t start = at + name.size() + 2;
  return PercentDecode(url.substr(start, url.find('&', start) - start));
}

void AddPending(Fixture& f, const std::string& connection, const std::string& id,
                TimePoint expires) {
  storage::Db db = f.OpenDb();
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(storage::CreatePendingRequest(*txn, connection, id, "", expires).ok());
  BOOST_REQUIRE(txn->Commit().ok());
}

BOOST_AUTO_TEST_SUITE(server_sp)

BOOST_AUTO_TEST_CASE(request_ids_are_fresh_and_long) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    Result<std::string> id = saml::NewRequestId();
    BOOST_REQUIRE(id.ok());
    BOOST_TEST(id->size() == 41u);
    BOOST_TEST(id->front() == '_');
    BOOST_TEST(seen.insert(*id).second);
  }
}

BOOST_AUTO_TEST_CASE(login_redirects_with_a_deflated_stored_request) {
  Fixture f;
  HttpResponse r = f.app().Handle(
      Get("/saml/acme-flex/login", "relay_state=https%3A%2F%2Fflex.acme.example%2Fdesk"));
  BOOST_TEST(r.status == 302);
  const std::string url = r.headers["Location"];
  BOOST_TEST(url.rfind("https://idp.example/app/exkexample/sso/saml?SAMLRequest=", 0) == 0);
  BOOST_TEST(Param(url, "RelayState") == "https://flex.acme.example/desk");
  std::optional<std::string> deflated = DecodeBase64(Param(url, "SAMLRequest"));
  BOOST_REQUIRE(deflated.has_value());
  const std::string xml = RawInflate(*deflated);
  BOOST_TEST(Contains(xml, "<samlp:AuthnRequest "));
  BOOST_TEST(
      Contains(xml, "AssertionConsumerServiceURL=\"https://sp.example/saml/acme-flex/acs\""));
  BOOST_TEST(Contains(xml, "<saml:Issuer>https://sp.example/saml/acme-flex</saml:Issuer>"));
  const std::size_t at = xml.find("ID=\"") + 4;
  const std::string id = xml.substr(at, xml.find('"', at) - at);
  BOOST_TEST(id.size() == 41u);
  // Bound to this browser (SECURITY.md F05) by a cookie sent to the ACS path only.
  const std::string cookie = r.headers["Set-Cookie"];
  const std::string prefix = "claimgate_authn_" + id + "=";
  BOOST_REQUIRE(cookie.rfind(prefix, 0) == 0);
  const std::string nonce = cookie.substr(prefix.size(), 64);
  BOOST_TEST(cookie.substr(prefix.size() + 64) ==
             "; Path=/saml/acme-flex/acs; Max-Age=600; HttpOnly; SameSite=None; Secure");
  BOOST_TEST(BindingNonces("a=b; " + cookie.substr(0, prefix.size() + 64)).at(id) == nonce);
  // Stored: consuming it works once, with the nonce, and hands back the allowed relay state.
  storage::Db db = f.OpenDb();
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_TEST(
      pipeline::AnswerPendingRequest(*txn, "acme-flex", id, SystemClock().Now()).status().code() ==
      "in_response_to.not_this_browser");
  Result<std::string> relay =
      pipeline::AnswerPendingRequest(*txn, "acme-flex", id, SystemClock().Now(), nonce);
  BOOST_REQUIRE(relay.ok());
  BOOST_TEST(*relay == "https://flex.acme.example/desk");
}

BOOST_AUTO_TEST_CASE(binding_cookies_parse_strictly) {
  const std::string id = "_" + std::string(40, 'a');
  const std::string nonce(64, '0');
  // Well-formed ones only, whatever surrounds them.
  std::map<std::string, std::string> n =
      BindingNonces(" x=1;claimgate_authn_" + id + "=" + nonce + " ; y=2");
  BOOST_TEST(n.size() == 1u);
  BOOST_TEST(n[id] == nonce);
  for (const std::string& bad :
       {"claimgate_authn_" + id + "=" + nonce.substr(1),       // short nonce
        "claimgate_authn_" + id + "=" + std::string(64, 'G'),  // not hex
        "claimgate_authn_" + id + "=" + std::string(64, 'A'),  // upper case
        "claimgate_authn_" + id.substr(1) + "=" + nonce,       // ID without '_'
        "claimgate_authn_" + id + "x=" + nonce,                // long ID
        "claimgate_authn_" + id,                               // no value
        std::string("claimgate_authn_=") + nonce, std::string(), std::string(";;;=")}) {
    BOOST_TEST(BindingNonces(bad).empty(), bad);
  }
  // At most 16 are read from one header.
  std::string many;
  for (int i = 0; i < 40; ++i) {
    std::string rid = "_" + std::string(38, 'b') + (i < 10 ? "0" : "") + std::to_string(i);
    many += "claimgate_authn_" + rid + "=" + nonce + "; ";
  }
  BOOST_TEST(BindingNonces(many).size() == 16u);
}

BOOST_AUTO_TEST_CASE(binding_cookie_attributes_follow_the_acs_scheme) {
  pipeline::ConnectionConfig c;
  c.acs_url = "http://127.0.0.1:8080/saml/dev/acs?x=1";
  const std::string plain = BindingCookie(c, "_r", "n", std::chrono::seconds(60));
  BOOST_TEST(plain ==
             "claimgate_authn__r=n; Path=/saml/dev/acs; Max-Age=60; HttpOnly; "
             "SameSite=Lax");
  c.acs_url = "https://sp.example/saml/prod/acs";
  BOOST_TEST(ClearBindingCookie(c, "_r") ==
             "claimgate_authn__r=; Path=/saml/prod/acs; Max-Age=0; HttpOnly; SameSite=None; "
             "Secure");
}

BOOST_AUTO_TEST_CASE(login_drops_a_relay_state_off_the_allow_list) {
  Fixture f;
  HttpResponse r =
      f.app().Handle(Get("/saml/acme-flex/login", "relay_state=https%3A%2F%2Fevil.example%2F"));
  BOOST_TEST(r.status == 302);
  BOOST_TEST(!Contains(r.headers["Location"], "RelayState"));
  BOOST_TEST(f.app().Handle(Get("/saml/acme-flex/login", "relay_state=%G0")).status == 400);
  BOOST_TEST(f.app().Handle(Get("/saml/nobody/login")).status == 404);
}

BOOST_AUTO_TEST_CASE(solicited_response_consumes_its_request_once) {
  Fixture f;
  const std::string acs = "/saml/acme-sendgrid/acs";
  const std::string sp_initiated =
      AcsBody(Example("sendgrid", "2-returning-login-sp-initiated.xml"));
  // The user exists (IdP-initiated first login: sendgrid creates only from those).
  BOOST_TEST(
      f.app()
          .Handle(PostForm(acs, AcsBody(Example("sendgrid", "1-first-login-idp-initiated.xml"))))
          .status == 200);
  // Answering a request this SP never sent.
  HttpResponse unknown = f.app().Handle(PostForm(acs, sp_initiated));
  BOOST_TEST(unknown.status == 403);
  BOOST_TEST(unknown.code == "in_response_to.unknown_request");
  // Sent, but expired.
  AddPending(f, "acme-sendgrid", "id-request-sg-2", SystemClock().Now() - std::chrono::seconds(1));
  HttpResponse expired = f.app().Handle(PostForm(acs, sp_initiated));
  BOOST_TEST(expired.status == 403);
  BOOST_TEST(expired.code == "in_response_to.request_expired");
  BOOST_TEST(f.AuditRows() == 3);
}

BOOST_AUTO_TEST_CASE(solicited_response_accepted_then_reuse_refused) {
  Fixture f;
  const std::string acs = "/saml/acme-sendgrid/acs";
  const std::string sp_initiated =
      AcsBody(Example("sendgrid", "2-returning-login-sp-initiated.xml"));
  BOOST_TEST(
      f.app()
          .Handle(PostForm(acs, AcsBody(Example("sendgrid", "1-first-login-idp-initiated.xml"))))
          .status == 200);
  // A pending request of another connection does not count.
  AddPending(f, "acme-flex", "id-request-sg-2", SystemClock().Now() + std::chrono::minutes(5));
  BOOST_TEST(f.app().Handle(PostForm(acs, sp_initiated)).code == "in_response_to.unknown_request");
  AddPending(f, "acme-sendgrid", "id-request-sg-2", SystemClock().Now() + std::chrono::minutes(5));
  HttpResponse ok = f.app().Handle(PostForm(acs, sp_initiated));
  BOOST_TEST(ok.status == 200, ok.body);
  BOOST_TEST(Contains(ok.body, "\"action\":\"updated\""));
  HttpResponse again = f.app().Handle(PostForm(acs, sp_initiated));
  BOOST_TEST(again.status == 403);
  // The request is spent first (checked before the replay cache in the same transaction).
  BOOST_TEST(again.code == "in_response_to.request_reused");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::server
