#pragma once

// What the storage commands (users, audit, and later connection/process) share: opening the
// --db database, reporting a Status, and printing an aligned table safely.

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/sqlite.h"

namespace claimgate::cli {

// How a command uses the --db database.
enum class DbAccess {
  kRead,    // reads only: opened read-only, so an archived copy or a read-only file works
  kWrite,   // reads and writes an existing database
  kCreate,  // may create it (connection add / update)
};

// Opens the --db database; on failure prints "claimgate: <code>: <message>" on stderr and
// returns nullopt. Unless kCreate, a missing or empty file is an error (storage.open,
// storage.not_claimgate), never a new empty database.
std::optional<storage::Db> OpenDbOrReport(const std::string& path,
                                          DbAccess access = DbAccess::kWrite);

// Prints "claimgate: <code>: <message>" on stderr and returns the exit code for it (always
// kExitError, cli/exit_codes.h).
int ReportError(const Status& s);

// Replaces control characters (newlines, ESC...) so stored text cannot drive the terminal.
std::string Printable(const std::string& text);

// An aligned table: header, then rows, columns separated by two spaces; cells made Printable.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace claimgate::cli
