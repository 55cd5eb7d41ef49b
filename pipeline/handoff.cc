#include "pipeline/handoff.h"

#include <optional>
#include <utility>

#include "base/base64.h"
#include "base/civil_time.h"
#include "base/url_encoding.h"
#include "crypto/random.h"
#include "storage/audit.h"
#include "storage/handoff.h"
#include "storage/sqlite.h"

namespace claimgate::pipeline {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kCodeBytes = 32;  // 256 bits

// RFC 4648 §5: '-' and '_' for '+' and '/', no padding.
std::string Base64Url(std::string_view bytes) {
  std::string s = EncodeBase64(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

std::string RedeemDetail(const storage::HandoffCode* code, const Status& s) {
  Json d = Json::object();
  if (code) {
    d["login_audit_id"] = code->audit_id;
    d["user_id"] = code->user_id;
  }
  if (!s.ok()) d["message"] = s.message();
  return d.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The audit row of one redeem; connection and subject when the code is known.
storage::AuditRecord RedeemRow(const storage::HandoffCode* code, const std::string& client_addr,
                               const Status& s) {
  storage::AuditRecord a;
  a.event = "login.redeem";
  a.actor = storage::kActorToken;  // the product's backend, authenticated by the API token
  a.decision = s.ok() ? "accepted" : "rejected";
  a.error_code = std::string(s.code());
  a.client_addr = client_addr;
  if (code) {
    a.connection = code->connection;
    const Json payload = Json::parse(code->payload, nullptr, /*allow_exceptions=*/false);
    if (payload.is_object() && payload.contains("subject") && payload["subject"].is_string()) {
      a.subject = payload["subject"].get<std::string>();
    }
  }
  a.detail = RedeemDetail(code, s);
  return a;
}

// The verdict on a stored code at `now` (before it is marked used).
Status Verdict(const std::optional<storage::HandoffCode>& code, TimePoint now) {
  if (!code) {
    return Status::Error(errors::kHandoffUnknownCode, "no such hand-off code");
  }
  if (code->used_at) {
    return Status::Error(errors::kHandoffCodeUsed,
                         "the hand-off code was redeemed at " + FormatDateTime(*code->used_at));
  }
  if (now >= code->expires_at) {
    return Status::Error(errors::kHandoffCodeExpired,
                         "the hand-off code expired at " + FormatDateTime(code->expires_at));
  }
  // An operator who disables the account between the login and the redeem wins.
  if (!code->user_active) {
    return Status::Error(errors::kProvisioningUserDisabled,
                         "the account was disabled after the login: the code is not honoured");
  }
  return Status::Ok();
}

// Everything of one redeem inside `txn`; a returned Status means nothing was committed.
Result<RedeemOutcome> RedeemIn(storage::Txn& txn, std::string_view code,
                               const std::string& client_addr, TimePoint now) {
  Result<std::int64_t> pruned = storage::PruneHandoffCodes(txn, now - kHandoffCodeRetention);
  if (!pruned.ok()) return pruned.status();
  Result<std::optional<storage::HandoffCode>> found = storage::FindHandoffCode(txn, code);
  if (!found.ok()) return found.status();
  RedeemOutcome out;
  out.status = Verdict(*found, now);
  if (out.status.ok()) {
    Result<bool> used = storage::MarkHandoffCodeUsed(txn, code, now);
    if (!used.ok()) return used.status();
    if (!*used) {  // another process took it since the read (we hold the write lock: defensive)
      out.status = Status::Error(errors::kHandoffCodeUsed, "the hand-off code was just redeemed");
    }
  }
  const storage::HandoffCode* known = found->has_value() ? &**found : nullptr;
  Result<storage::AuditEntry> row =
      storage::AppendAudit(txn, RedeemRow(known, client_addr, out.status));
  if (!row.ok()) return row.status();
  if (Status s = txn.Commit(); !s.ok()) return s;
  out.audit_id = row->id;
  if (out.status.ok()) out.body = (*found)->payload;
  return out;
}

}  // namespace

Result<std::string> NewHandoffCode() {
  Result<std::string> bytes = crypto::RandomBytes(kCodeBytes);
  if (!bytes.ok()) return bytes.status();
  return Base64Url(*bytes);
}

Status IssueHandoffCode(storage::Txn& txn, const HandoffGrant& grant, const HandedOffLogin& login,
                        TimePoint now) {
  Result<std::int64_t> pruned = storage::PruneHandoffCodes(txn, now - kHandoffCodeRetention);
  if (!pruned.ok()) return pruned.status();
  Json body = {{"connection", login.connection},
               {"user_id", login.user_id},
               {"subject", login.subject},
               {"email", login.email},
               {"worker", grant.worker.is_object() ? grant.worker : Json::object()},
               {"permissions", login.permissions},
               {"session_index", grant.session_index},
               {"not_on_or_after", grant.not_on_or_after},
               {"audit_id", login.audit_id}};
  storage::NewHandoffCode row;
  row.connection = login.connection;
  row.user_id = login.user_id;
  row.audit_id = login.audit_id;
  row.payload = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  row.expires_at = now + kHandoffCodeLifetime;
  return storage::InsertHandoffCode(txn, grant.code, row);
}

std::string HandoffRedirect(const std::string& callback_url, const std::string& code,
                            const std::string& relay_state) {
  std::string url = callback_url;
  url += callback_url.find('?') == std::string::npos ? '?' : '&';
  url += "claimgate_code=" + UrlEncode(code);
  if (!relay_state.empty()) url += "&relay_state=" + UrlEncode(relay_state);
  return url;
}

RedeemOutcome RedeemHandoffCode(storage::Db& db, std::string_view code,
                                const std::string& client_addr, TimePoint now,
                                std::mutex* write_lock) {
  std::unique_lock<std::mutex> lock;
  if (write_lock) lock = std::unique_lock<std::mutex>(*write_lock);
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  RedeemOutcome out;
  if (!txn.ok()) {
    out.status = txn.status();
    return out;
  }
  Result<RedeemOutcome> done = RedeemIn(*txn, code, client_addr, now);
  if (!done.ok()) {
    out.status = done.status();
    return out;
  }
  return *std::move(done);
}

}  // namespace claimgate::pipeline
