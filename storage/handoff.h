#pragma once

// One-use hand-off codes (DESIGN.md "Handing the login to the product"): after an accepted ACS
// post the browser carries a code to the product, whose backend redeems it once for the login.
// Only the code's SHA-256 is ever stored; the functions below take the plain code and hash it
// themselves, so no caller can store it by mistake. Whether a code may be redeemed (expiry,
// lifetime) is the pipeline's rule (pipeline/handoff.h).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace claimgate::storage {

class Txn;

struct NewHandoffCode {
  std::string connection;
  std::int64_t user_id = 0;   // the account signed in
  std::int64_t audit_id = 0;  // the login's audit row
  std::string payload;        // JSON object text: what a redeem answers
  TimePoint expires_at{};
};

// A stored code, found by its plain text.
struct HandoffCode {
  std::string connection;
  std::int64_t user_id = 0;
  std::int64_t audit_id = 0;
  std::string payload;
  TimePoint expires_at{};
  std::optional<TimePoint> used_at;  // set once redeemed
  bool user_active = true;           // the account's status now, not at the login
};

// Stores SHA-256(`code`) with `row`, inside the login's transaction. storage.invalid_argument
// when the code is empty; storage.constraint when the same code exists (2^-256: a broken random
// source), the connection or user is not stored, or the payload is not a JSON object.
Status InsertHandoffCode(Txn& txn, std::string_view code, const NewHandoffCode& row);

// The code's row, or nullopt when no row has its hash. storage.*.
Result<std::optional<HandoffCode>> FindHandoffCode(Txn& txn, std::string_view code);

// Marks the code used at `now` with a conditional UPDATE (… WHERE used_at IS NULL): true when
// this call used it, false when it was already used (or is not stored). Exactly one of any number
// of concurrent callers gets true.
Result<bool> MarkHandoffCodeUsed(Txn& txn, std::string_view code, TimePoint now);

// Deletes every code whose expiry is at or before `before`; returns how many went.
Result<std::int64_t> PruneHandoffCodes(Txn& txn, TimePoint before);

}  // namespace claimgate::storage
