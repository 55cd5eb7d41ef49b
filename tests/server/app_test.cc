// The serve routes through App::Handle, on a temp database holding example connections.
#include "server/app.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "base/url_encoding.h"
#include "pipeline/login_start.h"
#include "tests/server/fixture.h"

namespace claimgate::server {
namespace {

using namespace testing;  // NOLINT(build/namespaces): the fixture helpers

BOOST_AUTO_TEST_SUITE(server_app)

BOOST_AUTO_TEST_CASE(health_metrics_and_unknown_routes) {
  Fixture f;
  BOOST_TEST(f.app().Handle(Get("/healthz")).status == 200);
  HttpResponse m = f.app().Handle(Get("/metrics"));
  BOOST_TEST(m.status == 200);
  BOOST_TEST(Contains(m.body, "# TYPE claimgate_login_duration_seconds histogram"));
  HttpResponse nf = f.app().Handle(Get("/nope"));
  BOOST_TEST(nf.status == 404);
  BOOST_TEST(nf.code == "input.not_found");
  BOOST_TEST(f.app().Handle(Get("/saml/acme-flex/other")).status == 404);
  BOOST_TEST(f.app().Handle(Get("/saml/acme-flex/acs/x")).status == 404);
  HttpResponse unknown = f.app().Handle(Get("/saml/nobody/metadata"));
  BOOST_TEST(unknown.status == 404);
  BOOST_TEST(unknown.code == "input.not_found");
  HttpRequest del = Get("/healthz");
  del.method = "DELETE";
  HttpResponse d = f.app().Handle(del);
  BOOST_TEST(d.status == 405);
  BOOST_TEST(d.headers["Allow"] == "GET");
  // SECURITY.md F13: no Response over the Redirect binding, whatever the query carries.
  const std::string response = UrlEncode(Example("flex", "1-first-login.xml"));
  HttpResponse get_acs = f.app().Handle(Get("/saml/acme-flex/acs", "SAMLResponse=" + response));
  BOOST_TEST(get_acs.status == 405);
  BOOST_TEST(get_acs.code == "input.method_not_allowed");
  BOOST_TEST(get_acs.headers["Allow"] == "POST");
  // F13: a repeated SAMLResponse (or RelayState) field is refused, never "the first one wins".
  for (const std::string& body : {"SAMLResponse=" + response + "&SAMLResponse=" + response,
                                  "SAMLResponse=" + response + "&RelayState=a&RelayState=b"}) {
    HttpResponse twice = f.app().Handle(PostForm("/saml/acme-flex/acs", body));
    BOOST_TEST(twice.status == 400);
    BOOST_TEST(twice.code == "input.bad_request");
  }
  BOOST_TEST(f.AuditRows() == 0);  // none of these reached the pipeline
  BOOST_TEST(f.app().Handle(PostForm("/saml/acme-flex/login", "")).status == 405);
}

BOOST_AUTO_TEST_CASE(metadata_is_escaped_sp_metadata) {
  Fixture f;
  HttpResponse r = f.app().Handle(Get("/saml/acme-flex/metadata"));
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.content_type == "application/samlmetadata+xml");
  BOOST_TEST(Contains(r.body, "entityID=\"https://sp.example/saml/acme-flex\""));
  BOOST_TEST(Contains(r.body, "WantAssertionsSigned=\"true\""));
  BOOST_TEST(Contains(r.body, "Location=\"https://sp.example/saml/acme-flex/acs\""));
  BOOST_TEST(Contains(r.body, "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"));
  pipeline::ConnectionConfig hostile;
  hostile.sp_entity_id = "a\"b<c>&'";
  hostile.acs_url = "https://x/\"><script>";
  const std::string xml = pipeline::SpMetadataXml(hostile);
  BOOST_TEST(Contains(xml, "entityID=\"a&quot;b&lt;c&gt;&amp;&#39;\""));
  BOOST_TEST(!Contains(xml, "<script>"));
}

BOOST_AUTO_TEST_CASE(bad_forms_are_400_with_a_code) {
  Fixture f;
  const std::string acs = "/saml/acme-flex/acs";
  for (const std::string& body :
       {std::string(""), std::string("RelayState=x"), std::string("SAMLResponse="),
        std::string("SAMLResponse=%zz"), std::string("SAMLResponse=a&SAMLResponse=b"),
        std::string("SAMLResponse=%4")}) {
    HttpResponse r = f.app().Handle(PostForm(acs, body));
    BOOST_TEST(r.status == 400, body);
    BOOST_TEST(r.code == "input.bad_request", body);
  }
  HttpRequest wrong_type = PostForm(acs, AcsBody(Example("flex", "1-first-login.xml")));
  wrong_type.content_type = "text/xml";
  BOOST_TEST(f.app().Handle(wrong_type).code == "input.bad_request");
  HttpRequest charset = PostForm(acs, "SAMLResponse=abc");
  charset.content_type = "Application/X-WWW-Form-Urlencoded; charset=UTF-8";
  HttpResponse decided = f.app().Handle(charset);  // reaches the pipeline
  BOOST_TEST(decided.status == 403);
  BOOST_TEST(decided.code == "input.bad_base64");
  std::string many;
  for (int i = 0; i < 65; ++i) many += "f" + std::to_string(i) + "=1&";
  BOOST_TEST(f.app().Handle(PostForm(acs, many + "SAMLResponse=x")).code == "input.bad_request");
  BOOST_TEST(f.AuditRows() == 1);  // only the decided one
}

BOOST_AUTO_TEST_CASE(oversize_body_is_413) {
  Fixture f;
  HttpResponse r =
      f.app().Handle(PostForm("/saml/acme-flex/acs", "SAMLResponse=" + std::string(70000, 'A')));
  BOOST_TEST(r.status == 413);
  BOOST_TEST(r.code == "input.body_too_large");
  BOOST_TEST(f.AuditRows() == 0);
}

BOOST_AUTO_TEST_CASE(acs_accepts_then_refuses_the_replay) {
  Fixture f;
  const std::string body = AcsBody(Example("flex", "1-first-login.xml"));
  HttpResponse first = f.app().Handle(PostForm("/saml/acme-flex/acs", body));
  BOOST_TEST(first.status == 200, first.body);
  BOOST_TEST(Contains(first.body, "\"decision\":\"accepted\""));
  BOOST_TEST(Contains(first.body, "\"action\":\"created\""));
  HttpResponse again = f.app().Handle(PostForm("/saml/acme-flex/acs", body));
  BOOST_TEST(again.status == 403);
  BOOST_TEST(again.code == "replay.detected");
  BOOST_TEST(again.headers["X-Claimgate-Audit-Id"] == "2");
  BOOST_TEST(Contains(again.detail, "already"));  // the reason, for the log only
  BOOST_TEST(f.AuditRows() == 2);
  HttpResponse m = f.app().Handle(Get("/metrics"));
  BOOST_TEST(Contains(m.body, "claimgate_decisions_total{decision=\"accepted\",code=\"\"} 1"));
  BOOST_TEST(Contains(
      m.body, "claimgate_decisions_total{decision=\"rejected\",code=\"replay.detected\"} 1"));
  BOOST_TEST(Contains(m.body, "claimgate_provisioning_actions_total{action=\"created\"} 1"));
  BOOST_TEST(Contains(m.body, "claimgate_login_duration_seconds_count 2"));
}

BOOST_AUTO_TEST_CASE(html_result_escapes_and_hides_messages) {
  Fixture f;
  HttpResponse bad = f.app().Handle(PostForm("/saml/acme-flex/acs", "SAMLResponse=%3Cx%3E", false));
  BOOST_TEST(bad.status == 403);
  BOOST_TEST(bad.content_type == "text/html; charset=utf-8");
  BOOST_TEST(Contains(bad.body, bad.code));
  BOOST_TEST(!Contains(bad.body, "<x>"));
  HttpResponse ok = f.app().Handle(
      PostForm("/saml/acme-flex/acs", AcsBody(Example("flex", "1-first-login.xml")), false));
  BOOST_TEST(ok.status == 200);
  BOOST_TEST(Contains(ok.body, "alice@acme.example"));
}

BOOST_AUTO_TEST_CASE(relay_state_redirects_only_to_the_allow_list) {
  Fixture f;
  HttpResponse off = f.app().Handle(
      PostForm("/saml/acme-flex/acs",
               AcsBody(Example("flex", "1-first-login.xml"), "https://evil.example/steal"), false));
  BOOST_TEST(off.status == 200);
  BOOST_TEST(off.headers.count("Location") == 0);
  HttpResponse on = f.app().Handle(PostForm(
      "/saml/acme-flex/acs",
      AcsBody(Example("flex", "2-returning-login.xml"), "https://flex.acme.example/inbox"), false));
  BOOST_TEST(on.status == 303);
  BOOST_TEST(on.headers["Location"] == "https://flex.acme.example/inbox");
  pipeline::ConnectionConfig c;
  c.relay_state_allow_list = {"https://flex.acme.example/", "https://exact.example/page"};
  BOOST_TEST(pipeline::RelayStateAllowed(c, "https://flex.acme.example/a/b?c=d"));
  BOOST_TEST(pipeline::RelayStateAllowed(c, "https://exact.example/page"));
  BOOST_TEST(!pipeline::RelayStateAllowed(c, "https://exact.example/page/more"));
  BOOST_TEST(!pipeline::RelayStateAllowed(c, "https://flex.acme.example.evil.example/"));
  BOOST_TEST(!pipeline::RelayStateAllowed(c, "https://flex.acme.example/\r\nSet-Cookie: x"));
  BOOST_TEST(!pipeline::RelayStateAllowed(c, "https://flex.acme.example/\\evil"));
  BOOST_TEST(!pipeline::RelayStateAllowed(c, ""));
}

BOOST_AUTO_TEST_CASE(unsolicited_refused_when_idp_initiated_is_off) {
  Fixture f;
  // The console example's response is unsolicited; acme-console here refuses IdP-initiated.
  HttpResponse r = f.app().Handle(
      PostForm("/saml/acme-console/acs", AcsBody(Example("console", "1-first-login.xml"))));
  BOOST_TEST(r.status == 403);
  BOOST_TEST(r.code == "in_response_to.unsolicited");
  BOOST_TEST(f.AuditRows() == 1);
}

BOOST_AUTO_TEST_CASE(admin_needs_the_right_token) {
  Fixture none;
  BOOST_TEST(none.app().Handle(Get("/admin")).status == 404);
  BOOST_TEST(none.app().Handle(Get("/api/users")).status == 404);
  Fixture f(std::string("s3cret-token-0123456789"));
  HttpRequest r = Get("/api/users");
  HttpResponse without = f.app().Handle(r);
  BOOST_TEST(without.status == 401);
  BOOST_TEST(without.code == "input.unauthorized");
  BOOST_TEST(Contains(without.headers["WWW-Authenticate"], "Bearer"));
  for (const char* wrong : {"Bearer wrong", "Bearer s3cret-token-012345678", "Basic s3cret",
                            "bearer s3cret-token-0123456789", "Bearer s3cret-token-0123456789x"}) {
    r.authorization = wrong;
    BOOST_TEST(f.app().Handle(r).status == 401, wrong);
  }
  f.app().Handle(PostForm("/saml/acme-flex/acs", AcsBody(Example("flex", "1-first-login.xml"))));
  r.authorization = "Bearer s3cret-token-0123456789";
  HttpResponse users = f.app().Handle(r);
  BOOST_TEST(users.status == 200);
  BOOST_TEST(Contains(users.body, "\"subject\":\"alice@acme.example\""));
  HttpRequest audit = Get("/api/audit", "connection=acme-flex&decision=accepted");
  audit.authorization = r.authorization;
  HttpResponse rows = f.app().Handle(audit);
  BOOST_TEST(rows.status == 200);
  BOOST_TEST(Contains(rows.body, "\"client_addr\":\"192.0.2.7\""));
  audit.query = "decision=rejected";
  BOOST_TEST(f.app().Handle(audit).body == "[]\n");
  audit.query = "since=yesterday";
  BOOST_TEST(f.app().Handle(audit).code == "input.bad_request");
  HttpRequest page = Get("/admin", "subject=%3Cb%3E");
  page.authorization = r.authorization;
  HttpResponse html = f.app().Handle(page);
  BOOST_TEST(html.status == 200);
  BOOST_TEST(Contains(html.body, "value=\"&lt;b&gt;\""));
  BOOST_TEST(Contains(html.body, "alice@acme.example"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::server
