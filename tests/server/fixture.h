#pragma once

// The serve tests' fixture: a temp database with example connections, an App on it, requests.

#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "base/clock.h"
#include "base/url_encoding.h"
#include "pipeline/connection.h"
#include "server/app.h"
#include "storage/audit.h"
#include "storage/connections.h"
#include "storage/sqlite.h"

namespace claimgate::server::testing {

inline std::string SourceDir() {
  const char* dir = std::getenv("CLAIMGATE_SOURCE_DIR");
  return dir ? dir : ".";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A temp database with the example connections acme-flex (IdP-initiated allowed),
// acme-console (no IdP-initiated here) and acme-sendgrid, removed at the end.
class Fixture {
 public:
  explicit Fixture(std::optional<std::string> token = std::nullopt) {
    std::string pattern = (std::filesystem::temp_directory_path() / "cg-server-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    Result<storage::Db> db = storage::Db::Open(File("db"));
    BOOST_REQUIRE(db.ok());
    for (const char* profile : {"flex", "console", "sendgrid"}) {
      Result<pipeline::ConnectionConfig> c =
          pipeline::ReadConnectionFile(SourceDir() + "/examples/" + profile + "/connection.json");
      BOOST_REQUIRE_MESSAGE(c.ok(), c.status().message());
      if (std::string(profile) == "console") c->allow_idp_initiated = false;
      Result<storage::Txn> txn = storage::Txn::BeginImmediate(*db);
      BOOST_REQUIRE(txn.ok());
      BOOST_REQUIRE(
          storage::PutConnection(*txn, c->name, pipeline::ToStoredJson(*c), SystemClock().Now())
              .ok());
      BOOST_REQUIRE(txn->Commit().ok());
    }
    AppOptions o;
    o.db_path = File("db");
    o.admin_token = std::move(token);
    o.max_body_bytes = 64 * 1024;
    app_ = std::make_unique<App>(o);
  }
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string File(const std::string& name) const { return (dir_ / name).string(); }
  App& app() { return *app_; }
  storage::Db OpenDb() {
    Result<storage::Db> db = storage::Db::Open(File("db"));
    BOOST_REQUIRE(db.ok());
    return *std::move(db);
  }
  std::int64_t AuditRows() {
    Result<storage::Db> db = storage::Db::Open(File("db"));
    Result<std::vector<storage::AuditEntry>> rows = storage::ListAudit(*db, {});
    return rows.ok() ? static_cast<std::int64_t>(rows->size()) : -1;
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
};

inline HttpRequest Get(std::string path, std::string query = "") {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.query = std::move(query);
  r.client_addr = "192.0.2.7";
  return r;
}

inline HttpRequest PostForm(std::string path, std::string body, bool json = true) {
  HttpRequest r = Get(std::move(path));
  r.method = "POST";
  r.body = std::move(body);
  r.content_type = "application/x-www-form-urlencoded";
  if (json) r.accept = "application/json";
  return r;
}

inline std::string Example(const std::string& profile, const std::string& name) {
  return ReadFile(SourceDir() + "/examples/" + profile + "/responses/" + name);
}

inline std::string AcsBody(const std::string& xml, const std::string& relay_state = "") {
  std::string body = "SAMLResponse=" + UrlEncode(xml);
  if (!relay_state.empty()) body += "&RelayState=" + UrlEncode(relay_state);
  return body;
}

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace claimgate::server::testing
