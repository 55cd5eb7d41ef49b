#pragma once

namespace claimgate::cli {

// DESIGN.md: 0 accepted, 1 rejected, 2 usage or configuration error.
inline constexpr int kExitAccepted = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitUsage = 2;

}  // namespace claimgate::cli
