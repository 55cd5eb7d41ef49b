// storage/provision.h: every mode, the attribute policy on return, disabled users, domains,
// replay, earlier-stage rejections, and the audit row each decision writes.
#include "storage/provision.h"

#include <boost/test/unit_test.hpp>

#include "storage/admin.h"
#include "storage/audit.h"
#include "storage/replay.h"
#include "storage/users.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::At;
using testing::OpenDb;
using testing::ScalarInt;
using testing::ScalarText;
using testing::T0;
using testing::TempDir;

ProvisionRequest Login(const std::string& subject, const std::string& assertion_id) {
  ProvisionRequest r;
  r.connection = "acme";
  r.mode = ProvisioningMode::kJit;
  r.subject = subject;
  r.email = subject + "@acme.com";
  r.issuer = "https://idp.acme.com";
  r.assertion_id = assertion_id;
  r.replay_until = At("2026-01-01T00:10:00Z");
  r.worker = {{"roles", {"agent", "admin"}}, {"image_url", {"a.png"}}};
  r.default_permissions = {"agent"};
  r.policies.per_attribute = {{"roles", AttributePolicy::kAlways},
                              {"image_url", AttributePolicy::kOnCreate}};
  r.client_addr = "192.0.2.7";
  r.rules_explanation = R"({"roles":"from userType"})";
  return r;
}

AuditEntry LastAudit(Db& db) {
  Result<std::vector<AuditEntry>> rows = ListAudit(db, AuditFilter());
  BOOST_REQUIRE(rows.ok() && !rows->empty());
  return rows->back();
}

User MustFind(Db& db, const std::string& subject) {
  Result<std::optional<User>> u = FindUser(db, "acme", subject);
  BOOST_REQUIRE(u.ok() && u->has_value());
  return **u;
}

void ExpectRejected(Db& db, const ProvisionOutcome& out, const char* code) {
  BOOST_TEST(out.status.code() == code);
  BOOST_TEST((out.action == ProvisionAction::kNone));
  BOOST_TEST(out.user_id == 0);
  BOOST_TEST(out.audit_id > 0);
  const AuditEntry row = LastAudit(db);
  BOOST_TEST(row.id == out.audit_id);
  BOOST_TEST(row.record.decision == "rejected");
  BOOST_TEST(row.record.error_code == code);
  BOOST_TEST(row.record.detail.find("\"message\"") != std::string::npos);
  BOOST_TEST(VerifyAudit(db)->ok);
}

BOOST_AUTO_TEST_SUITE(provision)

BOOST_AUTO_TEST_CASE(parse_modes) {
  BOOST_TEST((*ParseProvisioningMode("jit") == ProvisioningMode::kJit));
  BOOST_TEST((*ParseProvisioningMode("existing-only") == ProvisioningMode::kExistingOnly));
  BOOST_TEST((*ParseProvisioningMode("jit-idp-initiated") == ProvisioningMode::kJitIdpInitiated));
  BOOST_TEST(ParseProvisioningMode("JIT").status().code() == "provisioning.invalid_request");
}

BOOST_AUTO_TEST_CASE(jit_creates_with_default_permissions_and_audits) {
  TempDir dir;
  Db db = OpenDb(dir);
  const ProvisionOutcome out = Provision(db, Login("alice", "_a1"), T0());
  BOOST_REQUIRE_MESSAGE(out.status.ok(), out.status.message());
  BOOST_TEST((out.action == ProvisionAction::kCreated));
  const User u = MustFind(db, "alice");
  BOOST_TEST(out.user_id == u.id);
  BOOST_TEST((u.permissions == std::vector<std::string>{"agent"}));
  BOOST_TEST(u.email == "alice@acme.com");
  BOOST_TEST((u.origin == UserOrigin::kJit));
  BOOST_TEST(u.last_login == "2026-01-01T00:00:00.000000Z");
  const AuditEntry row = LastAudit(db);
  BOOST_TEST(row.id == out.audit_id);
  BOOST_TEST(row.record.event == "login");
  BOOST_TEST(row.record.decision == "accepted");
  BOOST_TEST(row.record.error_code == "");
  BOOST_TEST(row.record.assertion_id == "_a1");
  BOOST_TEST(row.record.issuer == "https://idp.acme.com");
  BOOST_TEST(row.record.client_addr == "192.0.2.7");
  BOOST_TEST(row.record.detail ==
             R"({"action":"created","attributes":{"added":{"image_url":["a.png"],)"
             R"("roles":["agent","admin"]}},"permissions":["agent"],)"
             R"("rules":{"roles":"from userType"}})");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_a1'") == 1);
}

