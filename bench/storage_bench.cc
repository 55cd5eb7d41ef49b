// storage_bench: login commits per second (pipeline::CommitLogin: replay entry, account, audit
// row in one transaction) on one process, for new users (account created) and returning users
// (attributes updated), under synchronous=FULL and NORMAL, and for 8 processes sharing one
// database. Verification and mapping are left out. Not a test.
// Usage: storage_bench [LOGINS]   (default 2000 per phase)
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "base/clock.h"
#include "pipeline/commit.h"
#include "storage/connections.h"
#include "storage/sqlite.h"

namespace {

namespace storage = claimgate::storage;
namespace pipeline = claimgate::pipeline;

pipeline::ConnectionConfig Config() {
  pipeline::ConnectionConfig c;
  c.name = "bench";
  c.default_permissions = {"agent"};
  c.attribute_policies.per_attribute = {{"image_url", pipeline::AttributePolicy::kOnCreate}};
  return c;
}

const std::vector<claimgate::rules::Explanation> kExplanation = {
    {"roles", "from", "$.attributes.roles", "roles", {"agent"}, ""}};

pipeline::MappedLogin Login(long user, long round, claimgate::TimePoint now) {
  pipeline::MappedLogin r;
  r.subject = "user-" + std::to_string(user);
  r.email = r.subject + "@bench.example";
  r.issuer = "https://idp.bench.example";
  r.assertion_id = "_" + std::to_string(round) + "-" + std::to_string(user);
  r.replay_until = now + std::chrono::minutes(5);
  r.worker = {{"roles", {round % 2 == 0 ? "agent" : "supervisor"}},
              {"full_name", {"User " + std::to_string(user)}},
              {"image_url", {"https://img.example/" + std::to_string(user)}}};
  return r;
}

// Runs `n` logins of round `round` (users first_user..first_user+n-1); returns logins per
// second, or -1 on failure.
double Phase(storage::Db& db, long n, long round, long first_user = 0) {
  const claimgate::SystemClock clock;
  const pipeline::ConnectionConfig config = Config();
  const auto start = std::chrono::steady_clock::now();
  for (long u = 0; u < n; ++u) {
    const claimgate::TimePoint now = clock.Now();
    const pipeline::CommitOutcome out =
        pipeline::CommitLogin(db, config, Login(first_user + u, round, now), kExplanation, now);
    if (!out.status.ok()) {
      std::fprintf(stderr, "login failed: %s %s\n", std::string(out.status.code()).c_str(),
                   out.status.message().c_str());
      return -1;
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return static_cast<double>(n) / took.count();
}

// `procs` processes (fork) each log `n` distinct users in twice (create, then return) on one
// database; returns total logins per second, or -1 when a child failed.
double Concurrent(const std::string& path, int procs, long n) {
  const auto start = std::chrono::steady_clock::now();
  for (int p = 0; p < procs; ++p) {
    const pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
      claimgate::Result<storage::Db> db = storage::Db::Open(path);
      if (!db.ok()) ::_exit(1);
      const bool ok = Phase(*db, n, 100 + p, p * n) >= 0 && Phase(*db, n, 200 + p, p * n) >= 0;
      ::_exit(ok ? 0 : 1);
    }
  }
  bool ok = true;
  for (int p = 0; p < procs; ++p) {
    int status = 0;
    if (::wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) ok = false;
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return ok ? static_cast<double>(2 * procs * n) / took.count() : -1;
}

int Run(const std::string& dir, long n, bool full) {
  storage::DbOptions options;
  options.synchronous_full = full;
  const std::string path = dir + (full ? "/full.db" : "/normal.db");
  claimgate::Result<storage::Db> db = storage::Db::Open(path, options);
  if (!db.ok()) return 1;
  {
    claimgate::Result<storage::Txn> txn = storage::Txn::BeginImmediate(*db);
    if (!txn.ok() ||
        !storage::PutConnection(*txn, "bench", "{}", claimgate::SystemClock().Now()).ok() ||
        !txn->Commit().ok()) {
      return 1;
    }
  }
  const double created = Phase(*db, n, 0);
  const double returning = Phase(*db, n, 1);
  if (created < 0 || returning < 0) return 1;
  std::printf(
      "journal_mode=WAL synchronous=%-6s busy_timeout=%dms  new users: %8.0f/s  "
      "returning users: %8.0f/s  (%ld each, one transaction per login)\n",
      full ? "FULL" : "NORMAL", options.busy_timeout_ms, created, returning, n);
  if (!full) return 0;  // the child processes open with the defaults (FULL)
  constexpr int kProcs = 8;
  const double together = Concurrent(path, kProcs, n / kProcs);
  if (together < 0) return 1;
  std::printf(
      "journal_mode=WAL synchronous=FULL   %d processes at once, new then returning: "
      "%8.0f/s in total\n",
      kProcs, together);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 2000;
  if (n <= 0) return 2;
  std::string dir = (std::filesystem::temp_directory_path() / "cg-bench-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) return 1;
  int rc = Run(dir, n, /*full=*/true);
  if (rc == 0) rc = Run(dir, n, /*full=*/false);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return rc;
}
