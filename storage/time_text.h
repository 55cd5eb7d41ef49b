#pragma once

// The storage layer's time text: ISO-8601 UTC, microseconds, fixed width
// ("2026-11-23T20:27:07.000000Z"), so that text order is time order in SQL.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace claimgate::storage {

std::string FormatTime(TimePoint t);

// Parses "YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z" (or a bare date "YYYY-MM-DD", meaning midnight UTC).
// storage.invalid_argument otherwise.
Result<TimePoint> ParseTime(std::string_view text);

// Microseconds since the Unix epoch (the expiry columns).
std::int64_t ToMicros(TimePoint t);

}  // namespace claimgate::storage
