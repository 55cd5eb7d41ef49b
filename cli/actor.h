#pragma once

// Who runs a command, for the audit rows it writes (DESIGN.md "Audit integrity").

#include <string>

namespace claimgate::cli {

// "cli:<unix user>": the name of the effective user id (from the password database, not from
// $USER, which the caller sets), or "cli:#<uid>" when it has none.
std::string CliActor();

}  // namespace claimgate::cli
