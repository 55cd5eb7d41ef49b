// Several processes committing logins to one database (pipeline_process_tests): concurrency
// without SQLITE_BUSY failures, and crash safety under SIGKILL. Both drive pipeline_commit_helper.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/audit.h"
#include "storage/users.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::ScalarInt;
using testing::TempDir;

// Starts the helper with stdout to `out_file`; returns its pid.
pid_t StartHelper(const std::string& db, int worker, long count, long subjects,
                  const std::string& out_file) {
  const pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0) ::_exit(127);
    const std::string w = std::to_string(worker), c = std::to_string(count),
                      s = std::to_string(subjects);
    ::execl(CLAIMGATE_COMMIT_HELPER, CLAIMGATE_COMMIT_HELPER, db.c_str(), w.c_str(), c.c_str(),
            s.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> Lines(const std::string& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Waits (up to 20 s) until `file` holds something: the helper has committed a login.
bool WaitForOutput(const std::string& file) {
  for (int i = 0; i < 20000; ++i) {
    std::error_code ec;
    if (std::filesystem::file_size(file, ec) > 0 && !ec) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

// The assertion IDs of the accepted login rows.
std::set<std::string> AcceptedAssertions(Db& db) {
  AuditFilter f;
  f.decision = "accepted";
  Result<std::vector<AuditEntry>> rows = ListAudit(db, f);
  BOOST_REQUIRE(rows.ok());
  std::set<std::string> ids;
  for (const AuditEntry& e : *rows) ids.insert(e.record.assertion_id);
  BOOST_TEST(ids.size() == rows->size());  // no assertion accepted twice
  return ids;
}

BOOST_AUTO_TEST_SUITE(processes)

BOOST_AUTO_TEST_CASE(eight_processes_two_hundred_logins_each) {
  constexpr int kWorkers = 8;
  constexpr long kLogins = 200;
  constexpr long kSubjects = 50;
  TempDir dir;
  const std::string db_path = dir.File("load.db");
  std::vector<pid_t> pids;
  for (int w = 0; w < kWorkers; ++w) {
    pids.push_back(StartHelper(db_path, w, kLogins, kSubjects, dir.File(std::to_string(w))));
  }
  int created = 0;
  for (int w = 0; w < kWorkers; ++w) {
    BOOST_TEST(WaitExit(pids[w]) == 0);
    const std::vector<std::string> lines = Lines(dir.File(std::to_string(w)));
    BOOST_TEST(lines.size() == static_cast<std::size_t>(kLogins));
    for (const std::string& line : lines) {
      BOOST_TEST(line.rfind("committed ", 0) == 0u, line);  // no storage.busy, no failure
      if (line.size() > 8 && line.compare(line.size() - 8, 8, " created") == 0) ++created;
    }
  }
  Result<Db> db = Db::Open(db_path);
  BOOST_REQUIRE(db.ok());
  BOOST_TEST(ScalarInt(*db, "SELECT count(*) FROM audit") == kWorkers * kLogins);
  BOOST_TEST(ScalarInt(*db, "SELECT count(*) FROM audit WHERE decision = 'accepted'") ==
             kWorkers * kLogins);
  BOOST_TEST(ScalarInt(*db, "SELECT count(*) FROM replay") == kWorkers * kLogins);
  BOOST_TEST(AcceptedAssertions(*db).size() == static_cast<std::size_t>(kWorkers * kLogins));
  BOOST_TEST(created == kSubjects);  // each account created exactly once, by someone
  Result<std::vector<User>> users = ListUsers(*db, std::string("load"));
  BOOST_REQUIRE(users.ok());
  BOOST_TEST(users->size() == static_cast<std::size_t>(kSubjects));
  for (const User& u : *users) {
    BOOST_TEST((u.permissions == std::vector<std::string>{"agent"}));
    BOOST_TEST(u.attributes.count("roles") == 1u);
  }
  Result<AuditVerification> v = VerifyAudit(*db);
  BOOST_REQUIRE(v.ok());
  BOOST_TEST(v->ok, v->reason);
  BOOST_TEST(v->rows == kWorkers * kLogins);
}

BOOST_AUTO_TEST_CASE(sigkill_at_random_moments_loses_nothing_committed) {
  constexpr int kRounds = 30;
  TempDir dir;
  const std::string db_path = dir.File("crash.db");
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> delay_ms(0, 120);
  std::set<std::string> printed;
  for (int round = 0; round < kRounds; ++round) {
    // Two writers per round. A is killed at a random moment after its start (possibly while
    // opening or migrating); B at a random moment after its first commit, mid-stream.
    const std::string out_a = dir.File("a" + std::to_string(round));
    const std::string out_b = dir.File("b" + std::to_string(round));
    const pid_t a = StartHelper(db_path, 2 * round, 1000000, 37, out_a);
    const pid_t b = StartHelper(db_path, 2 * round + 1, 1000000, 37, out_b);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(a, SIGKILL);
    BOOST_TEST(WaitForOutput(out_b));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng) / 2));
    ::kill(b, SIGKILL);
    BOOST_TEST(WaitExit(a) == 128 + SIGKILL);
    BOOST_TEST(WaitExit(b) == 128 + SIGKILL);
    for (const std::string& file : {out_a, out_b}) {
      for (const std::string& line : Lines(file)) {
        BOOST_TEST(line.rfind("committed ", 0) == 0u, line);
        std::istringstream words(line);
        std::string word, id;
        words >> word >> id;
        printed.insert(id);
      }
    }
  }
  BOOST_TEST_MESSAGE("logins printed as committed before a kill: " << printed.size());
  BOOST_TEST(printed.size() > 0u);
  Result<Db> db = Db::Open(db_path);
  BOOST_REQUIRE(db.ok());
  Result<AuditVerification> v = VerifyAudit(*db);
  BOOST_REQUIRE(v.ok());
  BOOST_TEST(v->ok, v->reason);
  const std::set<std::string> accepted = AcceptedAssertions(*db);
  for (const std::string& id : printed) BOOST_TEST(accepted.count(id) == 1u, id);
  // Every committed login has its replay entry, and nothing else was half-written.
  BOOST_TEST(ScalarInt(*db, "SELECT count(*) FROM replay") ==
             static_cast<std::int64_t>(accepted.size()));
  BOOST_TEST(ScalarInt(*db, "SELECT count(*) FROM audit") ==
             static_cast<std::int64_t>(accepted.size()));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
