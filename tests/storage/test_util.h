#pragma once

// Helpers shared by the storage tests: a temporary directory per test, a fresh database in it,
// a few fixed instants, and raw SQL for tampering.

#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>

#include "base/civil_time.h"
#include "storage/connections.h"
#include "storage/sqlite.h"

namespace claimgate::storage::testing {

// A directory removed (with its contents) when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cg-storage-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline TimePoint At(const char* iso) {
  std::optional<TimePoint> t = ParseDateOrDateTime(iso);
  BOOST_REQUIRE(t.has_value());
  return *t;
}

inline TimePoint T0() { return At("2026-01-01T00:00:00Z"); }

// Opens a fresh database in `dir` with one connection per name given.
inline Db OpenDb(const TempDir& dir, std::initializer_list<const char*> connections = {"acme"}) {
  Result<Db> db = Db::Open(dir.File("test.db"));
  BOOST_REQUIRE_MESSAGE(db.ok(), std::string(db.status().message()));
  if (connections.size() > 0) {
    Result<Txn> txn = Txn::BeginImmediate(*db);
    BOOST_REQUIRE(txn.ok());
    for (const char* name : connections) {
      BOOST_REQUIRE(PutConnection(*txn, name, R"({"profile":"flex"})", T0()).ok());
    }
    BOOST_REQUIRE(txn->Commit().ok());
  }
  return *std::move(db);
}

// Runs raw SQL on the file through a separate connection (tampering, inspection). The file must
// already hold a claimgate database (Db::Open migrates an empty one).
inline void RawExec(const std::string& path, const std::string& sql) {
  Result<Db> db = Db::Open(path);
  BOOST_REQUIRE_MESSAGE(db.ok(), path + ": " + db.status().message());
  const Status s = db->Exec(sql);
  BOOST_REQUIRE_MESSAGE(s.ok(), sql + ": " + s.message());
}

// One integer from a query through `db` (counts, flags).
inline std::int64_t ScalarInt(Db& db, const std::string& sql) {
  Result<Query> q = db.Prepare(sql);
  BOOST_REQUIRE(q.ok());
  Result<bool> row = q->Step();
  BOOST_REQUIRE(row.ok() && *row);
  return q->Int(0);
}

inline std::string ScalarText(Db& db, const std::string& sql) {
  Result<Query> q = db.Prepare(sql);
  BOOST_REQUIRE(q.ok());
  Result<bool> row = q->Step();
  BOOST_REQUIRE(row.ok() && *row);
  return q->Text(0);
}

}  // namespace claimgate::storage::testing
