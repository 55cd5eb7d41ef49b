#pragma once

// The "solicited, and by this browser?" rule, in one place (SECURITY.md F05, F06).

#include <optional>
#include <string>

#include "base/status.h"
#include "engine/saml/assertion.h"
#include "pipeline/connection.h"
#include "pipeline/login_context.h"

namespace claimgate::storage {
class Txn;
}

namespace claimgate::pipeline {

// Which request a verified response answers.
struct Solicitation {
  bool solicited = false;  // it answers an AuthnRequest this SP sent
  // The pending request to answer in the login's transaction; "" when there is none, or when the
  // caller checked InResponseTo itself (`process --in-response-to`).
  std::string pending_request_id;
  std::optional<std::string> browser_nonce;  // the browser's binding nonce for that request
};

// verify → solicited: a response is solicited when it answers the request the caller expected,
// or (serve) a request the SP keeps. An unsolicited response is refused unless the connection
// allows IdP-initiated sign-on: in_response_to.unsolicited.
Result<Solicitation> Solicited(const ConnectionConfig& config, const saml::Assertion& login,
                               const LoginContext& context);

// Inside the login's transaction: the pending request must be stored for `connection`, not yet
// answered, not expired at `now`, and, when bound to a browser, answered with that browser's
// nonce (compared by hash, in constant time). It is then marked answered and its relay state
// returned. in_response_to.unknown_request, request_reused, request_expired,
// not_this_browser (the request then stays pending for the browser that has it); storage.*.
Result<std::string> AnswerPendingRequest(
    storage::Txn& txn, const std::string& connection, const std::string& request_id, TimePoint now,
    const std::optional<std::string>& browser_nonce = std::nullopt);

}  // namespace claimgate::pipeline
