#pragma once

// One-time use: assertion IDs already accepted (replay) and AuthnRequest IDs this SP sent
// (pending_requests, for SP-initiated InResponseTo).

#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace claimgate::storage {

class Txn;

// Records `assertion_id` for `connection` until `expires_at` (the assertion's NotOnOrAfter plus
// the clock skew; the caller adds the skew). Fails with replay.detected when the ID is already
// recorded and its entry has not expired at `now`; an expired entry is replaced.
// provisioning.invalid_request when the ID is empty; provisioning.unknown_connection.
Status CheckAndRecordAssertion(Txn& txn, const std::string& connection,
                               const std::string& assertion_id, TimePoint expires_at,
                               TimePoint now);

// Deletes every replay entry and pending request (all connections) that has expired at `now`.
// A consumed request stays until it expires, so a second answer is reported as reused.
// Returns how many rows went.
Result<std::int64_t> PruneExpired(Txn& txn, TimePoint now);

// Records an AuthnRequest ID sent for `connection`, valid until `expires_at`. With a
// `browser_nonce` (SECURITY.md F05) the request is bound to the browser holding that nonce in a
// cookie: only its SHA-256 is stored, and only a consumer presenting the nonce may answer it.
// storage.constraint when the ID already exists; provisioning.unknown_connection.
Status CreatePendingRequest(Txn& txn, const std::string& connection, const std::string& request_id,
                            const std::string& relay_state, TimePoint expires_at,
                            const std::optional<std::string>& browser_nonce = std::nullopt);

// A stored AuthnRequest, as CreatePendingRequest wrote it. Whether a response may answer it is
// the pipeline's rule (pipeline/solicited.h).
struct PendingRequest {
  std::string relay_state;
  TimePoint expires_at;
  bool answered = false;
  std::optional<std::string> browser_binding;  // SHA-256 hex of the browser nonce, when bound
};

// The request `request_id` of `connection`, or nullopt when none is stored.
Result<std::optional<PendingRequest>> FindPendingRequest(Txn& txn, const std::string& connection,
                                                         const std::string& request_id);

// Marks the request answered. Returns false, changing nothing, when it already was (or is not
// stored): exactly one transaction can answer a request.
Result<bool> MarkRequestAnswered(Txn& txn, const std::string& connection,
                                 const std::string& request_id);

}  // namespace claimgate::storage
