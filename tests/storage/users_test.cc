// storage/users.h and storage/admin.h: accounts, status, permissions, and their audit rows.
#include "storage/users.h"

#include <boost/test/unit_test.hpp>

#include "storage/admin.h"
#include "storage/audit.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::At;
using testing::OpenDb;
using testing::RawExec;
using testing::ScalarInt;
using testing::ScalarText;
using testing::T0;
using testing::TempDir;

NewUser Alice() {
  return NewUser{"acme",
                 "alice",
                 "alice@acme.com",
                 {{"roles", {"agent"}}},
                 {"agent", "admin", "agent"},
                 UserOrigin::kJit,
                 true};
}

User MustFind(Db& db, const std::string& subject) {
  Result<std::optional<User>> u = FindUser(db, "acme", subject);
  BOOST_REQUIRE(u.ok());
  BOOST_REQUIRE(u->has_value());
  return **u;
}

BOOST_AUTO_TEST_SUITE(users)

BOOST_AUTO_TEST_CASE(create_and_find) {
  TempDir dir;
  Db db = OpenDb(dir);
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  Result<std::int64_t> id = CreateUser(*txn, Alice(), T0());
  BOOST_REQUIRE(id.ok());
  BOOST_REQUIRE(txn->Commit().ok());
  const User u = MustFind(db, "alice");
  BOOST_TEST(u.id == *id);
  BOOST_TEST(u.email == "alice@acme.com");
  BOOST_TEST((u.permissions == std::vector<std::string>{"admin", "agent"}));  // sorted, unique
  BOOST_TEST((u.attributes.at("roles") == std::vector<std::string>{"agent"}));
  BOOST_TEST((u.status == UserStatus::kActive));
  BOOST_TEST((u.origin == UserOrigin::kJit));
  BOOST_TEST(u.last_login == "2026-01-01T00:00:00.000000Z");
  BOOST_TEST(ScalarText(db, "SELECT permissions FROM users") == R"(["admin","agent"])");
  Result<std::optional<User>> none = FindUser(db, "acme", "bob");
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(!none->has_value());
  Result<std::optional<User>> other_conn = FindUser(db, "beta", "alice");
  BOOST_REQUIRE(other_conn.ok());
  BOOST_TEST(!other_conn->has_value());
}

BOOST_AUTO_TEST_CASE(create_rejects_duplicates_unknown_connection_and_empty_subject) {
  TempDir dir;
  Db db = OpenDb(dir);
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(CreateUser(*txn, Alice(), T0()).ok());
  BOOST_TEST(CreateUser(*txn, Alice(), T0()).status().code() == "provisioning.user_exists");
  NewUser stray = Alice();
  stray.connection = "nope";
  BOOST_TEST(CreateUser(*txn, stray, T0()).status().code() == "provisioning.unknown_connection");
  NewUser nameless = Alice();
  nameless.subject = "";
  BOOST_TEST(CreateUser(*txn, nameless, T0()).status().code() == "provisioning.invalid_request");
  BOOST_REQUIRE(txn->Commit().ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 1);
}

BOOST_AUTO_TEST_CASE(update_profile_and_record_login) {
  TempDir dir;
  Db db = OpenDb(dir);
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  const std::int64_t id = *CreateUser(*txn, Alice(), T0());
  BOOST_REQUIRE(
      UpdateUserProfile(*txn, id, "new@acme.com", {{"roles", {"admin"}}}, At("2026-03-01")).ok());
  BOOST_REQUIRE(RecordLogin(*txn, id, At("2026-03-02")).ok());
  BOOST_TEST(UpdateUserProfile(*txn, 999, "", {}, T0()).code() == "storage.not_found");
  BOOST_TEST(RecordLogin(*txn, 999, T0()).code() == "storage.not_found");
  BOOST_REQUIRE(txn->Commit().ok());
  const User u = MustFind(db, "alice");
  BOOST_TEST(u.email == "new@acme.com");
  BOOST_TEST((u.attributes.at("roles") == std::vector<std::string>{"admin"}));
  BOOST_TEST(u.updated == "2026-03-01T00:00:00.000000Z");
  BOOST_TEST(u.last_login == "2026-03-02T00:00:00.000000Z");
}

