// The storage commands of the built CLI (CLAIMGATE_BIN) over logins committed by the pipeline:
// users and audit, exit codes, the broken-chain report, and the newer-schema refusal.
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "pipeline/commit.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::OpenDb;
using testing::RawExec;
using testing::T0;
using testing::TempDir;

struct Run {
  int exit_code;
  std::string output;  // stdout and stderr
};

// Runs `claimgate --db DB ARGS` (arguments are simple words here, no quoting needed).
Run Cli(const std::string& db, const std::string& args) {
  const char* bin = std::getenv("CLAIMGATE_BIN");
  BOOST_REQUIRE(bin != nullptr);
  const std::string cmd = std::string(bin) + " --db " + db + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  BOOST_REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = ::pclose(p);
  return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

pipeline::MappedLogin Login(const std::string& subject, const std::string& id) {
  pipeline::MappedLogin r;
  r.subject = subject;
  r.email = subject + "@acme.com";
  r.assertion_id = id;
  r.replay_until = T0() + std::chrono::minutes(5);
  r.worker = {{"roles", {"agent"}}};
  return r;
}

pipeline::CommitOutcome Provision(
    Db& db, const pipeline::MappedLogin& login, TimePoint now,
    pipeline::ProvisioningMode mode = pipeline::ProvisioningMode::kJit) {
  pipeline::ConnectionConfig acme;
  acme.name = "acme";
  acme.mode = mode;
  return pipeline::CommitLogin(db, acme, login, {}, now);
}

BOOST_AUTO_TEST_SUITE(storage_cli)

BOOST_AUTO_TEST_CASE(audit_list_and_verify_then_tamper) {
  TempDir dir;
  const std::string db_path = dir.File("test.db");
  {
    Db db = OpenDb(dir);
    BOOST_REQUIRE(Provision(db, Login("alice", "_1"), T0()).status.ok());
    BOOST_REQUIRE(Provision(db, Login("bob", "_2"), T0()).status.ok());
    BOOST_REQUIRE(Provision(db, Login("alice", "_1"), T0()).status.Is(errors::kReplayDetected));
  }
  Run ok = Cli(db_path, "audit verify");
  BOOST_TEST(ok.exit_code == 0);
  // DESIGN.md "Audit integrity": the head follows, to be kept elsewhere (--expect-head).
  BOOST_TEST(ok.output.rfind("audit chain ok: 3 rows, head ", 0) == 0u, ok.output);
  BOOST_TEST(ok.output.size() == std::string("audit chain ok: 3 rows, head \n").size() + 64);
  Run table = Cli(db_path, "audit list");
  BOOST_TEST(table.exit_code == 0);
  BOOST_TEST(table.output.rfind("ID  TIME", 0) == 0u, table.output);
  BOOST_TEST(Has(table.output, "replay.detected"));
  Run lines = Cli(db_path, "audit list --json --subject alice --decision rejected");
  BOOST_TEST(lines.exit_code == 0);
  BOOST_TEST(Has(lines.output, R"("error_code":"replay.detected")"));
  BOOST_TEST(std::count(lines.output.begin(), lines.output.end(), '\n') == 1);
  BOOST_TEST(Cli(db_path, "audit list --since yesterday").exit_code == 2);  // cli/exit_codes.h

  RawExec(db_path, "UPDATE audit SET decision = 'accepted' WHERE id = 3");
  Run broken = Cli(db_path, "audit verify");
  BOOST_TEST(broken.exit_code == 1);
  BOOST_TEST(Has(broken.output, "BROKEN at row 3"), broken.output);
  Run json = Cli(db_path, "audit verify --json");
  BOOST_TEST(Has(json.output, R"("broken_id":3)"), json.output);
}

BOOST_AUTO_TEST_CASE(users_commands_change_accounts_and_exit_codes) {
  TempDir dir;
  const std::string db_path = dir.File("test.db");
  { Db db = OpenDb(dir); }
  BOOST_TEST(Cli(db_path,
                 "users add --connection acme carol --email c@acme.com "
                 "--permission owner --attribute roles=admin")
                 .exit_code == 0);
  Run dup = Cli(db_path, "users add --connection acme carol");
  BOOST_TEST(dup.exit_code == 2);  // could not do it (cli/exit_codes.h)
  BOOST_TEST(Has(dup.output, "provisioning.user_exists"));
  BOOST_TEST(Cli(db_path, "users grant --connection acme carol agent").exit_code == 0);
  BOOST_TEST(Cli(db_path, "users disable --connection acme carol").exit_code == 0);
  Run missing = Cli(db_path, "users enable --connection acme nobody");
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(Has(missing.output, "storage.not_found"));
  Run show = Cli(db_path, "users show --connection acme carol");
  BOOST_TEST(Has(show.output, R"("status": "disabled")"), show.output);
  BOOST_TEST(Has(show.output, R"("origin": "admin")"));
  Run list = Cli(db_path, "users list --json");
  BOOST_TEST(Has(list.output, R"("permissions":["agent","owner"])"), list.output);
  BOOST_TEST(Cli(db_path, "users").exit_code == 2);  // a subcommand is required
  {
    Result<Db> db = Db::Open(db_path);
    BOOST_REQUIRE(db.ok());
    BOOST_TEST(Provision(*db, Login("carol", "_c"), T0(), pipeline::ProvisioningMode::kExistingOnly)
                   .status.code() == "provisioning.user_disabled");
  }
  Run events = Cli(db_path, "audit list --json --subject carol");
  for (const char* e : {"user.add", "user.grant", "user.disable", "login"}) {
    BOOST_TEST(Has(events.output, std::string(R"("event":")") + e + "\""), e);
  }
}

BOOST_AUTO_TEST_CASE(newer_database_is_refused_with_exit_2) {
  TempDir dir;
  const std::string db_path = dir.File("test.db");
  { Db db = OpenDb(dir); }
  RawExec(db_path, "PRAGMA user_version = 99");
  Run r = Cli(db_path, "audit verify");
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(Has(r.output, "storage.schema_too_new"), r.output);
}

BOOST_AUTO_TEST_CASE(tables_escape_control_characters_from_stored_text) {
  TempDir dir;
  const std::string db_path = dir.File("test.db");
  {
    Db db = OpenDb(dir);
    BOOST_REQUIRE(Provision(db, Login("eve\x1b[2J\nroot", "_e"), T0()).status.ok());
  }
  for (const char* cmd : {"users list", "audit list"}) {
    Run r = Cli(db_path, cmd);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.output.find('\x1b') == std::string::npos, cmd);
    BOOST_TEST(Has(r.output, "eve\\x1b[2J\\x0aroot"), r.output);
  }
}

BOOST_AUTO_TEST_CASE(missing_database_is_an_error_not_an_empty_trail) {
  TempDir dir;
  Run r = Cli(dir.File("typo.db"), "audit verify");
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(Has(r.output, "storage.open"), r.output);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
