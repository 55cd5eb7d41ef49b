// claimgate audit list|verify|export: the audit trail for people (a table) and machines (JSON
// lines), the hash-chain check (exit 1 when broken or not anchored), and the export an outside
// program re-verifies.
#include <cctype>
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
    for (const storage::AuditEntry& e : *rows)
      std::cout << pipeline::Dump(pipeline::AuditJson(e)) << "\n";
    return kExitAccepted;
  }
  std::vector<std::vector<std::string>> table;
  for (const storage::AuditEntry& e : *rows) {
    const storage::AuditRecord& r = e.record;
    table.push_back({std::to_string(e.id), e.time, r.connection, r.event, r.decision,
                     r.error_code.empty() ? "-" : r.error_code, r.subject,
                     r.assertion_id.empty() ? "-" : r.assertion_id, r.actor});
  }
  PrintTable(
      {"ID", "TIME", "CONNECTION", "EVENT", "DECISION", "ERROR", "SUBJECT", "ASSERTION", "ACTOR"},
      table);
  return kExitAccepted;
}

bool IsHash(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

int Verify(CliContext& ctx, bool json, std::string expect_head) {
  for (char& c : expect_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!expect_head.empty() && !IsHash(expect_head)) {
    std::cerr << "claimgate audit verify: --expect-head: '" << Printable(expect_head.substr(0, 80))
              << "' is not a SHA-256 hash (64 hex digits)\n";
    return kExitUsage;
  }
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kRead);
  if (!db) return kExitError;
  Result<storage::AuditVerification> v = storage::VerifyAudit(*db, expect_head);
  if (!v.ok()) return ReportError(v.status());
  if (json) {
    pipeline::Json j = {{"ok", v->ok},
                        {"rows", v->rows},
                        {"head", v->head},
                        {"broken_id", v->broken_id},
                        {"reason", v->reason}};
    if (!expect_head.empty()) {
      j["expect_head"] = expect_head;
      j["anchor_id"] = v->anchor_id;
    }
    std::cout << pipeline::Dump(j) << "\n";
  } else if (v->ok) {
    if (v->anchor_id != 0) {
      std::cout << "expected head " << expect_head << " is row " << v->anchor_id << "\n";
    }
    std::cout << "audit chain ok: " << v->rows << " rows, head " << v->head << "\n";
  } else if (v->broken_id == 0 && !v->head.empty()) {  // intact, but not anchored
    std::cout << "audit chain NOT ANCHORED: " << v->reason << " (" << v->rows << " rows, head "
              << v->head << ")\n";
  } else {
    std::cout << "audit chain BROKEN at row " << v->broken_id << ": " << v->reason << "\n";
  }
  return v->ok ? kExitAccepted : kExitRejected;
}

// One exported row: every column, the detail as the exact text that was hashed, and both hashes
// (README "Audit trail": how to re-verify).
pipeline::Json ExportJson(const storage::AuditEntry& e) {
  const storage::AuditRecord& r = e.record;
  return {{"id", e.id},
          {"format", e.format},
          {"time", e.time},
          {"actor", r.actor},
          {"connection", r.connection},
          {"event", r.event},
          {"decision", r.decision},
          {"error_code", r.error_code},
          {"subject", r.subject},
          {"assertion_id", r.assertion_id},
          {"issuer", r.issuer},
          {"client_addr", r.client_addr},
          {"detail", r.detail},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

int Export(CliContext& ctx, const std::string& since_text) {
  Result<std::optional<TimePoint>> since = TimeFilter(since_text);
  if (!since.ok()) return ReportError(Status(since.status()).Prefixed("--since: "));
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path);
  if (!db) return kExitUsage;
  storage::AuditFilter f;
  f.since = *since;
  Result<std::vector<storage::AuditEntry>> rows = storage::ListAudit(*db, f);
  if (!rows.ok()) return ReportError(rows.status());
  for (const storage::AuditEntry& e : *rows) std::cout << pipeline::Dump(ExportJson(e)) << "\n";
  std::cout.flush();
  return std::cout ? kExitAccepted : kExitUsage;
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
  auto expect_head = std::make_shared<std::string>();
  verify->add_flag("--json", *json, "Print the result as one JSON object");
  verify->add_option("--expect-head", *expect_head,
                     "A head printed earlier and kept elsewhere: exit 1 unless it is a row's hash "
                     "in the verified chain");
  verify->callback([&ctx, json, expect_head] { ctx.exit_code = Verify(ctx, *json, *expect_head); });
  CLI::App* exp = audit->add_subcommand(
      "export",
      "Write every row as a JSON line with every field and both hashes, for an outside "
      "program to re-verify (README: Audit trail)");
  auto since = std::make_shared<std::string>();
  exp->add_option("--since", *since, "From this time on (YYYY-MM-DD[THH:MM:SS[.f]Z], UTC)");
  exp->callback([&ctx, since] { ctx.exit_code = Export(ctx, *since); });
}

}  // namespace claimgate::cli