BOOST_AUTO_TEST_CASE(admin_add_disable_enable_grant_revoke_are_audited) {
  TempDir dir;
  Db db = OpenDb(dir);
  NewUser bob{"acme", "bob", "bob@acme.com", {}, {"agent"}, UserOrigin::kJit, false};
  Result<std::int64_t> id = AdminAddUser(db, bob, T0(), "cli:test");
  BOOST_REQUIRE(id.ok());
  BOOST_TEST((MustFind(db, "bob").origin == UserOrigin::kAdmin));
  BOOST_TEST(MustFind(db, "bob").last_login.empty());
  BOOST_TEST(AdminAddUser(db, bob, T0(), "cli:test").status().code() == "provisioning.user_exists");

  BOOST_REQUIRE(
      AdminSetUserStatus(db, "acme", "bob", UserStatus::kDisabled, T0(), "cli:test").ok());
  BOOST_TEST((MustFind(db, "bob").status == UserStatus::kDisabled));
  BOOST_REQUIRE(AdminSetUserStatus(db, "acme", "bob", UserStatus::kActive, T0(), "cli:test").ok());
  BOOST_TEST((MustFind(db, "bob").status == UserStatus::kActive));
  BOOST_TEST(AdminSetUserStatus(db, "acme", "carol", UserStatus::kActive, T0(), "cli:test")
                 .status()
                 .code() == "storage.not_found");

  BOOST_TEST(*AdminGrantPermission(db, "acme", "bob", "supervisor", T0(), "cli:test"));
  BOOST_TEST(!*AdminGrantPermission(db, "acme", "bob", "supervisor", T0(), "cli:test"));  // no-op
  BOOST_TEST((MustFind(db, "bob").permissions == std::vector<std::string>{"agent", "supervisor"}));
  BOOST_TEST(*AdminRevokePermission(db, "acme", "bob", "agent", T0(), "cli:test"));
  BOOST_TEST(!*AdminRevokePermission(db, "acme", "bob", "agent", T0(), "cli:test"));
  BOOST_TEST((MustFind(db, "bob").permissions == std::vector<std::string>{"supervisor"}));
  BOOST_TEST(AdminGrantPermission(db, "acme", "carol", "x", T0(), "cli:test").status().code() ==
             "storage.not_found");
  BOOST_TEST(AdminGrantPermission(db, "acme", "bob", "", T0(), "cli:test").status().code() ==
             "storage.invalid_argument");

  Result<std::vector<AuditEntry>> rows = ListAudit(db, AuditFilter());
  BOOST_REQUIRE(rows.ok());
  std::vector<std::string> events;
  for (const AuditEntry& e : *rows) events.push_back(e.record.event + "/" + e.record.decision);
  BOOST_TEST((events == std::vector<std::string>{"user.add/applied", "user.disable/applied",
                                                 "user.enable/applied", "user.grant/applied",
                                                 "user.revoke/applied"}));
  BOOST_TEST((*rows)[3].record.detail == R"({"permission":"supervisor"})");
  BOOST_TEST(VerifyAudit(db)->ok);
}

BOOST_AUTO_TEST_CASE(admin_rows_name_the_actor_keep_arrays_and_skip_no_ops) {
  TempDir dir;
  Db db = OpenDb(dir);
  NewUser bob{"acme",
              "bob",
              "bob@acme.com",
              {{"roles", {"a", "b"}}},
              {"agent", "owner"},
              UserOrigin::kAdmin,
              false};
  BOOST_REQUIRE(AdminAddUser(db, bob, T0(), "cli:alice").ok());
  Result<bool> changed =
      AdminSetUserStatus(db, "acme", "bob", UserStatus::kDisabled, T0(), "cli:alice");
  BOOST_REQUIRE(changed.ok());
  BOOST_TEST(*changed);
  // Disabling a disabled account changes nothing and writes no second row.
  changed = AdminSetUserStatus(db, "acme", "bob", UserStatus::kDisabled, T0(), "cli:alice");
  BOOST_REQUIRE(changed.ok());
  BOOST_TEST(!*changed);
  Result<std::vector<AuditEntry>> rows = ListAudit(db, AuditFilter());
  BOOST_REQUIRE(rows.ok());
  BOOST_REQUIRE(rows->size() == 2u);
  BOOST_TEST((*rows)[0].record.actor == "cli:alice");
  BOOST_TEST((*rows)[1].record.actor == "cli:alice");
  BOOST_TEST((*rows)[0].record.detail ==
             R"({"attributes":{"roles":["a","b"]},"email":"bob@acme.com",)"
             R"("permissions":["agent","owner"]})");
  BOOST_TEST(AdminAddUser(db, Alice(), T0(), "").status().code() == "storage.invalid_argument");
  BOOST_TEST(!FindUser(db, "acme", "alice")->has_value());  // the rolled-back row took it along
}

BOOST_AUTO_TEST_CASE(list_orders_and_filters_by_connection) {
  TempDir dir;
  Db db = OpenDb(dir, {"acme", "beta"});
  for (const char* conn : {"beta", "acme"}) {
    for (const char* subject : {"zed", "amy"}) {
      NewUser u{conn, subject, "", {}, {}, UserOrigin::kAdmin, false};
      BOOST_REQUIRE(AdminAddUser(db, u, T0(), "cli:test").ok());
    }
  }
  Result<std::vector<User>> all = ListUsers(db, std::nullopt);
  BOOST_REQUIRE(all.ok() && all->size() == 4u);
  BOOST_TEST((*all)[0].connection + "/" + (*all)[0].subject == "acme/amy");
  BOOST_TEST((*all)[3].connection + "/" + (*all)[3].subject == "beta/zed");
  Result<std::vector<User>> beta = ListUsers(db, std::string("beta"));
  BOOST_REQUIRE(beta.ok() && beta->size() == 2u);
}

