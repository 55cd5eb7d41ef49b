#pragma once

// What the storage commands (users, audit, and later connection/process) share: opening the
// --db database, reporting a Status, and printing an aligned table safely.

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/sqlite.h"

namespace claimgate::cli {

// Opens the --db database; on failure prints "claimgate: <code>: <message>" on stderr and
// returns nullopt. Unless `create` is set, a missing file is an error (storage.open), not a new
// empty database.
std::optional<storage::Db> OpenDbOrReport(const std::string& path, bool create = false);

// Prints "claimgate: <code>: <message>" on stderr and returns the exit code for it:
// 1 (refused: not found, already exists, invalid value) or 2 (the database is unusable).
int ReportError(const Status& s);

// Replaces control characters (newlines, ESC...) so stored text cannot drive the terminal.
std::string Printable(const std::string& text);

// An aligned table: header, then rows, columns separated by two spaces; cells made Printable.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace claimgate::cli
