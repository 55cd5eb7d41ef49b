// pipeline/commit.h: admit → commit for every mode, the attribute policy on return, disabled
// users, domains, replay, pending requests, refusals before the commit stage, and the audit row
// each decision writes.
#include "pipeline/commit.h"

#include <boost/test/unit_test.hpp>

#include "base/civil_time.h"
#include "storage/admin.h"
#include "storage/audit.h"
#include "storage/replay.h"
#include "storage/users.h"
#include "tests/storage/test_util.h"

namespace claimgate::pipeline {
namespace {

using storage::AdminAddUser;
using storage::AdminGrantPermission;
using storage::AdminSetUserStatus;
using storage::AuditEntry;
using storage::AuditFilter;
using storage::CreatePendingRequest;
using storage::Db;
using storage::FindUser;
using storage::ListAudit;
using storage::NewUser;
using storage::Txn;
using storage::User;
using storage::UserOrigin;
using storage::UserStatus;
using storage::VerifyAudit;
using storage::testing::At;
using storage::testing::OpenDb;
using storage::testing::ScalarInt;
using storage::testing::ScalarText;
using storage::testing::T0;
using storage::testing::TempDir;

// The mapping's steps every test login carries into its audit row.
const std::vector<rules::Explanation> kExplanation = {
    {"roles", "from", "$.attributes.roles", "userType", {"agent", "admin"}, ""}};
constexpr char kRulesJson[] =
    R"("rules":[{"attr":"roles","event":"from","rule":"$.attributes.roles","source":"userType",)"
    R"("values":["agent","admin"]}])";

// One login of connection "acme" as the commit stage receives it.
struct Request {
  ConnectionConfig config;
  MappedLogin login;
};

Request Login(const std::string& subject, const std::string& assertion_id) {
  Request r;
  r.config.name = "acme";
  r.config.mode = ProvisioningMode::kJit;
  r.config.default_permissions = {"agent"};
  r.config.attribute_policies.per_attribute = {{"roles", AttributePolicy::kAlways},
                                               {"image_url", AttributePolicy::kOnCreate}};
  r.login.subject = subject;
  r.login.email = subject + "@acme.com";
  r.login.issuer = "https://idp.acme.com";
  r.login.assertion_id = assertion_id;
  r.login.replay_until = At("2026-01-01T00:10:00Z");
  r.login.worker = {{"roles", {"agent", "admin"}}, {"image_url", {"a.png"}}};
  r.login.client_addr = "192.0.2.7";
  return r;
}

CommitOutcome Provision(Db& db, const Request& r, TimePoint now) {
  return CommitLogin(db, r.config, r.login, kExplanation, now);
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

void ExpectRejected(Db& db, const CommitOutcome& out, const char* code) {
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

BOOST_AUTO_TEST_SUITE(commit)

// DESIGN.md "Audit integrity": the clock a login is checked with (the CLI's --now) does not
// date its audit row; the wall clock at commit does. Accepted and refused rows alike.
BOOST_AUTO_TEST_CASE(audit_rows_are_dated_by_the_wall_clock_not_the_validity_clock) {
  TempDir dir;
  Db db = OpenDb(dir);
  const TimePoint far = At("2200-01-01T00:00:00Z");
  Request r = Login("alice", "_far");
  r.login.replay_until = far + std::chrono::minutes(10);
  const TimePoint before = SystemClock().Now();
  const CommitOutcome accepted = Provision(db, r, far);
  BOOST_REQUIRE(accepted.status.ok());
  Refusal refusal{"acme", "bob", "https://idp.acme.com",
                  "_b",   "",    Status::Error(errors::kSignatureInvalid, "bad")};
  const CommitOutcome refused = RecordRefusal(db, refusal, nullptr);
  const TimePoint after = SystemClock().Now();
  Result<std::vector<AuditEntry>> rows = ListAudit(db, AuditFilter());
  BOOST_REQUIRE(rows.ok() && rows->size() == 2u);
  for (const AuditEntry& e : *rows) {
    std::optional<TimePoint> t = ParseDateTime(e.time);
    BOOST_REQUIRE(t.has_value());
    BOOST_TEST((*t >= before && *t <= after), e.time);
    BOOST_TEST(e.record.actor == "idp");
  }
  BOOST_TEST((*rows)[0].id == accepted.audit_id);
  BOOST_TEST((*rows)[1].id == refused.audit_id);
  // The validity clock still drives what it checks: the account's login time.
  BOOST_TEST(MustFind(db, "alice").last_login == "2200-01-01T00:00:00.000000Z");
}

BOOST_AUTO_TEST_CASE(the_outcome_carries_what_was_stored_after_the_policy) {
  TempDir dir;
  Db db = OpenDb(dir);
  const CommitOutcome created = Provision(db, Login("alice", "_s1"), T0());
  BOOST_REQUIRE(created.status.ok());
  BOOST_TEST((created.stored.at("image_url") == std::vector<std::string>{"a.png"}));
  Request again = Login("alice", "_s2");
  again.login.worker["image_url"] = {"b.png"};  // on_create: the stored value stays
  again.login.worker["roles"] = {"agent"};      // always: replaced
  const CommitOutcome updated = Provision(db, again, T0());
  BOOST_REQUIRE(updated.status.ok());
  BOOST_TEST((updated.stored.at("image_url") == std::vector<std::string>{"a.png"}));
  BOOST_TEST((updated.stored.at("roles") == std::vector<std::string>{"agent"}));
  Request replayed = Login("alice", "_s2");
  BOOST_TEST(Provision(db, replayed, T0()).stored.empty());
}

BOOST_AUTO_TEST_CASE(parse_modes) {
  BOOST_TEST((*ParseProvisioningMode("jit") == ProvisioningMode::kJit));
  BOOST_TEST((*ParseProvisioningMode("existing-only") == ProvisioningMode::kExistingOnly));
  BOOST_TEST((*ParseProvisioningMode("jit-idp-initiated") == ProvisioningMode::kJitIdpInitiated));
  BOOST_TEST(!ParseProvisioningMode("JIT").has_value());
}

BOOST_AUTO_TEST_CASE(jit_creates_with_default_permissions_and_audits) {
  TempDir dir;
  Db db = OpenDb(dir);
  const CommitOutcome out = Provision(db, Login("alice", "_a1"), T0());
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
             R"("roles":["agent","admin"]}},"permissions":["agent"],)" +
                 std::string(kRulesJson) + "}");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_a1'") == 1);
}

BOOST_AUTO_TEST_CASE(returning_user_policy_always_on_create_and_email) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("alice", "_a1"), T0()).status.ok());
  Request again = Login("alice", "_a2");
  again.login.worker = {{"roles", {"agent"}}, {"image_url", {"new.png"}}};
  again.login.email = "alice@new.acme.com";
  const CommitOutcome out = Provision(db, again, At("2026-01-01T00:01:00Z"));
  BOOST_REQUIRE(out.status.ok());
  BOOST_TEST((out.action == ProvisionAction::kUpdated));
  const User u = MustFind(db, "alice");
  BOOST_TEST((u.attributes.at("roles") == std::vector<std::string>{"agent"}));      // admin removed
  BOOST_TEST((u.attributes.at("image_url") == std::vector<std::string>{"a.png"}));  // on_create
  BOOST_TEST(u.email == "alice@new.acme.com");
  BOOST_TEST((u.permissions == std::vector<std::string>{"agent"}));
  BOOST_TEST(LastAudit(db).record.detail ==
             R"({"action":"updated","attributes":{"changed":{"roles":{"removed":["admin"]}}},)"
             R"("email":{"from":"alice@acme.com","to":"alice@new.acme.com"},)" +
                 std::string(kRulesJson) + "}");
}