BOOST_AUTO_TEST_CASE(corrupt_json_column_is_reported) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_REQUIRE(AdminAddUser(db, Alice(), T0(), "cli:test").ok());
  // json_valid() guards the column; a valid-but-wrong shape gets through and must be caught.
  RawExec(dir.File("test.db"), R"(UPDATE users SET permissions = '[1,2]')");
  BOOST_TEST(FindUser(db, "acme", "alice").status().code() == "storage.corrupt");
  RawExec(dir.File("test.db"), R"(UPDATE users SET permissions = '[]', attributes = '[]')");
  BOOST_TEST(FindUser(db, "acme", "alice").status().code() == "storage.corrupt");
}

// Issue 15: NameIDs walt@ and WALT@ made two active accounts with one email. One email is one
// active account per connection (ASCII case ignored); the second is refused, never linked to
// the first (SECURITY.md H01).
BOOST_AUTO_TEST_CASE(one_email_is_one_active_account_per_connection) {
  TempDir dir;
  Db db = OpenDb(dir, {"acme", "other"});
  const NewUser walt{"acme", "walt@acme.example", "walt@acme.example", {}, {}, UserOrigin::kJit,
                     true};
  BOOST_REQUIRE(AdminAddUser(db, walt, T0(), "cli:test").ok());
  NewUser upper = walt;
  upper.subject = "WALT@acme.example";
  upper.email = "WALT@Acme.Example";
  Result<std::int64_t> second = AdminAddUser(db, upper, T0(), "cli:test");
  BOOST_TEST(second.status().code() == "provisioning.email_in_use");
  BOOST_TEST(second.status().message().find("'walt@acme.example'") != std::string::npos);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 1);
  // Another connection may have its own account for the same email.
  NewUser elsewhere = upper;
  elsewhere.connection = "other";
  BOOST_TEST(AdminAddUser(db, elsewhere, T0(), "cli:test").ok());
  // An account without email never conflicts.
  NewUser no_email = upper;
  no_email.subject = "walt-2";
  no_email.email = "";
  BOOST_TEST(AdminAddUser(db, no_email, T0(), "cli:test").ok());
  // A disabled account frees its email; enabling it again is then refused.
  BOOST_REQUIRE(
      AdminSetUserStatus(db, "acme", "walt@acme.example", UserStatus::kDisabled, T0(), "cli:test")
          .ok());
  BOOST_TEST(AdminAddUser(db, upper, T0(), "cli:test").ok());
  BOOST_TEST(
      AdminSetUserStatus(db, "acme", "walt@acme.example", UserStatus::kActive, T0(), "cli:test")
          .status()
          .code() == "provisioning.email_in_use");
  // An email change onto another active account's email is refused; keeping one's own is fine.
  const User carol_id = [&] {
    NewUser carol{"acme", "carol", "carol@acme.example", {}, {}, UserOrigin::kJit, false};
    BOOST_REQUIRE(AdminAddUser(db, carol, T0(), "cli:test").ok());
    return MustFind(db, "carol");
  }();
  {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_TEST(UpdateUserProfile(*txn, carol_id.id, "walt@ACME.example", {}, T0()).code() ==
               "provisioning.email_in_use");
    BOOST_TEST(UpdateUserProfile(*txn, carol_id.id, "Carol@acme.example", {}, T0()).ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  BOOST_TEST(MustFind(db, "carol").email == "Carol@acme.example");
}

BOOST_AUTO_TEST_CASE(permissions_are_names_without_spaces) {
  TempDir dir;
  Db db = OpenDb(dir);
  for (const char* bad : {"", " ", "flex admin", "agent\n", "tab\there"}) {
    BOOST_TEST(CheckPermission(bad).code() == "storage.invalid_argument", bad);
    NewUser u{"acme", std::string("u-") + bad, "", {}, {"agent", bad}, UserOrigin::kAdmin, false};
    BOOST_TEST(AdminAddUser(db, u, T0(), "cli:test").status().code() == "storage.invalid_argument");
  }
  BOOST_TEST(CheckPermission(std::string(201, 'a')).code() == "storage.invalid_argument");
  for (const char* good : {"agent", "flex:admin", "wfo.supervisor", "Админ"}) {
    BOOST_TEST(CheckPermission(good).ok(), good);
  }
  NewUser bob{"acme", "bob", "", {}, {"agent"}, UserOrigin::kAdmin, false};
  BOOST_REQUIRE(AdminAddUser(db, bob, T0(), "cli:test").ok());
  BOOST_TEST(
      AdminGrantPermission(db, "acme", "bob", "super visor", T0(), "cli:test").status().code() ==
      "storage.invalid_argument");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
