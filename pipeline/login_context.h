#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/clock.h"

namespace claimgate::pipeline {

// What one login asked of the pipeline, besides the posted bytes.
struct LoginContext {
  // The instant the assertion's validity window is checked at (`--now` moves it). Rows are
  // always dated by the wall clock of their commit.
  TimePoint now;
  // The AuthnRequest ID this response must answer (SP-initiated sign-on), if any.
  std::optional<std::string> in_response_to;
  std::string client_addr;  // "" when unknown
  // The ACS of `serve`: the SP keeps its AuthnRequest IDs (pending_requests). A response whose
  // signed InResponseTo names one is solicited, and that request is answered in the login's own
  // transaction (unknown, reused or expired: in_response_to.*). Without it, `in_response_to`
  // above is the only request the response may answer.
  bool consume_pending_request = false;
  // The binding nonces the browser presented (serve's claimgate_authn_<request-id> cookies), by
  // request ID. A request bound to a browser at /login is answered only with its nonce
  // (SECURITY.md F05: a response obtained in another browser cannot be pushed into this one).
  std::map<std::string, std::string> browser_nonces;
};

}  // namespace claimgate::pipeline