BOOST_AUTO_TEST_CASE(returning_user_with_nothing_new_is_unchanged) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("alice", "_a1"), T0()).status.ok());
  const CommitOutcome out = Provision(db, Login("alice", "_a2"), At("2026-01-01T00:02:00Z"));
  BOOST_REQUIRE(out.status.ok());
  BOOST_TEST((out.action == ProvisionAction::kUnchanged));
  const User u = MustFind(db, "alice");
  BOOST_TEST(u.updated == "2026-01-01T00:00:00.000000Z");
  BOOST_TEST(u.last_login == "2026-01-01T00:02:00.000000Z");
}

BOOST_AUTO_TEST_CASE(email_policy_on_create_keeps_the_first_email) {
  TempDir dir;
  Db db = OpenDb(dir);
  Request r = Login("alice", "_a1");
  r.config.attribute_policies.per_attribute["email"] = AttributePolicy::kOnCreate;
  BOOST_REQUIRE(Provision(db, r, T0()).status.ok());
  r.login.assertion_id = "_a2";
  r.login.email = "other@acme.com";
  const CommitOutcome out = Provision(db, r, T0());
  BOOST_TEST((out.action == ProvisionAction::kUnchanged));
  BOOST_TEST(MustFind(db, "alice").email == "alice@acme.com");
}