BOOST_AUTO_TEST_CASE(returning_user_policy_always_on_create_and_email) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("alice", "_a1"), T0()).status.ok());
  ProvisionRequest again = Login("alice", "_a2");
  again.worker = {{"roles", {"agent"}}, {"image_url", {"new.png"}}};
  again.email = "alice@new.acme.com";
  const ProvisionOutcome out = Provision(db, again, At("2026-01-01T00:01:00Z"));
  BOOST_REQUIRE(out.status.ok());
  BOOST_TEST((out.action == ProvisionAction::kUpdated));
  const User u = MustFind(db, "alice");
  BOOST_TEST((u.attributes.at("roles") == std::vector<std::string>{"agent"}));      // admin removed
  BOOST_TEST((u.attributes.at("image_url") == std::vector<std::string>{"a.png"}));  // on_create
  BOOST_TEST(u.email == "alice@new.acme.com");
  BOOST_TEST((u.permissions == std::vector<std::string>{"agent"}));
  BOOST_TEST(LastAudit(db).record.detail ==
             R"({"action":"updated","attributes":{"changed":{"roles":{"removed":["admin"]}}},)"
             R"("email":{"from":"alice@acme.com","to":"alice@new.acme.com"},)"
             R"("rules":{"roles":"from userType"}})");
}

BOOST_AUTO_TEST_CASE(returning_user_with_nothing_new_is_unchanged) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("alice", "_a1"), T0()).status.ok());
  const ProvisionOutcome out = Provision(db, Login("alice", "_a2"), At("2026-01-01T00:02:00Z"));
  BOOST_REQUIRE(out.status.ok());
  BOOST_TEST((out.action == ProvisionAction::kUnchanged));
  const User u = MustFind(db, "alice");
  BOOST_TEST(u.updated == "2026-01-01T00:00:00.000000Z");
  BOOST_TEST(u.last_login == "2026-01-01T00:02:00.000000Z");
}

BOOST_AUTO_TEST_CASE(email_policy_on_create_keeps_the_first_email) {
  TempDir dir;
  Db db = OpenDb(dir);
  ProvisionRequest r = Login("alice", "_a1");
  r.policies.per_attribute["email"] = AttributePolicy::kOnCreate;
  BOOST_REQUIRE(Provision(db, r, T0()).status.ok());
  r.assertion_id = "_a2";
  r.email = "other@acme.com";
  const ProvisionOutcome out = Provision(db, r, T0());
  BOOST_TEST((out.action == ProvisionAction::kUnchanged));
  BOOST_TEST(MustFind(db, "alice").email == "alice@acme.com");
}

BOOST_AUTO_TEST_CASE(replay_is_rejected_and_changes_nothing) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("alice", "_a1"), T0()).status.ok());
  ProvisionRequest replayed = Login("alice", "_a1");
  replayed.worker = {{"roles", {"admin"}}};
  ExpectRejected(db, Provision(db, replayed, At("2026-01-01T00:05:00Z")), "replay.detected");
  BOOST_TEST(
      (MustFind(db, "alice").attributes.at("roles") == std::vector<std::string>{"agent", "admin"}));
  // After NotOnOrAfter + skew the ID is free again.
  BOOST_TEST(Provision(db, replayed, At("2026-01-01T00:10:00Z")).status.ok());
}

