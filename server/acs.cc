#include "server/acs.h"

#include "server/sp.h"

namespace claimgate::server {

AcsOutcome RunAcs(const pipeline::Connection& connection, std::string_view saml_response,
                  std::string_view relay_state, const std::string& client_addr, TimePoint now,
                  storage::Db& db, std::mutex* write_lock,
                  std::map<std::string, std::string> browser_nonces) {
  pipeline::LoginContext context;
  context.now = now;
  context.client_addr = client_addr;
  // A response whose signed InResponseTo names a request must answer a pending request of this
  // connection, consumed in the login's transaction (pipeline::LoginContext).
  context.consume_pending_request = true;
  context.browser_nonces = std::move(browser_nonces);
  AcsOutcome out;
  // Verification and mapping run unlocked, concurrently; only the commit takes the lock.
  pipeline::PreparedLogin prepared = pipeline::Prepare(connection, saml_response, context);
  {
    std::unique_lock<std::mutex> lock;
    if (write_lock) lock = std::unique_lock<std::mutex>(*write_lock);
    out.decision = pipeline::Commit(std::move(prepared), now, db);
  }
  if (!out.decision.accepted()) return out;
  const std::string& stored = out.decision.provisioning.relay_state;
  const std::string candidate = stored.empty() ? std::string(relay_state) : stored;
  if (RelayStateAllowed(connection.config(), candidate)) out.redirect = candidate;
  return out;
}

}  // namespace claimgate::server
