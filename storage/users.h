#pragma once

// The users table: one account per (connection, subject). Writes take a Txn, so they happen
// inside a transaction the caller commits; reads take the Db.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "storage/attributes.h"

namespace claimgate::storage {

class Db;
class Txn;

enum class UserStatus { kActive, kDisabled };
enum class UserOrigin { kJit, kAdmin };
const char* UserStatusName(UserStatus s);  // "active" | "disabled"
const char* UserOriginName(UserOrigin o);  // "jit" | "admin"

struct User {
  std::int64_t id = 0;
  std::string connection;
  std::string subject;  // NameID, whole text
  std::string email;
  AttributeValues attributes;
  std::vector<std::string> permissions;  // sorted, unique
  UserStatus status = UserStatus::kActive;
  UserOrigin origin = UserOrigin::kJit;
  std::string created, updated, last_login;  // FormatTime text; last_login "" = never
};

struct NewUser {
  std::string connection;
  std::string subject;
  std::string email;
  AttributeValues attributes;
  std::vector<std::string> permissions;
  UserOrigin origin = UserOrigin::kJit;
  bool record_login = false;  // set last_login = now (JIT creation at a login)
};

// The account, or nullopt. storage.corrupt when its JSON columns do not parse.
Result<std::optional<User>> FindUser(Db& db, const std::string& connection,
                                     const std::string& subject);

// Creates the account; returns its id. provisioning.user_exists when (connection, subject) is
// taken, provisioning.unknown_connection when the connection is not stored,
// provisioning.invalid_request when the subject is empty. Permissions are sorted and de-duplicated.
Result<std::int64_t> CreateUser(Txn& txn, const NewUser& user, TimePoint now);

// Replaces email and attributes of account `id`; sets updated = now. storage.not_found.
Status UpdateUserProfile(Txn& txn, std::int64_t id, const std::string& email,
                         const AttributeValues& attributes, TimePoint now);

// Sets last_login = now (and nothing else). storage.not_found.
Status RecordLogin(Txn& txn, std::int64_t id, TimePoint now);

// Sets the status. storage.not_found when no such account.
Status SetUserStatus(Txn& txn, const std::string& connection, const std::string& subject,
                     UserStatus status, TimePoint now);

// Adds / removes one permission. Returns whether anything changed (granting a held permission,
// or revoking one not held, is a no-op). storage.not_found; storage.invalid_argument when the
// permission is empty.
Result<bool> GrantPermission(Txn& txn, const std::string& connection, const std::string& subject,
                             const std::string& permission, TimePoint now);
Result<bool> RevokePermission(Txn& txn, const std::string& connection, const std::string& subject,
                              const std::string& permission, TimePoint now);

// A permission name: 1 to 200 characters, none of them white space or a control character
// (storage.invalid_argument otherwise, naming the permission). Every write of a permission
// (CreateUser, GrantPermission) and a connection's default_permissions pass through it.
Status CheckPermission(const std::string& permission);

// Accounts ordered by (connection, subject); only `connection`'s when given.
Result<std::vector<User>> ListUsers(Db& db, const std::optional<std::string>& connection);

}  // namespace claimgate::storage
