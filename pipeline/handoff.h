#pragma once

// Handing an accepted login to the product (DESIGN.md "Handing the login to the product"): the
// ACS issues a one-use code in the login's own transaction and sends the browser to the
// connection's product.callback_url with it; the product's backend redeems the code once, over
// the back channel, for the login. The policy lives here (lifetime, verdicts, the audit row of
// every redeem); the rows in storage/handoff.h.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace claimgate::storage {
class Db;
class Txn;
}  // namespace claimgate::storage

namespace claimgate::pipeline {

// A code is redeemable while now < issued + kHandoffCodeLifetime.
inline constexpr std::chrono::seconds kHandoffCodeLifetime{60};
// Expired codes are kept this much longer, so that a late redeem is told handoff.code_expired
// rather than handoff.unknown_code; then they are pruned by the next issue or redeem.
inline constexpr std::chrono::minutes kHandoffCodeRetention{10};

// 256 bits from the system CSPRNG, base64url without padding (43 characters: safe in a URL
// query as is). storage.internal when the random source fails.
Result<std::string> NewHandoffCode();

// What the ACS knows of a login before its commit: the code it will carry to the product and the
// facts the redeem answers that only the verified assertion and the mapping have.
struct HandoffGrant {
  std::string code;               // plain: never stored, travels only in the redirect
  nlohmann::ordered_json worker;  // the mapped worker, as `claimgate process` prints it
  std::string session_index;      // "" when the IdP sent none
  std::string not_on_or_after;    // the assertion's, ISO-8601 UTC
};

// The login as its transaction committed it.
struct HandedOffLogin {
  std::string connection;
  std::int64_t user_id = 0;
  std::string subject;
  std::string email;                     // the account's stored email
  std::vector<std::string> permissions;  // the account's stored permissions
  std::int64_t audit_id = 0;             // the login's audit row
};

// Inside the login's transaction (pipeline/commit.cc): prunes codes that expired more than
// kHandoffCodeRetention ago, then stores the grant's code (its SHA-256 only) with the redeem
// answer, valid until now + kHandoffCodeLifetime. storage.* on failure: the caller rolls the
// whole login back, so an accepted login never lacks its code.
Status IssueHandoffCode(storage::Txn& txn, const HandoffGrant& grant, const HandedOffLogin& login,
                        TimePoint now);

// callback_url + "?claimgate_code=CODE" ('&' when the URL already has a query), plus
// "&relay_state=" and the URL-encoded relay state when one is given (already allow-listed).
std::string HandoffRedirect(const std::string& callback_url, const std::string& code,
                            const std::string& relay_state);

struct RedeemOutcome {
  Status status;              // ok, handoff.unknown_code | code_used | code_expired, storage.*
  std::string body;           // when ok: the login as JSON (the contract's 200 body)
  std::int64_t audit_id = 0;  // the login.redeem row written (0 if even that failed)
};

// Redeems `code` at `now` in ONE transaction (BEGIN IMMEDIATE, under `write_lock` when given, as
// the ACS commit is): unknown → handoff.unknown_code; already used → handoff.code_used; past its
// lifetime → handoff.code_expired; else the code is marked used with a conditional UPDATE (of
// concurrent redeems exactly one succeeds, the others get handoff.code_used) and the login's JSON
// is returned. Every call writes one audit row, event "login.redeem", accepted or rejected with
// its code, naming the connection and subject when the code is known, in that same transaction.
RedeemOutcome RedeemHandoffCode(storage::Db& db, std::string_view code,
                                const std::string& client_addr, TimePoint now,
                                std::mutex* write_lock = nullptr);

}  // namespace claimgate::pipeline