BOOST_AUTO_TEST_CASE(pending_request_is_consumed_in_the_login_transaction) {
  TempDir dir;
  Db db = OpenDb(dir);
  {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_req1", "", At("2026-01-01T00:05:00Z")).ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  ProvisionRequest r = Login("alice", "_a1");
  r.solicited = true;
  r.consume_request_id = "_req1";
  BOOST_REQUIRE(Provision(db, r, T0()).status.ok());
  // The pending request is spent by the committed login.
  r.assertion_id = "_a2";
  ExpectRejected(db, Provision(db, r, T0()), "in_response_to.request_reused");
  r.consume_request_id = "_nope";
  ExpectRejected(db, Provision(db, r, T0()), "in_response_to.unknown_request");
  // A failed consumption rolls back: _a2 was not spent and is still usable.
  r.consume_request_id.clear();
  BOOST_TEST(Provision(db, r, T0()).status.ok());
}

BOOST_AUTO_TEST_CASE(each_login_prunes_expired_replay_entries) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("alice", "_a1"), T0()).status.ok());  // until 00:10
  ProvisionRequest later = Login("bob", "_b1");
  later.replay_until = At("2026-01-01T01:00:00Z");
  BOOST_REQUIRE(Provision(db, later, At("2026-01-01T00:10:00Z")).status.ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_a1'") == 0);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_b1'") == 1);
}

BOOST_AUTO_TEST_CASE(existing_only_rejects_unknown_and_accepts_added_users) {
  TempDir dir;
  Db db = OpenDb(dir);
  ProvisionRequest r = Login("carol", "_c1");
  r.mode = ProvisioningMode::kExistingOnly;
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.unknown_user");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
  // The assertion is spent even though the login was refused.
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_c1'") == 1);
  NewUser carol{"acme", "carol", "carol@acme.com", {}, {"owner"}, UserOrigin::kAdmin, false};
  BOOST_REQUIRE(AdminAddUser(db, carol, T0()).ok());
  r.assertion_id = "_c2";
  const ProvisionOutcome out = Provision(db, r, T0());
  BOOST_REQUIRE(out.status.ok());
  BOOST_TEST((out.action == ProvisionAction::kUpdated));  // attributes taken from the IdP
  BOOST_TEST((MustFind(db, "carol").permissions == std::vector<std::string>{"owner"}));
}

BOOST_AUTO_TEST_CASE(jit_idp_initiated_creates_only_unsolicited) {
  TempDir dir;
  Db db = OpenDb(dir);
  ProvisionRequest r = Login("dave", "_d1");
  r.mode = ProvisioningMode::kJitIdpInitiated;
  r.solicited = true;
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.sp_initiated_jit");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
  r.assertion_id = "_d2";
  r.solicited = false;
  const ProvisionOutcome created = Provision(db, r, T0());
  BOOST_REQUIRE(created.status.ok());
  BOOST_TEST((created.action == ProvisionAction::kCreated));
  // Once the account exists, SP-initiated sign-in is fine.
  r.assertion_id = "_d3";
  r.solicited = true;
  BOOST_TEST(Provision(db, r, T0()).status.ok());
}

BOOST_AUTO_TEST_CASE(disabled_user_is_rejected_in_every_mode) {
  for (ProvisioningMode mode : {ProvisioningMode::kJit, ProvisioningMode::kExistingOnly,
                                ProvisioningMode::kJitIdpInitiated}) {
    TempDir dir;
    Db db = OpenDb(dir);
    BOOST_REQUIRE(Provision(db, Login("erin", "_e1"), T0()).status.ok());
    BOOST_REQUIRE(AdminSetUserStatus(db, "acme", "erin", UserStatus::kDisabled, T0()).ok());
    ProvisionRequest r = Login("erin", "_e2");
    r.mode = mode;
    r.worker = {{"roles", {"admin"}}};
    ExpectRejected(db, Provision(db, r, T0()), "provisioning.user_disabled");
    BOOST_TEST((MustFind(db, "erin").attributes.at("roles") ==
                std::vector<std::string>{"agent", "admin"}));
  }
}

BOOST_AUTO_TEST_CASE(enforced_domains) {
  TempDir dir;
  Db db = OpenDb(dir);
  ProvisionRequest r = Login("frank", "_f1");
  r.enforced_domains = {"ACME.com"};
  r.email = "frank@Acme.COM";
  BOOST_TEST(Provision(db, r, T0()).status.ok());
  for (const char* email : {"frank@evil.com", "frank@acme.com.evil.com", "frank", "frank@", ""}) {
    BOOST_TEST_CONTEXT(email) {
      r.assertion_id = std::string("_f-") + email;
      r.email = email;
      ExpectRejected(db, Provision(db, r, T0()), "provisioning.domain_not_allowed");
    }
  }
}