BOOST_AUTO_TEST_CASE(replay_is_rejected_and_changes_nothing) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("alice", "_a1"), T0()).status.ok());
  Request replayed = Login("alice", "_a1");
  replayed.login.worker = {{"roles", {"admin"}}};
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
  Request r = Login("alice", "_a1");
  r.login.solicitation.solicited = true;
  r.login.solicitation.pending_request_id = "_req1";
  BOOST_REQUIRE(Provision(db, r, T0()).status.ok());
  // The pending request is spent by the committed login.
  r.login.assertion_id = "_a2";
  ExpectRejected(db, Provision(db, r, T0()), "in_response_to.request_reused");
  r.login.solicitation.pending_request_id = "_nope";
  ExpectRejected(db, Provision(db, r, T0()), "in_response_to.unknown_request");
  // A failed consumption rolls back: _a2 was not spent and is still usable.
  r.login.solicitation.pending_request_id.clear();
  BOOST_TEST(Provision(db, r, T0()).status.ok());
}

BOOST_AUTO_TEST_CASE(each_login_prunes_expired_replay_entries) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("alice", "_a1"), T0()).status.ok());  // until 00:10
  Request later = Login("bob", "_b1");
  later.login.replay_until = At("2026-01-01T01:00:00Z");
  BOOST_REQUIRE(Provision(db, later, At("2026-01-01T00:10:00Z")).status.ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_a1'") == 0);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_b1'") == 1);
}

BOOST_AUTO_TEST_CASE(existing_only_rejects_unknown_and_accepts_added_users) {
  TempDir dir;
  Db db = OpenDb(dir);
  Request r = Login("carol", "_c1");
  r.config.mode = ProvisioningMode::kExistingOnly;
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.unknown_user");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
  // The assertion is spent even though the login was refused.
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_c1'") == 1);
  NewUser carol{"acme", "carol", "carol@acme.com", {}, {"owner"}, UserOrigin::kAdmin, false};
  BOOST_REQUIRE(AdminAddUser(db, carol, T0(), "cli:test").ok());
  r.login.assertion_id = "_c2";
  const CommitOutcome out = Provision(db, r, T0());
  BOOST_REQUIRE(out.status.ok());
  BOOST_TEST((out.action == ProvisionAction::kUpdated));  // attributes taken from the IdP
  BOOST_TEST((MustFind(db, "carol").permissions == std::vector<std::string>{"owner"}));
}

BOOST_AUTO_TEST_CASE(jit_idp_initiated_creates_only_unsolicited) {
  TempDir dir;
  Db db = OpenDb(dir);
  Request r = Login("dave", "_d1");
  r.config.mode = ProvisioningMode::kJitIdpInitiated;
  r.login.solicitation.solicited = true;
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.sp_initiated_jit");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
  r.login.assertion_id = "_d2";
  r.login.solicitation.solicited = false;
  const CommitOutcome created = Provision(db, r, T0());
  BOOST_REQUIRE(created.status.ok());
  BOOST_TEST((created.action == ProvisionAction::kCreated));
  // Once the account exists, SP-initiated sign-in is fine.
  r.login.assertion_id = "_d3";
  r.login.solicitation.solicited = true;
  BOOST_TEST(Provision(db, r, T0()).status.ok());
}

