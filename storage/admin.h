#pragma once

// Operator changes to accounts (`claimgate users ...`). Each runs in its own transaction and
// appends an audit row (decision "applied", the given actor: storage/audit.h) in the same
// transaction, so every account change is in the trail, and a change that changes nothing
// writes no row.

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "storage/users.h"

namespace claimgate::storage {

class Db;

// Creates an account (origin admin) and audits "user.add" (detail: email, permissions and
// attributes, lists as JSON arrays). Fails as CreateUser does.
Result<std::int64_t> AdminAddUser(Db& db, const NewUser& user, TimePoint now,
                                  const std::string& actor);

// Enables or disables an account; audits "user.enable" / "user.disable" when the status
// changed. Returns whether it did. storage.not_found.
Result<bool> AdminSetUserStatus(Db& db, const std::string& connection, const std::string& subject,
                                UserStatus status, TimePoint now, const std::string& actor);

// Grants / revokes one permission; audits "user.grant" / "user.revoke" when something changed.
// Returns whether it did. storage.not_found, storage.invalid_argument.
Result<bool> AdminGrantPermission(Db& db, const std::string& connection, const std::string& subject,
                                  const std::string& permission, TimePoint now,
                                  const std::string& actor);
Result<bool> AdminRevokePermission(Db& db, const std::string& connection,
                                   const std::string& subject, const std::string& permission,
                                   TimePoint now, const std::string& actor);

}  // namespace claimgate::storage