BOOST_AUTO_TEST_CASE(earlier_stage_rejection_writes_only_its_audit_row) {
  TempDir dir;
  Db db = OpenDb(dir);
  ProvisionRequest r = Login("mallory", "_m1");
  r.prior = Status::Error(errors::kSignatureInvalid, "SignatureValue does not verify")
                .WithDetail("key 1: RSA verify false");
  ExpectRejected(db, Provision(db, r, T0()), "signature.invalid");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay") == 0);  // unverified IDs not recorded
  BOOST_TEST(ScalarText(db, "SELECT detail FROM audit") ==
             R"({"error_detail":"key 1: RSA verify false",)"
             R"("message":"SignatureValue does not verify",)"
             R"("rules":{"roles":"from userType"}})");
}

BOOST_AUTO_TEST_CASE(invalid_requests_and_unknown_connection) {
  TempDir dir;
  Db db = OpenDb(dir);
  ProvisionRequest r = Login("", "_x");
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.invalid_request");
  r = Login("gus", "");
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.invalid_request");
  r = Login("gus", "_g");
  r.connection = "ghost";
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.unknown_connection");
  BOOST_TEST(LastAudit(db).record.connection == "ghost");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
}

BOOST_AUTO_TEST_CASE(storage_failure_rolls_back_and_still_audits) {
  TempDir dir;
  Db db = OpenDb(dir);
  // A trigger makes the account insert fail after the replay entry was written.
  testing::RawExec(dir.File("test.db"),
                   "CREATE TRIGGER boom BEFORE INSERT ON users BEGIN "
                   "SELECT RAISE(ABORT, 'disk says no'); END");
  ExpectRejected(db, Provision(db, Login("hal", "_h1"), T0()), "storage.constraint");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay") == 0);  // rolled back
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
}

BOOST_AUTO_TEST_CASE(bad_rules_explanation_is_kept_as_a_string) {
  TempDir dir;
  Db db = OpenDb(dir);
  ProvisionRequest r = Login("ida", "_i1");
  r.rules_explanation = "not json {";
  r.worker = {};
  BOOST_REQUIRE(Provision(db, r, T0()).status.ok());
  BOOST_TEST(LastAudit(db).record.detail ==
             R"({"action":"created","permissions":["agent"],"rules":"not json {"})");
}

BOOST_AUTO_TEST_CASE(an_email_never_links_to_another_subjects_account) {
  // SECURITY.md H01: accounts are keyed on (connection, NameID subject). Someone who sets their
  // email at the IdP to the victim's gets an account of their own, never the victim's.
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("victim", "_v1"), T0()).status.ok());
  BOOST_REQUIRE(AdminGrantPermission(db, "acme", "victim", "billing_admin", T0()).ok());
  ProvisionRequest mallory = Login("mallory", "_m1");
  mallory.email = "victim@acme.com";
  mallory.worker = {{"roles", {"agent"}}, {"image_url", {"evil.png"}}};
  const ProvisionOutcome out = Provision(db, mallory, At("2026-01-01T00:01:00Z"));
  BOOST_REQUIRE(out.status.ok());
  BOOST_TEST((out.action == ProvisionAction::kCreated));
  const User victim = MustFind(db, "victim");
  const User other = MustFind(db, "mallory");
  BOOST_TEST(out.user_id == other.id);
  BOOST_TEST(other.id != victim.id);
  // The victim's account is untouched: its permissions, attributes and email.
  BOOST_TEST((victim.permissions == std::vector<std::string>{"agent", "billing_admin"}));
  BOOST_TEST((victim.attributes.at("image_url") == std::vector<std::string>{"a.png"}));
  BOOST_TEST(victim.email == "victim@acme.com");
  BOOST_TEST((other.permissions == std::vector<std::string>{"agent"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
