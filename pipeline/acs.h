#pragma once

// The ACS decision for serve: which pending request a posted response answers, then the whole
// pipeline, with only the commit under the caller's writer lock.

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "pipeline/process.h"

namespace claimgate::pipeline {

struct AcsOutcome {
  Decision decision;
  std::string redirect;  // where to send the browser (allow-listed), "" for the result page
  // The redirect is the connection's product.callback_url with a hand-off code: it is answered
  // (303) whatever the client accepts, since the code is of use only there.
  bool handoff = false;
};

// Runs one posted SAMLResponse through `connection` with Prepare and Commit: a response whose
// signed InResponseTo (bearer SubjectConfirmationData) names a request must answer a pending
// request of this connection, answered in the login's own transaction
// (in_response_to.unknown_request / request_reused / request_expired); a response answering
// none is unsolicited (in_response_to.unsolicited unless the connection allows IdP-initiated).
// The redirect is the pending request's relay state, else the posted one, and only when the
// login was accepted and the URL is on the connection's allow-list.
// `write_lock` (optional) is held around the commit only, never around verification, so that a
// costly post cannot hold up other logins: SQLite takes one writer at a time, and queueing the
// process's own writers on a mutex is fairer and faster than their busy-retry sleeps on the
// file lock (other processes still wait on the lock as usual).
// When the connection has product.callback_url, an accepted login instead redirects there with
// a one-use hand-off code issued in the login's transaction (pipeline/handoff.h), the
// allow-listed relay state passed on as relay_state.
// `browser_nonces` are the binding cookies the browser sent, by request ID: a request bound at
// /login is answered only with its nonce (in_response_to.not_this_browser otherwise, the
// request left pending).
AcsOutcome RunAcs(const Connection& connection, std::string_view saml_response,
                  std::string_view relay_state, const std::string& client_addr, TimePoint now,
                  storage::Db& db, std::mutex* write_lock = nullptr,
                  std::map<std::string, std::string> browser_nonces = {});

}  // namespace claimgate::pipeline
