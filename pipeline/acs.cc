#include "pipeline/acs.h"

namespace claimgate::pipeline {

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
  {
    std::unique_lock<std::mutex> lock;
    if (write_lock) lock = std::unique_lock<std::mutex>(*write_lock);
    out.decision = Commit(connection, std::move(prepared), now, db);
  }
  if (!out.decision.accepted()) return out;
  const std::string& stored = out.decision.provisioning.relay_state;
  const std::string candidate = stored.empty() ? std::string(relay_state) : stored;
  if (RelayStateAllowed(connection.config(), candidate)) out.redirect = candidate;
  return out;
}

}  // namespace claimgate::pipeline
