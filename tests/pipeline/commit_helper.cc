// pipeline_commit_helper: a test helper (not a test) that runs COUNT CommitLogin calls against
// one database, as one of several concurrent processes, and prints one line per login AFTER its
// transaction committed:
//   committed <assertion_id> <action>
//   failed <assertion_id> <code> <message>
// Usage: storage_provision_helper DB WORKER COUNT SUBJECTS
// Subjects are "user-<i mod SUBJECTS>", shared by all workers, so processes race to create the
// same accounts. Exit 0 when every login was accepted, 1 otherwise, 2 on bad usage.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/clock.h"
#include "pipeline/commit.h"
#include "storage/connections.h"
#include "storage/sqlite.h"

namespace {

using claimgate::Result;
using claimgate::Status;
namespace storage = claimgate::storage;

Status EnsureConnection(storage::Db& db, claimgate::TimePoint now) {
  Result<std::optional<storage::ConnectionRecord>> found = storage::GetConnection(db, "load");
  if (!found.ok()) return found.status();
  if (found->has_value()) return Status::Ok();
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  if (Status s = storage::PutConnection(*txn, "load", R"({"profile":"flex"})", now); !s.ok()) {
    return s;
  }
  return txn->Commit();
}

namespace pipeline = claimgate::pipeline;

pipeline::MappedLogin MakeLogin(int worker, long i, long subjects, claimgate::TimePoint now) {
  pipeline::MappedLogin r;
  r.subject = "user-" + std::to_string(i % subjects);
  r.email = r.subject + "@load.example";
  r.issuer = "https://idp.load.example";
  r.assertion_id = "w" + std::to_string(worker) + "-" + std::to_string(i);
  r.replay_until = now + std::chrono::minutes(10);
  r.worker = {{"roles", {(i / subjects) % 2 == 0 ? "agent" : "supervisor"}},
              {"last_worker", {std::to_string(worker)}}};
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s DB WORKER COUNT SUBJECTS\n", argv[0]);
    return 2;
  }
  const int worker = std::atoi(argv[2]);
  const long count = std::atol(argv[3]);
  const long subjects = std::atol(argv[4]);
  if (subjects <= 0) return 2;
  const claimgate::SystemClock clock;
  Result<storage::Db> db = storage::Db::Open(argv[1]);
  if (!db.ok()) {
    std::printf("failed open %s %s\n", std::string(db.status().code()).c_str(),
                db.status().message().c_str());
    return 1;
  }
  if (Status s = EnsureConnection(*db, clock.Now()); !s.ok()) {
    std::printf("failed connection %s %s\n", std::string(s.code()).c_str(), s.message().c_str());
    return 1;
  }
  pipeline::ConnectionConfig config;
  config.name = "load";
  config.default_permissions = {"agent"};
  int rc = 0;
  for (long i = 0; i < count; ++i) {
    const claimgate::TimePoint now = clock.Now();
    const pipeline::MappedLogin r = MakeLogin(worker, i, subjects, now);
    const pipeline::CommitOutcome out = pipeline::CommitLogin(*db, config, r, {}, now);
    if (out.status.ok()) {
      std::printf("committed %s %s\n", r.assertion_id.c_str(),
                  pipeline::ProvisionActionName(out.action));
    } else {
      std::printf("failed %s %s %s\n", r.assertion_id.c_str(),
                  std::string(out.status.code()).c_str(), out.status.message().c_str());
      rc = 1;
    }
    std::fflush(stdout);
  }
  return rc;
}
