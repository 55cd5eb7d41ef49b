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

// Marks the request answered and returns its relay state. Exactly once: a second call fails
// with in_response_to.request_reused; an unknown ID with in_response_to.unknown_request; one
// past `expires_at` with in_response_to.request_expired. A request bound to a browser needs
// that browser's `browser_nonce` (compared by hash, in constant time): absent or different is
// in_response_to.not_this_browser, and the request stays pending for the browser that has it.
Result<std::string> ConsumePendingRequest(
    Txn& txn, const std::string& connection, const std::string& request_id, TimePoint now,
    const std::optional<std::string>& browser_nonce = std::nullopt);

}  // namespace claimgate::storage
