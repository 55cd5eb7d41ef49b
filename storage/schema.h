#pragma once

// The database schema and its migrations, versioned by PRAGMA user_version.

#include "base/status.h"

namespace claimgate::storage {

class Db;

// The newest schema version this binary knows. Version 0 is an empty database.
inline constexpr int kSchemaVersion = 5;

// Brings the database to kSchemaVersion, one step per version, each step in one BEGIN IMMEDIATE
// transaction (so concurrent first opens migrate once). A database whose user_version is above
// kSchemaVersion is refused with storage.schema_too_new and left untouched.
Status Migrate(Db& db);

// The database's PRAGMA user_version.
Result<int> SchemaVersion(Db& db);

}  // namespace claimgate::storage
