// storage/audit.h: appending, the canonical encoding, verification, tampering, listing.
#include "storage/audit.h"

#include <boost/test/unit_test.hpp>

#include "crypto/hash.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::At;
using testing::OpenDb;
using testing::RawExec;
using testing::ScalarInt;
using testing::TempDir;

AuditRecord Rec(const std::string& subject, const std::string& decision = "accepted",
                const std::string& connection = "acme", const std::string& event = "login") {
  AuditRecord r;
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
    BOOST_REQUIRE(AppendAudit(*txn, Rec("u" + std::to_string(i)), t).ok());
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
    BOOST_REQUIRE(AppendAudit(*txn, Rec("x"), At("2026-02-01")).ok());
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
       "prev_hash, hash FROM audit WHERE id = 5",
       6, "prev_hash"},
      {"drop head", "DELETE FROM audit_head", 6, "audit_head"},
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
  BOOST_REQUIRE(AppendAudit(*txn, Rec("alice"), At("2026-01-01T10:00:00Z")).ok());
  BOOST_REQUIRE(AppendAudit(*txn, Rec("bob", "rejected"), At("2026-01-02T10:00:00Z")).ok());
  BOOST_REQUIRE(AppendAudit(*txn, Rec("alice", "accepted", "beta"), At("2026-01-03")).ok());
  BOOST_REQUIRE(
      AppendAudit(*txn, Rec("alice", "applied", "acme", "user.disable"), At("2026-01-04")).ok());
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
