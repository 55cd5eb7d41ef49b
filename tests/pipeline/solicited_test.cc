// pipeline/solicited.h: which request a response answers, and answering a pending request once,
// before it expires, from the browser that started it (SECURITY.md F05, F06).
#include "pipeline/solicited.h"

#include <boost/test/unit_test.hpp>

#include "crypto/hash.h"
#include "storage/replay.h"
#include "tests/storage/test_util.h"

namespace claimgate::pipeline {
namespace {

using storage::CreatePendingRequest;
using storage::Db;
using storage::Txn;
using storage::testing::At;
using storage::testing::OpenDb;
using storage::testing::ScalarInt;
using storage::testing::TempDir;

saml::Assertion Answering(std::optional<std::string> in_response_to) {
  saml::Assertion a;
  a.in_response_to = std::move(in_response_to);
  return a;
}

BOOST_AUTO_TEST_SUITE(solicited)

BOOST_AUTO_TEST_CASE(unsolicited_needs_idp_initiated_sign_on) {
  ConnectionConfig c;
  c.allow_idp_initiated = false;
  LoginContext serve;
  serve.consume_pending_request = true;
  BOOST_TEST(Solicited(c, Answering(std::nullopt), serve).status().code() ==
             "in_response_to.unsolicited");
  c.allow_idp_initiated = true;
  Result<Solicitation> s = Solicited(c, Answering(std::nullopt), serve);
  BOOST_REQUIRE(s.ok());
  BOOST_TEST(!s->solicited);
  BOOST_TEST(s->pending_request_id.empty());
}

BOOST_AUTO_TEST_CASE(serve_answers_the_request_the_response_names_with_its_cookie) {
  ConnectionConfig c;
  LoginContext serve;
  serve.consume_pending_request = true;
  serve.browser_nonces = {{"_r1", std::string(64, 'a')}, {"_other", std::string(64, 'b')}};
  Result<Solicitation> s = Solicited(c, Answering("_r1"), serve);
  BOOST_REQUIRE(s.ok());
  BOOST_TEST(s->solicited);
  BOOST_TEST(s->pending_request_id == "_r1");
  BOOST_TEST((s->browser_nonce == std::string(64, 'a')));
  // process --in-response-to: the caller checked the request; nothing to consume.
  LoginContext process;
  process.in_response_to = "_r1";
  Result<Solicitation> p = Solicited(c, Answering("_r1"), process);
  BOOST_REQUIRE(p.ok());
  BOOST_TEST(p->solicited);
  BOOST_TEST(p->pending_request_id.empty());
}

BOOST_AUTO_TEST_CASE(pending_request_is_consumed_once) {
  TempDir dir;
  Db db = OpenDb(dir);
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(
      CreatePendingRequest(*txn, "acme", "_req", "/inbox", At("2026-01-01T00:05:00Z")).ok());
  BOOST_TEST(CreatePendingRequest(*txn, "acme", "_req", "", At("2026-01-02")).code() ==
             "storage.constraint");
  BOOST_TEST(CreatePendingRequest(*txn, "nope", "_req", "", At("2026-01-02")).code() ==
             "provisioning.unknown_connection");
  BOOST_TEST(CreatePendingRequest(*txn, "acme", "", "", At("2026-01-02")).code() ==
             "storage.invalid_argument");
  Result<std::string> relay = AnswerPendingRequest(*txn, "acme", "_req", At("2026-01-01"));
  BOOST_REQUIRE(relay.ok());
  BOOST_TEST(*relay == "/inbox");
  BOOST_TEST(AnswerPendingRequest(*txn, "acme", "_req", At("2026-01-01")).status().code() ==
             "in_response_to.request_reused");
  BOOST_TEST(AnswerPendingRequest(*txn, "acme", "_zzz", At("2026-01-01")).status().code() ==
             "in_response_to.unknown_request");
  BOOST_TEST(AnswerPendingRequest(*txn, "beta", "_req", At("2026-01-01")).status().code() ==
             "in_response_to.unknown_request");
  BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_late", "", At("2026-01-01T00:05:00Z")).ok());
  BOOST_TEST(
      AnswerPendingRequest(*txn, "acme", "_late", At("2026-01-01T00:05:00Z")).status().code() ==
      "in_response_to.request_expired");
  BOOST_REQUIRE(txn->Commit().ok());
  BOOST_TEST(ScalarInt(db, "SELECT consumed FROM pending_requests WHERE request_id='_req'") == 1);
  BOOST_TEST(ScalarInt(db, "SELECT consumed FROM pending_requests WHERE request_id='_late'") == 0);
}

BOOST_AUTO_TEST_CASE(bound_request_needs_its_browser_nonce) {
  // SECURITY.md F05: a request started in one browser is answered only from that browser.
  TempDir dir;
  Db db = OpenDb(dir);
  const std::string nonce(64, 'a');
  {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_b", "/x", At("2026-01-02"), nonce).ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  // Only the nonce's SHA-256 is stored.
  BOOST_TEST(ScalarInt(db,
                       "SELECT count(*) FROM pending_requests WHERE browser_binding = "
                       "'" +
                           crypto::Sha256Hex(nonce) + "'") == 1);
  BOOST_TEST(ScalarInt(db,
                       "SELECT count(*) FROM pending_requests WHERE browser_binding = "
                       "'" +
                           nonce + "'") == 0);
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_TEST(AnswerPendingRequest(*txn, "acme", "_b", At("2026-01-01")).status().code() ==
             "in_response_to.not_this_browser");
  BOOST_TEST(AnswerPendingRequest(*txn, "acme", "_b", At("2026-01-01"), std::string(64, 'b'))
                 .status()
                 .code() == "in_response_to.not_this_browser");
  BOOST_TEST(
      AnswerPendingRequest(*txn, "acme", "_b", At("2026-01-01"), std::string()).status().code() ==
      "in_response_to.not_this_browser");
  // Not consumed by the refusals: the right browser still can, once.
  BOOST_TEST(ScalarInt(db, "SELECT consumed FROM pending_requests WHERE request_id='_b'") == 0);
  Result<std::string> relay = AnswerPendingRequest(*txn, "acme", "_b", At("2026-01-01"), nonce);
  BOOST_REQUIRE(relay.ok());
  BOOST_TEST(*relay == "/x");
  BOOST_TEST(AnswerPendingRequest(*txn, "acme", "_b", At("2026-01-01"), nonce).status().code() ==
             "in_response_to.request_reused");
  // An unbound request (login-url) ignores any nonce offered.
  BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_u", "", At("2026-01-02")).ok());
  BOOST_TEST(AnswerPendingRequest(*txn, "acme", "_u", At("2026-01-01"), nonce).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::pipeline