BOOST_AUTO_TEST_CASE(disabled_user_is_rejected_in_every_mode) {
  for (ProvisioningMode mode : {ProvisioningMode::kJit, ProvisioningMode::kExistingOnly,
                                ProvisioningMode::kJitIdpInitiated}) {
    TempDir dir;
    Db db = OpenDb(dir);
    BOOST_REQUIRE(Provision(db, Login("erin", "_e1"), T0()).status.ok());
    BOOST_REQUIRE(
        AdminSetUserStatus(db, "acme", "erin", UserStatus::kDisabled, T0(), "cli:test").ok());
    Request r = Login("erin", "_e2");
    r.config.mode = mode;
    r.login.worker = {{"roles", {"admin"}}};
    ExpectRejected(db, Provision(db, r, T0()), "provisioning.user_disabled");
    BOOST_TEST((MustFind(db, "erin").attributes.at("roles") ==
                std::vector<std::string>{"agent", "admin"}));
  }
}

BOOST_AUTO_TEST_CASE(enforced_domains) {
  TempDir dir;
  Db db = OpenDb(dir);
  Request r = Login("frank", "_f1");
  r.config.enforced_domains = {"ACME.com"};
  r.login.email = "frank@Acme.COM";
  BOOST_TEST(Provision(db, r, T0()).status.ok());
  for (const char* email : {"frank@evil.com", "frank@acme.com.evil.com", "frank", "frank@", ""}) {
    BOOST_TEST_CONTEXT(email) {
      r.login.assertion_id = std::string("_f-") + email;
      r.login.email = email;
      ExpectRejected(db, Provision(db, r, T0()), "provisioning.domain_not_allowed");
    }
  }
}

BOOST_AUTO_TEST_CASE(earlier_stage_rejection_writes_only_its_audit_row) {
  TempDir dir;
  Db db = OpenDb(dir);
  Refusal r{"acme",
            "mallory",
            "https://idp.acme.com",
            "_m1",
            "192.0.2.7",
            Status::Error(errors::kSignatureInvalid, "SignatureValue does not verify")
                .WithDetail("key 1: RSA verify false")};
  ExpectRejected(db, RecordRefusal(db, r, &kExplanation), "signature.invalid");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay") == 0);  // unverified IDs not recorded
  BOOST_TEST(ScalarText(db, "SELECT detail FROM audit") ==
             R"({"error_detail":"key 1: RSA verify false",)"
             R"("message":"SignatureValue does not verify",)" +
                 std::string(kRulesJson) + "}");
  // Before the mapping ran there is no explanation at all.
  ExpectRejected(db, RecordRefusal(db, r, nullptr), "signature.invalid");
  BOOST_TEST(LastAudit(db).record.detail == R"({"error_detail":"key 1: RSA verify false",)"
                                            R"("message":"SignatureValue does not verify"})");
}

BOOST_AUTO_TEST_CASE(invalid_requests_and_unknown_connection) {
  TempDir dir;
  Db db = OpenDb(dir);
  Request r = Login("", "_x");
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.invalid_request");
  r = Login("gus", "");
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.invalid_request");
  r = Login("gus", "_g");
  r.config.name = "ghost";
  ExpectRejected(db, Provision(db, r, T0()), "provisioning.unknown_connection");
  BOOST_TEST(LastAudit(db).record.connection == "ghost");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
}

BOOST_AUTO_TEST_CASE(storage_failure_rolls_back_and_still_audits) {
  TempDir dir;
  Db db = OpenDb(dir);
  // A trigger makes the account insert fail after the replay entry was written.
  storage::testing::RawExec(dir.File("test.db"),
                            "CREATE TRIGGER boom BEFORE INSERT ON users BEGIN "
                            "SELECT RAISE(ABORT, 'disk says no'); END");
  ExpectRejected(db, Provision(db, Login("hal", "_h1"), T0()), "storage.constraint");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay") == 0);  // rolled back
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
}

