// The hand-off routes through App::Handle (no sockets): the ACS's 303 to product.callback_url
// with a code, and POST /api/v1/logins/redeem (token, body, verdicts, 404 without a token).
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "server/app.h"
#include "tests/server/fixture.h"

namespace claimgate::server {
namespace {

using namespace testing;  // NOLINT(build/namespaces): the fixture helpers

constexpr char kApiToken[] = "api-token-for-unit-tests-0123456789";
constexpr char kCallback[] = "https://flex.acme.example/sso/callback";

// The fixture's database, acme-flex given a product callback, and an App with an API token.
struct HandoffFixture {
  Fixture f;
  std::unique_ptr<App> app;
  explicit HandoffFixture(std::optional<std::string> api_token = kApiToken) {
    storage::Db db = f.OpenDb();
    Result<pipeline::ConnectionConfig> c =
        pipeline::ReadConnectionFile(SourceDir() + "/examples/flex/connection.json");
    BOOST_REQUIRE(c.ok());
    c->product_callback_url = kCallback;
    Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(
        storage::PutConnection(*txn, c->name, pipeline::ToStoredJson(*c), SystemClock().Now())
            .ok());
    BOOST_REQUIRE(txn->Commit().ok());
    AppOptions o;
    o.db_path = f.File("db");
    o.api_token = std::move(api_token);
    app = std::make_unique<App>(o);
  }
  // The code the ACS put into the 303's Location.
  std::string LoginCode(const std::string& relay_state = "") {
    HttpResponse r = app->Handle(PostForm(
        "/saml/acme-flex/acs", AcsBody(Example("flex", "1-first-login.xml"), relay_state)));
    BOOST_REQUIRE_EQUAL(r.status, 303);
    const std::string& location = r.headers["Location"];
    const std::string prefix = std::string(kCallback) + "?claimgate_code=";
    BOOST_REQUIRE(location.rfind(prefix, 0) == 0);
    const std::string rest = location.substr(prefix.size());
    return rest.substr(0, rest.find('&'));
  }
};

HttpRequest Redeem(const std::string& body, const std::string& token = kApiToken) {
  HttpRequest r = Get("/api/v1/logins/redeem");
  r.method = "POST";
  r.body = body;
  r.content_type = "application/json";
  r.authorization = "Bearer " + token;
  return r;
}

std::string CodeBody(const std::string& code) { return R"({"code": ")" + code + R"("})"; }

BOOST_AUTO_TEST_SUITE(server_handoff)

BOOST_AUTO_TEST_CASE(acs_hands_the_login_to_the_product_and_redeem_answers_once) {
  HandoffFixture h;
  HttpResponse acs = h.app->Handle(PostForm(
      "/saml/acme-flex/acs",
      AcsBody(Example("flex", "1-first-login.xml"), "https://flex.acme.example/queue?x=1")));
  BOOST_TEST(acs.status == 303);  // also for a client that accepts JSON: the code is for there
  const std::string location = acs.headers["Location"];
  BOOST_TEST(location.rfind(std::string(kCallback) + "?claimgate_code=", 0) == 0u);
  BOOST_TEST(Contains(location, "&relay_state=https%3A%2F%2Fflex.acme.example%2Fqueue%3Fx%3D1"));
  const std::size_t start = location.find('=') + 1;
  const std::string code = location.substr(start, location.find('&') - start);
  BOOST_TEST(code.size() == 43u);

  HttpResponse ok = h.app->Handle(Redeem(CodeBody(code)));
  BOOST_TEST(ok.status == 200);
  BOOST_TEST(ok.content_type == "application/json");
  const nlohmann::json body = nlohmann::json::parse(ok.body);
  BOOST_TEST(body["connection"] == "acme-flex");
  BOOST_TEST(body["subject"] == "alice@acme.example");
  BOOST_TEST(body["worker"]["roles"].dump() == R"(["agent"])");
  BOOST_TEST(body["permissions"].dump() == R"(["agent"])");
  BOOST_TEST(body["audit_id"].get<std::int64_t>() ==
             std::stoll(acs.headers["X-Claimgate-Audit-Id"]));
  BOOST_TEST(!ok.headers["X-Claimgate-Audit-Id"].empty());

  HttpResponse again = h.app->Handle(Redeem(CodeBody(code)));
  BOOST_TEST(again.status == 400);
  BOOST_TEST(again.code == "handoff.code_used");
  BOOST_TEST(nlohmann::json::parse(again.body)["error"]["code"] == "handoff.code_used");
  HttpResponse unknown = h.app->Handle(Redeem(CodeBody("x" + code)));
  BOOST_TEST(unknown.status == 400);
  BOOST_TEST(unknown.code == "handoff.unknown_code");
}

BOOST_AUTO_TEST_CASE(the_token_the_method_and_the_body_are_checked_first) {
  HandoffFixture h;
  const std::string code = h.LoginCode();
  const std::int64_t rows = h.f.AuditRows();
  for (const std::string& token :
       {std::string("wrong-token-0123456789"), std::string(kApiToken).substr(1), std::string()}) {
    HttpResponse r = h.app->Handle(Redeem(CodeBody(code), token));
    BOOST_TEST(r.status == 401);
    BOOST_TEST(r.code == "input.unauthorized");
  }
  HttpRequest basic = Redeem(CodeBody(code));
  basic.authorization = std::string("Basic ") + kApiToken;
  BOOST_TEST(h.app->Handle(basic).status == 401);
  HttpRequest get = Redeem(CodeBody(code));
  get.method = "GET";
  BOOST_TEST(h.app->Handle(get).status == 405);
  HttpRequest form = Redeem(CodeBody(code));
  form.content_type = "application/x-www-form-urlencoded";
  BOOST_TEST(h.app->Handle(form).code == "input.bad_request");
  for (const char* bad : {"", "code", "[]", R"({"code": 7})", R"({"code": ""})", R"({"c": "x"})",
                          "{\"code\": \"\xff\"}"}) {
    HttpResponse r = h.app->Handle(Redeem(bad));
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(r.status == 400);
      BOOST_TEST(r.code == "input.bad_request");
    }
  }
  BOOST_TEST(h.f.AuditRows() == rows);  // none of these is a redeem: no audit row
  HttpRequest charset = Redeem(CodeBody(code));
  charset.content_type = "application/json; charset=utf-8";
  BOOST_TEST(h.app->Handle(charset).status == 200);  // the code was left unused by all the above
  BOOST_TEST(h.f.AuditRows() == rows + 1);
}

BOOST_AUTO_TEST_CASE(without_an_api_token_the_route_does_not_exist) {
  HandoffFixture h(std::nullopt);
  HttpResponse r = h.app->Handle(Redeem(CodeBody("anything")));
  BOOST_TEST(r.status == 404);
  BOOST_TEST(r.code == "input.not_found");
}

BOOST_AUTO_TEST_CASE(without_a_callback_the_acs_is_unchanged) {
  Fixture f;
  HttpResponse r = f.app().Handle(
      PostForm("/saml/acme-flex/acs", AcsBody(Example("flex", "1-first-login.xml"))));
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.headers.count("Location") == 0u);
  storage::Db db = f.OpenDb();
  Result<storage::Query> q = db.Prepare("SELECT count(*) FROM handoff_codes");
  BOOST_REQUIRE(q.ok());
  BOOST_REQUIRE(*q->Step());
  BOOST_TEST(q->Int(0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::server
