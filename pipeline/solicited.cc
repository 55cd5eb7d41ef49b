#include "pipeline/solicited.h"

#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "storage/replay.h"
#include "storage/sqlite.h"

namespace claimgate::pipeline {

Result<Solicitation> Solicited(const ConnectionConfig& config, const saml::Assertion& login,
                               const LoginContext& context) {
  Solicitation s;
  // The caller named the request (process --in-response-to): verification already required the
  // signed InResponseTo to equal it.
  s.solicited = context.in_response_to.has_value();
  if (context.consume_pending_request && login.in_response_to) {
    s.solicited = true;
    s.pending_request_id = *login.in_response_to;
    auto nonce = context.browser_nonces.find(*login.in_response_to);
    if (nonce != context.browser_nonces.end()) s.browser_nonce = nonce->second;
  }
  if (!s.solicited && !config.allow_idp_initiated) {
    return Status::Error(errors::kInResponseToUnsolicited,
                         "the response answers no request of this SP and the connection refuses "
                         "IdP-initiated sign-on");
  }
  return s;
}

Result<std::string> AnswerPendingRequest(storage::Txn& txn, const std::string& connection,
                                         const std::string& request_id, TimePoint now,
                                         const std::optional<std::string>& browser_nonce) {
  Result<std::optional<storage::PendingRequest>> found =
      storage::FindPendingRequest(txn, connection, request_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return Status::Error(
        errors::kInResponseToUnknownRequest,
        "no pending request '" + request_id + "' on connection '" + connection + "'");
  }
  const storage::PendingRequest& request = **found;
  const Status reused = Status::Error(errors::kInResponseToRequestReused,
                                      "request '" + request_id + "' was already answered");
  if (request.answered) return reused;
  if (now >= request.expires_at) {
    return Status::Error(errors::kInResponseToRequestExpired,
                         "request '" + request_id + "' has expired");
  }
  if (request.browser_binding &&
      (!browser_nonce ||
       !crypto::ConstantTimeEqual(crypto::Sha256Hex(*browser_nonce), *request.browser_binding))) {
    return Status::Error(errors::kInResponseToNotThisBrowser,
                         "request '" + request_id + "' was started in another browser (" +
                             (browser_nonce ? "wrong" : "no") + " binding cookie)");
  }
  Result<bool> marked = storage::MarkRequestAnswered(txn, connection, request_id);
  if (!marked.ok()) return marked.status();
  if (!*marked) return reused;
  return request.relay_state;
}

}  // namespace claimgate::pipeline
