#pragma once

// Connection changes with their audit rows (DESIGN.md "Audit integrity"): `connection add`,
// `update` and `remove` each change the connections table and append their audit row in ONE
// transaction, so the trail says who changed which IdP trust, and how.

#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "pipeline/connection.h"

namespace claimgate::storage {
class Db;
}

namespace claimgate::pipeline {

enum class ConnectionChange { kAdded, kUpdated, kUnchanged };

// Stores `config` as a new connection (`update` false; storage.constraint when the name is
// taken) or over the stored one (`update` true; storage.not_found when there is none), and
// appends "connection.add" / "connection.update" by `actor`. An update whose stored form equals
// the stored one changes nothing and writes no row (kUnchanged). `now` dates the row's
// created/updated columns.
Result<ConnectionChange> StoreConnection(storage::Db& db, const ConnectionConfig& config,
                                         bool update, const std::string& actor, TimePoint now);

// Removes the connection `name` with its replay entries and pending requests. When it has users,
// only with `force` (storage.in_use otherwise): then each user's removal is audited
// ("user.remove", detail: the account as it was) before the "connection.remove" row. Returns the
// number of users removed. storage.not_found when there is no such connection.
Result<std::int64_t> RemoveConnection(storage::Db& db, const std::string& name, bool force,
                                      const std::string& actor);

// The detail of a connection audit row, from stored connection JSON (ToStoredJson) before and
// after (nullopt: none). Settings are the stored document without its embedded files; files
// appear as SHA-256 fingerprints: "idp_certificates_sha256" (of each signing certificate's DER,
// from the certificates or the metadata), "sp_certificate_sha256", "metadata_sha256" and
// "rules_sha256" (of the rules document in compact JSON; null when the profile's built-in rules
// apply). add/remove: {"settings": {...}, <fingerprints>}. update: {"settings": new,
// "changed": {"dotted.path": {"old": x, "new": y}, ...}, <each fingerprint as {"old", "new"}>}.
std::string ConnectionAuditDetail(const std::optional<std::string>& old_stored,
                                  const std::optional<std::string>& new_stored);

}  // namespace claimgate::pipeline
