#pragma once

// The connections table: one stored, normalized connection configuration per name. The lead's
// `connection add/update` validates the configuration first; storage only keeps the JSON.

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace claimgate::storage {

class Db;
class Txn;

struct ConnectionRecord {
  std::string name;
  std::string config_json;  // as given to PutConnection
  std::string created;      // FormatTime text
  std::string updated;
};

// Inserts `name`, or replaces its config (keeping `created`). storage.invalid_argument when the
// name is empty or the config is not valid JSON.
Status PutConnection(Txn& txn, const std::string& name, const std::string& config_json,
                     TimePoint now);

// The stored connection, or nullopt.
Result<std::optional<ConnectionRecord>> GetConnection(Db& db, const std::string& name);

// Every connection, by name.
Result<std::vector<ConnectionRecord>> ListConnections(Db& db);

// Removes `name` and, by ON DELETE CASCADE, its users, replay entries and pending requests;
// audit rows stay. storage.not_found when absent.
Status RemoveConnection(Txn& txn, const std::string& name);

}  // namespace claimgate::storage
