#include "pipeline/acs.h"

#include "base/civil_time.h"
#include "pipeline/decision_json.h"
#include "pipeline/handoff.h"

namespace claimgate::pipeline {

namespace {

// Attaches a fresh hand-off code to a prepared login; a login whose code cannot be made (the
// random source failed) is refused rather than accepted without one. Returns the code.
std::string GrantHandoff(PreparedLogin& prepared) {
  if (!prepared.login) return "";
  Result<std::string> code = NewHandoffCode();
  if (!code.ok()) {
    prepared.refusal.status = code.status();
    prepared.login.reset();
    return "";
  }
  const saml::Assertion& assertion = *prepared.decision.login;
  HandoffGrant grant;
  grant.code = *code;
  grant.worker = MappedWorkerJson(*prepared.decision.mapping);
  grant.session_index = assertion.session_index;
  grant.not_on_or_after = FormatDateTime(assertion.not_on_or_after);
  prepared.login->handoff = std::move(grant);
  return *std::move(code);
}

}  // namespace

AcsOutcome RunAcs(const Connection& connection, std::string_view saml_response,
                  std::string_view relay_state, const std::string& client_addr, TimePoint now,
                  storage::Db& db, std::mutex* write_lock,
                  std::map<std::string, std::string> browser_nonces) {
  LoginContext context;
  context.now = now;
  context.client_addr = client_addr;
  context.consume_pending_request = true;
  context.browser_nonces = std::move(browser_nonces);
  AcsOutcome out;
  // Verification and mapping run unlocked, concurrently; only the commit takes the lock.
  PreparedLogin prepared = Prepare(connection, saml_response, context);
  const std::string& callback_url = connection.config().product_callback_url;
  const std::string code = callback_url.empty() ? "" : GrantHandoff(prepared);
  {
    std::unique_lock<std::mutex> lock;
    if (write_lock) lock = std::unique_lock<std::mutex>(*write_lock);
    out.decision = Commit(connection, std::move(prepared), now, db);
  }
  if (!out.decision.accepted()) return out;
  const std::string& stored = out.decision.provisioning.relay_state;
  const std::string candidate = stored.empty() ? std::string(relay_state) : stored;
  const bool allowed = RelayStateAllowed(connection.config(), candidate);
  if (!code.empty()) {
    out.redirect = HandoffRedirect(callback_url, code, allowed ? candidate : "");
    out.handoff = true;
  } else if (allowed) {
    out.redirect = candidate;
  }
  return out;
}

}  // namespace claimgate::pipeline
