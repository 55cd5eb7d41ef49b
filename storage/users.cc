#include "storage/users.h"

#include <algorithm>

#include "base/civil_time.h"
#include "storage/json_internal.h"
#include "storage/sqlite.h"

namespace claimgate::storage {

namespace {

constexpr const char* kUserColumns =
    "id, connection, subject, email, attributes, permissions, status, origin, created, updated, "
    "last_login";

std::string SelectUsers(const std::string& where) {
  return std::string("SELECT ") + kUserColumns + " FROM users " + where;
}

Result<User> ReadUser(const Query& q) {
  User u;
  u.id = q.Int(0);
  u.connection = q.Text(1);
  u.subject = q.Text(2);
  u.email = q.Text(3);
  Result<AttributeValues> attributes = AttributesFromJson(q.Text(4));
  if (!attributes.ok()) {
    return Status::Error(errors::kStorageCorrupt,
                         "user " + std::to_string(u.id) + ": attributes column is malformed");
  }
  u.attributes = *std::move(attributes);
  Result<std::vector<std::string>> permissions = internal::StringsFromJson(q.Text(5));
  if (!permissions.ok()) return permissions.status();
  u.permissions = *std::move(permissions);
  u.status = q.Text(6) == "disabled" ? UserStatus::kDisabled : UserStatus::kActive;
  u.origin = q.Text(7) == "admin" ? UserOrigin::kAdmin : UserOrigin::kJit;
  u.created = q.Text(8);
  u.updated = q.Text(9);
  u.last_login = q.Text(10);
  return u;
}

std::vector<std::string> SortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

Status NotFound(const std::string& connection, const std::string& subject) {
  return Status::Error(errors::kStorageNotFound,
                       "no user '" + subject + "' on connection '" + connection + "'");
}

Status ExpectOneChange(Db& db, std::int64_t id) {
  if (db.Changes() == 1) return Status::Ok();
  return Status::Error(errors::kStorageNotFound, "no user with id " + std::to_string(id));
}

// provisioning.email_in_use when another active account (id != except_id) of `connection` has
// `email`, ignoring ASCII case; an empty email is never in use.
Status CheckEmailFree(Db& db, const std::string& connection, const std::string& email,
                      std::int64_t except_id) {
  if (email.empty()) return Status::Ok();
  Result<Query> q = db.Prepare(
      "SELECT subject FROM users WHERE connection = ?1 AND status = 'active' AND email != '' "
      "AND lower(email) = lower(?2) AND id != ?3 LIMIT 1");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Bind(1, connection).Bind(2, email).Bind(3, except_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Ok();
  return Status::Error(errors::kProvisioningEmailInUse,
                       "email '" + email + "' belongs to the active account '" + q->Text(0) +
                           "' of connection '" + connection +
                           "'; one email is one active account (disable the other one first)");
}

// Read-modify-write of one account's permission list.
Result<bool> EditPermissions(Txn& txn, const std::string& connection, const std::string& subject,
                             const std::string& permission, bool grant, TimePoint now) {
  if (Status s = CheckPermission(permission); !s.ok()) return s;
  Result<std::optional<User>> user = FindUser(txn.db(), connection, subject);
  if (!user.ok()) return user.status();
  if (!*user) return NotFound(connection, subject);
  std::vector<std::string> perms = (*user)->permissions;
  const auto it = std::find(perms.begin(), perms.end(), permission);
  if (grant == (it != perms.end())) return false;
  if (grant) {
    perms.push_back(permission);
  } else {
    perms.erase(it);
  }
  Result<Query> q =
      txn.db().Prepare("UPDATE users SET permissions = ?2, updated = ?3 WHERE id = ?1");
  if (!q.ok()) return q.status();
  const Status s = q->Bind(1, (*user)->id)
                       .Bind(2, internal::StringsToJson(SortedUnique(perms)))
                       .Bind(3, FormatTimestamp(now))
                       .Run();
  if (!s.ok()) return s;
  return true;
}

}  // namespace

const char* UserStatusName(UserStatus s) {
  return s == UserStatus::kDisabled ? "disabled" : "active";
}
const char* UserOriginName(UserOrigin o) { return o == UserOrigin::kAdmin ? "admin" : "jit"; }

Status CheckPermission(const std::string& permission) {
  if (permission.empty()) {
    return Status::Error(errors::kStorageInvalidArgument, "a permission must not be empty");
  }
  const bool clean = permission.size() <= 200 &&
                     std::none_of(permission.begin(), permission.end(),
                                  [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
  if (!clean) {
    return Status::Error(errors::kStorageInvalidArgument,
                         "permission '" + permission.substr(0, 200) +
                             "' holds white space or a control character (or is over 200 "
                             "characters)");
  }
  return Status::Ok();
}

Result<std::optional<User>> FindUser(Db& db, const std::string& connection,
                                     const std::string& subject) {
  Result<Query> q = db.Prepare(SelectUsers("WHERE connection = ?1 AND subject = ?2"));
  if (!q.ok()) return q.status();
  Result<bool> row = q->Bind(1, connection).Bind(2, subject).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<User>();
  Result<User> user = ReadUser(*q);
  if (!user.ok()) return user.status();
  return std::optional<User>(*std::move(user));
}

Result<std::int64_t> CreateUser(Txn& txn, const NewUser& user, TimePoint now) {
  if (user.subject.empty()) {
    return Status::Error(errors::kProvisioningInvalidRequest, "subject is empty");
  }
  Result<std::optional<User>> existing = FindUser(txn.db(), user.connection, user.subject);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    return Status::Error(
        errors::kProvisioningUserExists,
        "user '" + user.subject + "' already exists on connection '" + user.connection + "'");
  }
  for (const std::string& p : user.permissions) {
    if (Status s = CheckPermission(p); !s.ok()) return s;
  }
  if (Status s = CheckEmailFree(txn.db(), user.connection, user.email, 0); !s.ok()) return s;
  Result<Query> q = txn.db().Prepare(
      "INSERT INTO users(connection, subject, email, attributes, permissions, status, origin, "
      "created, updated, last_login) VALUES(?1, ?2, ?3, ?4, ?5, 'active', ?6, ?7, ?7, ?8)");
  if (!q.ok()) return q.status();
  const std::string when = FormatTimestamp(now);
  Status s = q->Bind(1, user.connection)
                 .Bind(2, user.subject)
                 .Bind(3, user.email)
                 .Bind(4, AttributesToJson(user.attributes))
                 .Bind(5, internal::StringsToJson(SortedUnique(user.permissions)))
                 .Bind(6, UserOriginName(user.origin))
                 .Bind(7, when)
                 .Bind(8, user.record_login ? when : std::string())
                 .Run();
  if (s.Is(errors::kStorageConstraint)) {
    // The foreign key (connection) is the expected cause; anything else stays storage.constraint.
    Result<Query> c = txn.db().Prepare("SELECT 1 FROM connections WHERE name = ?1");
    if (!c.ok()) return c.status();
    Result<bool> row = c->Bind(1, user.connection).Step();
    if (row.ok() && !*row) {
      return Status::Error(errors::kProvisioningUnknownConnection,
                           "no connection named '" + user.connection + "'");
    }
  }
  if (!s.ok()) return s;
  return txn.db().LastInsertId();
}

Status UpdateUserProfile(Txn& txn, std::int64_t id, const std::string& email,
                         const AttributeValues& attributes, TimePoint now) {
  {
    Result<Query> current = txn.db().Prepare(
        "SELECT connection, lower(email) = lower(?2), status FROM users WHERE id = ?1");
    if (!current.ok()) return current.status();
    Result<bool> row = current->Bind(1, id).Bind(2, email).Step();
    if (!row.ok()) return row.status();
    if (*row && current->Int(1) == 0 && current->Text(2) == "active") {
      if (Status s = CheckEmailFree(txn.db(), current->Text(0), email, id); !s.ok()) return s;
    }
  }
  Result<Query> q =
      txn.db().Prepare("UPDATE users SET email = ?2, attributes = ?3, updated = ?4 WHERE id = ?1");
  if (!q.ok()) return q.status();
  Status s = q->Bind(1, id)
                 .Bind(2, email)
                 .Bind(3, AttributesToJson(attributes))
                 .Bind(4, FormatTimestamp(now))
                 .Run();
  if (!s.ok()) return s;
  return ExpectOneChange(txn.db(), id);
}

Status RecordLogin(Txn& txn, std::int64_t id, TimePoint now) {
  Result<Query> q = txn.db().Prepare("UPDATE users SET last_login = ?2 WHERE id = ?1");
  if (!q.ok()) return q.status();
  if (Status s = q->Bind(1, id).Bind(2, FormatTimestamp(now)).Run(); !s.ok()) return s;
  return ExpectOneChange(txn.db(), id);
}

Status SetUserStatus(Txn& txn, const std::string& connection, const std::string& subject,
                     UserStatus status, TimePoint now) {
  if (status == UserStatus::kActive) {
    Result<std::optional<User>> user = FindUser(txn.db(), connection, subject);
    if (!user.ok()) return user.status();
    if (*user && (*user)->status != UserStatus::kActive) {
      if (Status s = CheckEmailFree(txn.db(), connection, (*user)->email, (*user)->id); !s.ok()) {
        return s;
      }
    }
  }
  Result<Query> q = txn.db().Prepare(
      "UPDATE users SET status = ?3, updated = ?4 WHERE connection = ?1 AND subject = ?2");
  if (!q.ok()) return q.status();
  Status s = q->Bind(1, connection)
                 .Bind(2, subject)
                 .Bind(3, UserStatusName(status))
                 .Bind(4, FormatTimestamp(now))
                 .Run();
  if (!s.ok()) return s;
  if (txn.db().Changes() == 0) return NotFound(connection, subject);
  return Status::Ok();
}

Result<bool> GrantPermission(Txn& txn, const std::string& connection, const std::string& subject,
                             const std::string& permission, TimePoint now) {
  return EditPermissions(txn, connection, subject, permission, /*grant=*/true, now);
}

Result<bool> RevokePermission(Txn& txn, const std::string& connection, const std::string& subject,
                              const std::string& permission, TimePoint now) {
  return EditPermissions(txn, connection, subject, permission, /*grant=*/false, now);
}

Result<std::vector<User>> ListUsers(Db& db, const std::optional<std::string>& connection) {
  Result<Query> q =
      db.Prepare(SelectUsers("WHERE ?1 IS NULL OR connection = ?1 ORDER BY connection, subject"));
  if (!q.ok()) return q.status();
  q->BindOptional(1, connection);
  std::vector<User> out;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<User> user = ReadUser(*q);
    if (!user.ok()) return user.status();
    out.push_back(*std::move(user));
  }
  return out;
}

}  // namespace claimgate::storage
