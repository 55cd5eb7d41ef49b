// claimgate audit list|verify: the audit trail for people (a table) and machines (JSON lines),
// and the hash-chain check (exit 1 when broken).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/storage_cli.h"
#include "pipeline/decision_json.h"
#include "storage/audit.h"

namespace claimgate::cli {

namespace {

struct AuditArgs {
  std::string connection, subject, event, decision, since, until;
  long long limit = -1;
  bool json = false;
};

// Empty → nullopt; otherwise a date or dateTime (base/civil_time.h).
Result<std::optional<TimePoint>> TimeFilter(const std::string& text) {
  if (text.empty()) return std::optional<TimePoint>();
  std::optional<TimePoint> t = ParseDateOrDateTime(text);
  if (!t) {
    return Status::Error(
        errors::kStorageInvalidArgument,
        "'" + text.substr(0, 64) + "' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.f]Z");
  }
  return std::optional<TimePoint>(t);
}

std::optional<std::string> Opt(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

int List(CliContext& ctx, const AuditArgs& a) {
  storage::AuditFilter f;
  f.connection = Opt(a.connection);
  f.subject = Opt(a.subject);
  f.event = Opt(a.event);
  f.decision = Opt(a.decision);
  f.limit = a.limit;
  Result<std::optional<TimePoint>> since = TimeFilter(a.since);
  if (!since.ok()) return ReportError(Status(since.status()).Prefixed("--since: "));
  Result<std::optional<TimePoint>> until = TimeFilter(a.until);
  if (!until.ok()) return ReportError(Status(until.status()).Prefixed("--until: "));
  f.since = *since;
  f.until = *until;
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kRead);
  if (!db) return kExitError;
  Result<std::vector<storage::AuditEntry>> rows = storage::ListAudit(*db, f);
  if (!rows.ok()) return ReportError(rows.status());
  if (a.json) {
    for (const storage::AuditEntry& e : *rows) std::cout << pipeline::Dump(pipeline::AuditJson(e)) << "\n";
    return kExitAccepted;
  }
  std::vector<std::vector<std::string>> table;
  for (const storage::AuditEntry& e : *rows) {
    const storage::AuditRecord& r = e.record;
    table.push_back({std::to_string(e.id), e.time, r.connection, r.event, r.decision,
                     r.error_code.empty() ? "-" : r.error_code, r.subject,
                     r.assertion_id.empty() ? "-" : r.assertion_id});
  }
  PrintTable({"ID", "TIME", "CONNECTION", "EVENT", "DECISION", "ERROR", "SUBJECT", "ASSERTION"},
             table);
  return kExitAccepted;
}

int Verify(CliContext& ctx, bool json) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kRead);
  if (!db) return kExitError;
  Result<storage::AuditVerification> v = storage::VerifyAudit(*db);
  if (!v.ok()) return ReportError(v.status());
  if (json) {
    std::cout << pipeline::Dump({{"ok", v->ok},
                       {"rows", v->rows},
                       {"broken_id", v->broken_id},
                       {"reason", v->reason}})
              << "\n";
  } else if (v->ok) {
    std::cout << "audit chain ok: " << v->rows << " rows\n";
  } else {
    std::cout << "audit chain BROKEN at row " << v->broken_id << ": " << v->reason << "\n";
  }
  return v->ok ? kExitAccepted : kExitRejected;
}

}  // namespace

void AddAuditCommand(CLI::App& app, CliContext& ctx) {
  CLI::App* audit = app.add_subcommand("audit", "Read and verify the tamper-evident audit trail");
  audit->require_subcommand(1);
  auto a = std::make_shared<AuditArgs>();
  CLI::App* list = audit->add_subcommand("list", "List audit rows in order (oldest first)");
  list->add_option("--connection", a->connection, "Only this connection's rows");
  list->add_option("--subject", a->subject, "Only this subject's rows");
  list->add_option("--event", a->event, "Only this event (login, user.add, user.disable, ...)");
  list->add_option("--decision", a->decision, "Only this decision (accepted, rejected, applied)");
  list->add_option("--since", a->since, "From this time on (YYYY-MM-DD[THH:MM:SS[.f]Z], UTC)");
  list->add_option("--until", a->until, "Before this time (same format)");
  list->add_option("--limit", a->limit, "At most this many rows");
  list->add_flag("--json", a->json, "One JSON object per line (with detail and hashes)");
  list->callback([&ctx, a] { ctx.exit_code = List(ctx, *a); });
  CLI::App* verify = audit->add_subcommand(
      "verify", "Walk the hash chain from the first row; exit 1 and name the first broken row");
  auto json = std::make_shared<bool>(false);
  verify->add_flag("--json", *json, "Print the result as one JSON object");
  verify->callback([&ctx, json] { ctx.exit_code = Verify(ctx, *json); });
}

}  // namespace claimgate::cli
