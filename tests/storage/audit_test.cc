// storage/audit.h: appending, the canonical encoding, verification, tampering, listing.
#include "storage/audit.h"

#include <boost/test/unit_test.hpp>

#include "base/civil_time.h"
#include "crypto/hash.h"
#include "storage/audit_internal.h"
#include "storage/schema.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::At;
using testing::OpenDb;
using testing::RawExec;
using testing::ScalarInt;
using testing::ScalarText;
using testing::TempDir;

AuditRecord Rec(const std::string& subject, const std::string& decision = "accepted",
                const std::string& connection = "acme", const std::string& event = "login") {
  AuditRecord r;
  r.actor = event == "login" ? "idp" : "cli:tester";
  r.connection = connection;
  r.event = event;
  r.decision = decision;
  r.error_code = decision == "rejected" ? "signature.invalid" : "";
  r.subject = subject;
  r.assertion_id = "_a-" + subject;
  r.issuer = "https://idp.example";
  r.detail = R"({"k":1})";
  return r;
}

// Appends `n` rows at one-minute steps from 2026-01-01T00:00Z.
void AppendRows(Db& db, int n) {
  for (int i = 0; i < n; ++i) {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    const TimePoint t = At("2026-01-01T00:00:00Z") + std::chrono::minutes(i);
    BOOST_REQUIRE(internal::AppendAuditAt(*txn, Rec("u" + std::to_string(i)), t).ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
}

AuditVerification Verify(Db& db) {
  Result<AuditVerification> v = VerifyAudit(db);
  BOOST_REQUIRE(v.ok());
  return *v;
}

BOOST_AUTO_TEST_SUITE(audit)

BOOST_AUTO_TEST_CASE(sha256_matches_a_known_vector) {
  BOOST_TEST(crypto::Sha256Hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(encoding_is_length_prefixed_and_documented) {
  AuditEntry e;
  e.format = 1;  // rows written before the actor column
  e.id = 7;
  e.time = "2026-01-01T00:00:00.000000Z";
  e.record.connection = "a";
  e.record.event = "login";
  e.prev_hash = kGenesisHash;
  const std::string enc = CanonicalAuditEncoding(e);
  BOOST_TEST(enc.rfind("claimgate-audit-v1\nid=1:7\ntime=27:2026-01-01T00:00:00.000000Z\n"
                       "connection=1:a\nevent=5:login\ndecision=0:\n",
                       0) == 0u);
  // Moving a byte between adjacent fields changes the encoding.
  AuditEntry f = e;
  f.record.connection = "al";
  f.record.event = "ogin";
  BOOST_TEST(CanonicalAuditEncoding(f) != enc);
  BOOST_TEST(AuditHash(e) == crypto::Sha256Hex(enc));
  // Format 1 does not cover the actor (VerifyAudit pins it to the migration's value instead).
  f = e;
  f.record.actor = "cli:mallory";
  BOOST_TEST(CanonicalAuditEncoding(f) == enc);
}

BOOST_AUTO_TEST_CASE(format_2_encoding_covers_the_actor) {
  AuditEntry e;
  e.id = 7;
  e.time = "2026-01-01T00:00:00.000000Z";
  e.record.actor = "cli:root";
  e.record.connection = "a";
  e.record.event = "connection.add";
  e.prev_hash = kGenesisHash;
  BOOST_TEST(e.format == 2);
  const std::string enc = CanonicalAuditEncoding(e);
  BOOST_TEST(enc.rfind("claimgate-audit-v2\nid=1:7\ntime=27:2026-01-01T00:00:00.000000Z\n"
                       "actor=8:cli:root\nconnection=1:a\nevent=14:connection.add\n",
                       0) == 0u,
             enc);
  AuditEntry f = e;
  f.record.actor = "cli:eve";
  BOOST_TEST(AuditHash(f) != AuditHash(e));
}

BOOST_AUTO_TEST_CASE(append_dates_rows_by_the_wall_clock_and_needs_an_actor) {
  TempDir dir;
  Db db = OpenDb(dir);
  const TimePoint before = SystemClock().Now();
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  Result<AuditEntry> row = AppendAudit(*txn, Rec("alice"));
  BOOST_REQUIRE(row.ok());
  AuditRecord nobody = Rec("bob");
  nobody.actor.clear();
  BOOST_TEST(AppendAudit(*txn, nobody).status().code() == "storage.invalid_argument");
  BOOST_REQUIRE(txn->Commit().ok());
  const TimePoint after = SystemClock().Now();
  std::optional<TimePoint> t = ParseDateTime(row->time);
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST((*t >= before && *t <= after), row->time);
  BOOST_TEST(row->format == 2);
  BOOST_TEST(ScalarText(db, "SELECT actor FROM audit WHERE id = 1") == "idp");
}

BOOST_AUTO_TEST_CASE(verify_reports_the_head_and_finds_an_expected_one) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_TEST(Verify(db).head == kGenesisHash);
  AppendRows(db, 3);
  Result<std::vector<AuditEntry>> rows = ListAudit(db, AuditFilter());
  BOOST_REQUIRE(rows.ok() && rows->size() == 3u);
  AuditVerification v = Verify(db);
  BOOST_TEST(v.head == (*rows)[2].hash);
  BOOST_TEST(v.anchor_id == 0);
  // An earlier head kept elsewhere anchors the chain; later rows may follow it.
  Result<AuditVerification> anchored = VerifyAudit(db, (*rows)[1].hash);
  BOOST_REQUIRE(anchored.ok());
  BOOST_TEST(anchored->ok);
  BOOST_TEST(anchored->anchor_id == 2);
  // A head that is no row's hash (made up, or from a rewritten chain) fails.
  Result<AuditVerification> made_up = VerifyAudit(db, std::string(64, 'a'));
  BOOST_REQUIRE(made_up.ok());
  BOOST_TEST(!made_up->ok);
  BOOST_TEST(made_up->broken_id == 0);
  BOOST_TEST(made_up->reason.find("not a row") != std::string::npos, made_up->reason);
  // Rewriting row 1 and re-chaining everything after it (what an attacker with the file can
  // do) passes a plain verify but not the anchor.
  const std::string old_head = v.head;
  RawExec(dir.File("test.db"), "UPDATE audit SET subject = 'eve' WHERE id = 1");
  std::string prev = kGenesisHash;
  for (AuditEntry e : *rows) {
    if (e.id == 1) e.record.subject = "eve";
    e.prev_hash = prev;
    e.hash = AuditHash(e);
    RawExec(dir.File("test.db"), "UPDATE audit SET prev_hash = '" + e.prev_hash + "', hash = '" +
                                     e.hash + "' WHERE id = " + std::to_string(e.id));
    prev = e.hash;
  }
  RawExec(dir.File("test.db"), "UPDATE audit_head SET last_hash = '" + prev + "'");
  BOOST_TEST(Verify(db).ok);
  BOOST_TEST(!VerifyAudit(db, old_head)->ok);
}

// A database as schema v2 left it: format 1 rows (no actor column), then opened by this
// version: the migration adds the actor, the old hashes still verify, new rows chain on in
// format 2, and an edited actor breaks the chain in either format.
BOOST_AUTO_TEST_CASE(migration_from_v2_keeps_the_chain_and_covers_new_actors) {
  TempDir dir;
  const std::string path = dir.File("test.db");
  { Db db = OpenDb(dir); }
  // One script on the v3 file (RawExec opens through Db::Open, which would migrate a v2 one):
  // back to the v2 audit table, three rows hashed in format 1, user_version 2.
  std::string sql =
      "ALTER TABLE audit DROP COLUMN actor; ALTER TABLE audit DROP COLUMN format; "
      "DROP TABLE handoff_codes;";
  std::string prev = kGenesisHash;
  const char* events[] = {"login", "user.add", "login"};
  for (int i = 0; i < 3; ++i) {
    AuditEntry e;
    e.format = 1;
    e.id = i + 1;
    e.time = "2026-01-01T00:00:0" + std::to_string(i) + ".000000Z";
    e.record = Rec("u" + std::to_string(i), "accepted", "acme", events[i]);
    e.prev_hash = prev;
    e.hash = AuditHash(e);
    prev = e.hash;
    const AuditRecord& r = e.record;
    sql += "INSERT INTO audit VALUES(" + std::to_string(e.id) + ", '" + e.time + "', '" +
           r.connection + "', '" + r.event + "', '" + r.decision + "', '" + r.error_code + "', '" +
           r.subject + "', '" + r.assertion_id + "', '" + r.issuer + "', '', '" + r.detail +
           "', '" + e.prev_hash + "', '" + e.hash + "');";
  }
  sql += "INSERT INTO audit_head VALUES(1, 3, '" + prev + "'); PRAGMA user_version = 2;";
  RawExec(path, sql);

  Db db = OpenDb(dir, {});  // migrates 2 → 5
  BOOST_TEST(ScalarInt(db, "PRAGMA user_version") == kSchemaVersion);
  BOOST_TEST(ScalarText(db, "SELECT group_concat(actor || '/' || format) FROM audit") ==
             "idp/1,unknown/1,idp/1");
  AuditVerification v = Verify(db);
  BOOST_TEST(v.ok, v.reason);
  BOOST_TEST(v.head == prev);  // old heads kept elsewhere still anchor the chain
  {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    AuditRecord r = Rec("carol", "applied", "acme", "user.disable");
    BOOST_REQUIRE(AppendAudit(*txn, r).ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  v = Verify(db);
  BOOST_TEST(v.ok, v.reason);
  BOOST_TEST(v.rows == 4);
  BOOST_TEST(ScalarInt(db, "SELECT format FROM audit WHERE id = 4") == 2);

  RawExec(path, "UPDATE audit SET actor = 'cli:root' WHERE id = 4");
  v = Verify(db);
  BOOST_TEST(!v.ok);
  BOOST_TEST(v.broken_id == 4);
  RawExec(path,
          "UPDATE audit SET actor = 'cli:tester' WHERE id = 4;"
          "UPDATE audit SET actor = 'cli:root' WHERE id = 2");
  v = Verify(db);
  BOOST_TEST(!v.ok);
  BOOST_TEST(v.broken_id == 2);
  BOOST_TEST(v.reason.find("actor") != std::string::npos, v.reason);
}

BOOST_AUTO_TEST_CASE(rows_chain_from_genesis) {
  TempDir dir;
  Db db = OpenDb(dir);
  AppendRows(db, 3);
  Result<std::vector<AuditEntry>> rows = ListAudit(db, AuditFilter());
  BOOST_REQUIRE(rows.ok());
  BOOST_REQUIRE(rows->size() == 3u);
  BOOST_TEST((*rows)[0].id == 1);
  BOOST_TEST((*rows)[0].prev_hash == kGenesisHash);
  BOOST_TEST((*rows)[1].prev_hash == (*rows)[0].hash);
  BOOST_TEST((*rows)[2].prev_hash == (*rows)[1].hash);
  BOOST_TEST((*rows)[2].hash == AuditHash((*rows)[2]));
  BOOST_TEST((*rows)[1].time == "2026-01-01T00:01:00.000000Z");
  const AuditVerification v = Verify(db);
  BOOST_TEST(v.ok);
  BOOST_TEST(v.rows == 3);
}

BOOST_AUTO_TEST_CASE(empty_trail_verifies) {
  TempDir dir;
  Db db = OpenDb(dir);
  BOOST_TEST(Verify(db).ok);
}

BOOST_AUTO_TEST_CASE(rolled_back_append_leaves_no_trace) {
  TempDir dir;
  Db db = OpenDb(dir);
  AppendRows(db, 1);
  {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(AppendAudit(*txn, Rec("x")).ok());
  }
  AppendRows(db, 1);
  BOOST_TEST(ScalarInt(db, "SELECT max(id) FROM audit") == 2);
  BOOST_TEST(Verify(db).ok);
}

struct Tamper {
  const char* name;
  const char* sql;
  std::int64_t broken_id;
  const char* reason_part;
};

BOOST_AUTO_TEST_CASE(tampering_is_caught_and_the_row_named) {
  const Tamper cases[] = {
      {"edit decision", "UPDATE audit SET decision = 'rejected' WHERE id = 3", 3, "edited"},
      {"edit detail", "UPDATE audit SET detail = '{}' WHERE id = 2", 2, "edited"},
      {"edit time", "UPDATE audit SET time = '2020-01-01T00:00:00.000000Z' WHERE id = 4", 4,
       "edited"},
      {"delete middle", "DELETE FROM audit WHERE id = 3", 4, "missing"},
      {"delete first", "DELETE FROM audit WHERE id = 1", 2, "missing"},
      {"delete last", "DELETE FROM audit WHERE id = 5", 5, "removed from the end"},
      {"swap two rows",
       "UPDATE audit SET id = -2 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 3;"
       "UPDATE audit SET id = 3 WHERE id = -2",
       2, "prev_hash"},
      {"rewrite hash", "UPDATE audit SET subject = 'eve', hash = 'x' WHERE id = 2", 2, "edited"},
      {"insert forged",
       "INSERT INTO audit SELECT 6, time, connection, event, decision, "
       "error_code, subject, assertion_id, issuer, client_addr, detail, "
       "prev_hash, hash, actor, format FROM audit WHERE id = 5",
       6, "prev_hash"},
      {"drop head", "DELETE FROM audit_head", 6, "audit_head"},
      {"edit actor", "UPDATE audit SET actor = 'cli:root' WHERE id = 2", 2, "edited"},
      {"downgrade format", "UPDATE audit SET format = 1, actor = 'idp' WHERE id = 3", 3, "format"},
      {"unknown format", "UPDATE audit SET format = 3 WHERE id = 4", 4, "format"},
  };
  for (const Tamper& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      TempDir dir;
      Db db = OpenDb(dir);
      AppendRows(db, 5);
      BOOST_REQUIRE(Verify(db).ok);
      RawExec(dir.File("test.db"), c.sql);
      const AuditVerification v = Verify(db);
      BOOST_TEST(!v.ok);
      BOOST_TEST(v.broken_id == c.broken_id);
      BOOST_TEST(v.reason.find(c.reason_part) != std::string::npos, v.reason);
    }
  }
}

BOOST_AUTO_TEST_CASE(list_filters_combine) {
  TempDir dir;
  Db db = OpenDb(dir, {"acme", "beta"});
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(internal::AppendAuditAt(*txn, Rec("alice"), At("2026-01-01T10:00:00Z")).ok());
  BOOST_REQUIRE(
      internal::AppendAuditAt(*txn, Rec("bob", "rejected"), At("2026-01-02T10:00:00Z")).ok());
  BOOST_REQUIRE(
      internal::AppendAuditAt(*txn, Rec("alice", "accepted", "beta"), At("2026-01-03")).ok());
  BOOST_REQUIRE(internal::AppendAuditAt(*txn, Rec("alice", "applied", "acme", "user.disable"),
                                        At("2026-01-04"))
                    .ok());
  BOOST_REQUIRE(txn->Commit().ok());
  auto ids = [&](const AuditFilter& f) {
    Result<std::vector<AuditEntry>> rows = ListAudit(db, f);
    BOOST_REQUIRE(rows.ok());
    std::vector<std::int64_t> out;
    for (const AuditEntry& e : *rows) out.push_back(e.id);
    return out;
  };
  AuditFilter f;
  BOOST_TEST((ids(f) == std::vector<std::int64_t>{1, 2, 3, 4}));
  f.connection = "acme";
  BOOST_TEST((ids(f) == std::vector<std::int64_t>{1, 2, 4}));
  f.subject = "alice";
  BOOST_TEST((ids(f) == std::vector<std::int64_t>{1, 4}));
  f.event = "login";
  BOOST_TEST((ids(f) == std::vector<std::int64_t>{1}));
  AuditFilter g;
  g.decision = "rejected";
  BOOST_TEST((ids(g) == std::vector<std::int64_t>{2}));
  AuditFilter h;
  h.since = At("2026-01-02T00:00:00.000000Z");
  h.until = At("2026-01-04T00:00:00.000000Z");
  BOOST_TEST((ids(h) == std::vector<std::int64_t>{2, 3}));
  h.limit = 1;
  BOOST_TEST((ids(h) == std::vector<std::int64_t>{2}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
