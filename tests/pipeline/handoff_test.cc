// pipeline/handoff.h: codes issued in the login's own transaction, redeemed once within 60 s,
// every redeem audited; the redirect to the product's callback.
#include "pipeline/handoff.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "crypto/hash.h"
#include "pipeline/commit.h"
#include "storage/audit.h"
#include "storage/users.h"
#include "tests/storage/test_util.h"

namespace claimgate::pipeline {
namespace {

using storage::AuditEntry;
using storage::AuditFilter;
using storage::Db;
using storage::ListAudit;
using storage::testing::At;
using storage::testing::OpenDb;
using storage::testing::RawExec;
using storage::testing::ScalarInt;
using storage::testing::TempDir;
using Json = nlohmann::ordered_json;

const std::vector<rules::Explanation> kNoSteps;

ConnectionConfig Config() {
  ConnectionConfig c;
  c.name = "acme";
  c.mode = ProvisioningMode::kJit;
  c.default_permissions = {"agent"};
  c.product_callback_url = "https://flex.acme.example/sso/callback";
  return c;
}

// An accepted login of `subject` carrying a fresh hand-off code.
MappedLogin Login(const std::string& subject, const std::string& assertion_id) {
  MappedLogin m;
  m.subject = subject;
  m.email = subject + "@acme.example";
  m.issuer = "https://idp.acme.example";
  m.assertion_id = assertion_id;
  m.replay_until = At("2026-01-01T01:00:00Z");
  m.worker = {{"roles", {"agent"}}, {"full_name", {"Ada Lovelace"}}};
  m.client_addr = "192.0.2.9";
  HandoffGrant g;
  Result<std::string> code = NewHandoffCode();
  BOOST_REQUIRE(code.ok());
  g.code = *code;
  g.worker = {{"full_name", "Ada Lovelace"}, {"roles", {"agent"}}};
  g.session_index = "_session-1";
  g.not_on_or_after = "2026-01-01T00:05:00.000000Z";
  m.handoff = std::move(g);
  return m;
}

// Commits `login` at `t`; returns the login's outcome (accepted expected).
CommitOutcome Issue(Db& db, const MappedLogin& login, TimePoint t) {
  CommitOutcome out = CommitLogin(db, Config(), login, kNoSteps, t);
  BOOST_REQUIRE_MESSAGE(out.status.ok(), out.status.message());
  return out;
}

AuditEntry LastAudit(Db& db) {
  Result<std::vector<AuditEntry>> rows = ListAudit(db, AuditFilter());
  BOOST_REQUIRE(rows.ok() && !rows->empty());
  return rows->back();
}

const TimePoint kT = At("2026-01-01T00:00:00Z");

BOOST_AUTO_TEST_SUITE(handoff)

BOOST_AUTO_TEST_CASE(a_code_is_256_random_bits_url_safe) {
  Result<std::string> a = NewHandoffCode();
  Result<std::string> b = NewHandoffCode();
  BOOST_REQUIRE(a.ok() && b.ok());
  BOOST_TEST(a->size() == 43u);  // 256 bits in base64url without padding
  BOOST_TEST(
      a->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);
  BOOST_TEST(*a != *b);
}

BOOST_AUTO_TEST_CASE(redeemed_once_within_its_minute_with_the_login) {
  TempDir dir;
  Db db = OpenDb(dir);
  const MappedLogin login = Login("ada", "_a1");
  const CommitOutcome issued = Issue(db, login, kT);
  RedeemOutcome ok =
      RedeemHandoffCode(db, login.handoff->code, "198.51.100.1", kT + std::chrono::seconds(59));
  BOOST_REQUIRE_MESSAGE(ok.status.ok(), ok.status.message());
  const Json body = Json::parse(ok.body);
  BOOST_TEST(body["connection"] == "acme");
  BOOST_TEST(body["user_id"] == issued.user_id);
  BOOST_TEST(body["subject"] == "ada");
  BOOST_TEST(body["email"] == "ada@acme.example");
  BOOST_TEST(body["worker"].dump() == R"({"full_name":"Ada Lovelace","roles":["agent"]})");
  BOOST_TEST(body["permissions"].dump() == R"(["agent"])");
  BOOST_TEST(body["session_index"] == "_session-1");
  BOOST_TEST(body["not_on_or_after"] == "2026-01-01T00:05:00.000000Z");
  BOOST_TEST(body["audit_id"] == issued.audit_id);
  std::vector<std::string> keys;
  for (const auto& item : body.items()) keys.push_back(item.key());
  BOOST_TEST((keys == std::vector<std::string>{"connection", "user_id", "subject", "email",
                                               "worker", "permissions", "session_index",
                                               "not_on_or_after", "audit_id"}));
  const AuditEntry row = LastAudit(db);
  BOOST_TEST(row.id == ok.audit_id);
  BOOST_TEST(row.record.event == "login.redeem");
  BOOST_TEST(row.record.decision == "accepted");
  BOOST_TEST(row.record.connection == "acme");
  BOOST_TEST(row.record.subject == "ada");
  BOOST_TEST(row.record.client_addr == "198.51.100.1");
  BOOST_TEST(row.record.detail.find("\"login_audit_id\":" + std::to_string(issued.audit_id)) !=
             std::string::npos);

  RedeemOutcome again =
      RedeemHandoffCode(db, login.handoff->code, "198.51.100.1", kT + std::chrono::seconds(59));
  BOOST_TEST(again.status.code() == "handoff.code_used");
  BOOST_TEST(again.body.empty());
  const AuditEntry refused = LastAudit(db);
  BOOST_TEST(refused.id == again.audit_id);
  BOOST_TEST(refused.record.event == "login.redeem");
  BOOST_TEST(refused.record.decision == "rejected");
  BOOST_TEST(refused.record.error_code == "handoff.code_used");
  BOOST_TEST(refused.record.subject == "ada");
  Result<storage::AuditVerification> chain = storage::VerifyAudit(db);
  BOOST_REQUIRE(chain.ok());
  BOOST_TEST(chain->ok);
  BOOST_TEST(chain->rows == 3);  // login, redeem, refused redeem
}

BOOST_AUTO_TEST_CASE(expires_after_sixty_seconds) {
  TempDir dir;
  Db db = OpenDb(dir);
  const MappedLogin late = Login("ada", "_a1");
  Issue(db, late, kT);
  RedeemOutcome r = RedeemHandoffCode(db, late.handoff->code, "", kT + std::chrono::seconds(61));
  BOOST_TEST(r.status.code() == "handoff.code_expired");
  BOOST_TEST(LastAudit(db).record.error_code == "handoff.code_expired");
  BOOST_TEST(LastAudit(db).record.subject == "ada");
  // The boundary: at exactly 60 s the code has expired (valid while now < issue + 60 s).
  const MappedLogin edge = Login("bob", "_b1");
  Issue(db, edge, kT);
  BOOST_TEST(
      RedeemHandoffCode(db, edge.handoff->code, "", kT + std::chrono::seconds(60)).status.code() ==
      "handoff.code_expired");
  const MappedLogin in_time = Login("cy", "_c1");
  Issue(db, in_time, kT);
  BOOST_TEST(
      RedeemHandoffCode(db, in_time.handoff->code, "", kT + std::chrono::seconds(59)).status.ok());
}

BOOST_AUTO_TEST_CASE(a_user_disabled_before_the_redeem_is_refused) {
  TempDir dir;
  Db db = OpenDb(dir);
  const MappedLogin login = Login("ada", "_d1");
  Issue(db, login, kT);
  {
    Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(
        storage::SetUserStatus(*txn, Config().name, "ada", storage::UserStatus::kDisabled, kT)
            .ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  RedeemOutcome r = RedeemHandoffCode(db, login.handoff->code, "", kT + std::chrono::seconds(5));
  BOOST_TEST(r.status.code() == "provisioning.user_disabled");
  BOOST_TEST(r.body.empty());
  BOOST_TEST(LastAudit(db).record.error_code == "provisioning.user_disabled");
}

BOOST_AUTO_TEST_CASE(unknown_codes_are_refused_and_audited) {
  TempDir dir;
  Db db = OpenDb(dir);
  RedeemOutcome r = RedeemHandoffCode(db, "no-such-code", "203.0.113.5", kT);
  BOOST_TEST(r.status.code() == "handoff.unknown_code");
  BOOST_TEST(r.audit_id > 0);
  const AuditEntry row = LastAudit(db);
  BOOST_TEST(row.record.event == "login.redeem");
  BOOST_TEST(row.record.error_code == "handoff.unknown_code");
  BOOST_TEST(row.record.connection == "");
  BOOST_TEST(row.record.subject == "");
  BOOST_TEST(row.record.client_addr == "203.0.113.5");
  BOOST_TEST(row.record.detail.find("no-such-code") == std::string::npos);  // codes stay out
}

BOOST_AUTO_TEST_CASE(only_the_hash_is_stored_the_plain_code_nowhere) {
  TempDir dir;
  MappedLogin login = Login("ada", "_a1");
  {
    Db db = OpenDb(dir);
    Issue(db, login, kT);
    BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM handoff_codes WHERE code_hash = '" +
                                 crypto::Sha256Hex(login.handoff->code) + "'") == 1);
    BOOST_TEST(RedeemHandoffCode(db, login.handoff->code, "", kT).status.ok());
  }
  std::string bytes;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::ifstream in(dir.File(std::string("test.db") + suffix), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    bytes += s.str();
  }
  BOOST_TEST(bytes.find("Ada Lovelace") != std::string::npos);  // the payload is there
  BOOST_TEST(bytes.find(login.handoff->code) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failed_commit_leaves_no_code_and_no_login) {
  TempDir dir;
  Db db = OpenDb(dir);
  RawExec(dir.File("test.db"),
          "CREATE TRIGGER boom BEFORE INSERT ON handoff_codes BEGIN "
          "SELECT RAISE(ABORT, 'disk says no'); END");
  const MappedLogin login = Login("ada", "_a1");
  CommitOutcome out = CommitLogin(db, Config(), login, kNoSteps, kT);
  BOOST_TEST(out.status.code() == "storage.constraint");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM handoff_codes") == 0);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay") == 0);
  BOOST_TEST(LastAudit(db).record.decision == "rejected");  // the refusal is recorded
  BOOST_TEST(RedeemHandoffCode(db, login.handoff->code, "", kT).status.code() ==
             "handoff.unknown_code");
}

BOOST_AUTO_TEST_CASE(a_refused_login_issues_no_code) {
  TempDir dir;
  Db db = OpenDb(dir);
  ConnectionConfig config = Config();
  config.mode = ProvisioningMode::kExistingOnly;
  const MappedLogin login = Login("ada", "_a1");
  CommitOutcome out = CommitLogin(db, config, login, kNoSteps, kT);
  BOOST_TEST(out.status.code() == "provisioning.unknown_user");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM handoff_codes") == 0);
}

BOOST_AUTO_TEST_CASE(a_login_without_a_grant_issues_no_code) {
  TempDir dir;
  Db db = OpenDb(dir);
  MappedLogin login = Login("ada", "_a1");
  login.handoff.reset();
  Issue(db, login, kT);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM handoff_codes") == 0);
}

BOOST_AUTO_TEST_CASE(long_expired_codes_are_pruned) {
  TempDir dir;
  Db db = OpenDb(dir);
  const MappedLogin old = Login("ada", "_a1");
  Issue(db, old, kT);
  // Within the retention a late redeem is told "expired"...
  BOOST_TEST(
      RedeemHandoffCode(db, old.handoff->code, "", kT + std::chrono::minutes(5)).status.code() ==
      "handoff.code_expired");
  // ...after it, the row is gone (pruned by the next issue or redeem).
  Issue(db, Login("bob", "_b1"), kT + kHandoffCodeLifetime + kHandoffCodeRetention);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM handoff_codes") == 1);
  BOOST_TEST(
      RedeemHandoffCode(db, old.handoff->code, "", kT + std::chrono::hours(1)).status.code() ==
      "handoff.unknown_code");
}

// Sixteen redeems of one code at once, each on its own connection to the database: exactly one
// succeeds. Once under a shared write lock (serve), once with none (separate processes: only
// BEGIN IMMEDIATE and the conditional UPDATE stand between them).
BOOST_AUTO_TEST_CASE(concurrent_redeems_succeed_exactly_once) {
  for (bool with_lock : {true, false}) {
    TempDir dir;
    Db setup = OpenDb(dir);
    const MappedLogin login = Login("ada", "_a1");
    Issue(setup, login, kT);
    std::mutex write_lock;
    std::vector<std::string> codes(16);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      threads.emplace_back([&, i] {
        Result<Db> db = Db::Open(dir.File("test.db"));
        if (!db.ok()) {
          codes[i] = "open failed";
          return;
        }
        codes[i] = std::string(
            RedeemHandoffCode(*db, login.handoff->code, "", kT, with_lock ? &write_lock : nullptr)
                .status.code());
      });
    }
    for (std::thread& t : threads) t.join();
    BOOST_TEST_CONTEXT("with_lock=" << with_lock) {
      BOOST_TEST(std::count(codes.begin(), codes.end(), "") == 1);
      BOOST_TEST(std::count(codes.begin(), codes.end(), "handoff.code_used") == 15);
      BOOST_TEST(ScalarInt(setup, "SELECT count(*) FROM audit WHERE event = 'login.redeem'") == 16);
    }
  }
}

BOOST_AUTO_TEST_CASE(redirect_to_the_callback) {
  BOOST_TEST(HandoffRedirect("https://p.example/cb", "abc_-1", "") ==
             "https://p.example/cb?claimgate_code=abc_-1");
  BOOST_TEST(HandoffRedirect("https://p.example/cb?tenant=7", "abc", "") ==
             "https://p.example/cb?tenant=7&claimgate_code=abc");
  BOOST_TEST(HandoffRedirect("https://p.example/cb", "abc", "https://p.example/q?a=1&b=2") ==
             "https://p.example/cb?claimgate_code=abc"
             "&relay_state=https%3A%2F%2Fp.example%2Fq%3Fa%3D1%26b%3D2");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::pipeline
