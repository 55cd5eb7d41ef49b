#pragma once

// The one table of exit codes, for every command (README "Exit codes"; tests/cli/exit_codes_test.py
// checks it command by command):
//   0  done: the command did what was asked; verify/process/rules test: accepted (all of them)
//   1  a verdict of "no": a response rejected (verify, process, rules test), the audit chain
//      broken (audit verify), a document refused (c14n)
//   2  could not do it: a usage error, a bad configuration file, an unreadable input, an unknown
//      connection or user, a conflict (already exists, email in use), an invalid value, or a
//      storage failure (cannot open, read-only, busy, corrupt, not a claimgate database)
//   128+N  stopped by signal N (verify FILE...: SIGINT 130, SIGTERM 143) after finishing the line
//      being written; the lines before it are whole
// A response that could not be decided because the store failed (storage.*) is 2, not 1: the
// login was not refused, the command failed.

#include <string_view>

#include "base/status.h"

namespace claimgate::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitAccepted = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitError = 2;
inline constexpr int kExitUsage = kExitError;  // usage errors are errors like any other
inline constexpr int kExitInterrupted = 128;   // + the signal number

// Every error a command reports on stderr (a Status that ends the command).
inline int ExitCodeForError(const Status& /*status*/) { return kExitError; }

// A login decision: 0 accepted, 1 rejected, 2 when the store failed (code storage.*).
inline int ExitCodeForDecision(bool accepted, std::string_view code) {
  if (accepted) return kExitAccepted;
  return code.rfind("storage.", 0) == 0 ? kExitError : kExitRejected;
}

// Several decisions (verify FILE...): 2 when any input could not be read or decided, else 1
// when any was rejected, else 0.
inline int CombineExitCodes(int a, int b) { return a > b ? a : b; }

}  // namespace claimgate::cli