BOOST_AUTO_TEST_CASE(an_empty_worker_creates_an_account_without_attributes) {
  TempDir dir;
  Db db = OpenDb(dir);
  Request r = Login("ida", "_i1");
  r.login.worker = {};
  BOOST_REQUIRE(CommitLogin(db, r.config, r.login, {}, T0()).status.ok());
  BOOST_TEST(LastAudit(db).record.detail ==
             R"({"action":"created","permissions":["agent"],"rules":[]})");
}

BOOST_AUTO_TEST_CASE(an_email_never_links_to_another_subjects_account) {
  // SECURITY.md H01: accounts are keyed on (connection, NameID subject). Someone who sets their
  // email at the IdP to the victim's never gets the victim's account; and since one email is
  // one active account of a connection (issue 15), they get none at all: the login is refused.
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(Provision(db, Login("victim", "_v1"), T0()).status.ok());
  BOOST_REQUIRE(AdminGrantPermission(db, "acme", "victim", "billing_admin", T0(), "cli:test").ok());
  const User before = MustFind(db, "victim");
  Request mallory = Login("mallory", "_m1");
  mallory.login.email = "Victim@ACME.com";
  mallory.login.worker = {{"roles", {"agent"}}, {"image_url", {"evil.png"}}};
  const CommitOutcome out = Provision(db, mallory, At("2026-01-01T00:01:00Z"));
  BOOST_TEST(out.status.code() == "provisioning.email_in_use");
  BOOST_TEST((out.action == ProvisionAction::kNone));
  BOOST_TEST(out.user_id == 0);
  BOOST_TEST(LastAudit(db).record.error_code == "provisioning.email_in_use");
  BOOST_TEST(LastAudit(db).record.subject == "mallory");
  Result<std::optional<User>> none = FindUser(db, "acme", "mallory");
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(!none->has_value());
  // The victim's account is untouched: its permissions, attributes, email and last login.
  const User victim = MustFind(db, "victim");
  BOOST_TEST((victim.permissions == std::vector<std::string>{"agent", "billing_admin"}));
  BOOST_TEST((victim.attributes.at("image_url") == std::vector<std::string>{"a.png"}));
  BOOST_TEST(victim.email == "victim@acme.com");
  BOOST_TEST(victim.last_login == before.last_login);
}

BOOST_AUTO_TEST_CASE(nameids_differing_in_case_do_not_make_two_accounts_for_one_email) {
  // Issue 15: walt@acme.example and WALT@acme.example (emailAddress NameIDs, which most IdPs
  // treat case-insensitively) made two active accounts with one email.
  TempDir dir;
  Db db = OpenDb(dir);
  Request walt = Login("walt", "_w1");
  walt.login.subject = "walt@acme.example";
  walt.login.email = "walt@acme.example";
  BOOST_REQUIRE(Provision(db, walt, T0()).status.ok());
  Request upper = Login("walt", "_w2");
  upper.login.subject = "WALT@acme.example";
  upper.login.email = "WALT@acme.example";
  const CommitOutcome out = Provision(db, upper, At("2026-01-01T00:01:00Z"));
  BOOST_TEST(out.status.code() == "provisioning.email_in_use");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 1);
  // The assertion was not spent by the refusal (the transaction rolled back): an administrator
  // who disables the old account lets the same login through.
  BOOST_REQUIRE(
      AdminSetUserStatus(db, "acme", "walt@acme.example", UserStatus::kDisabled, T0(), "cli:test")
          .ok());
  const CommitOutcome again = Provision(db, upper, At("2026-01-01T00:02:00Z"));
  BOOST_TEST(again.status.ok(), again.status.message());
  BOOST_TEST((again.action == ProvisionAction::kCreated));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::pipeline
