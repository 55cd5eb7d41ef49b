#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

// The one civil-time unit: the dateTime text of SAML messages, of stored rows and of the
// command line, all UTC, to and from TimePoint. Total: malformed text (month 13, hour 99, an
// empty string) is nullopt, never a crash (SECURITY.md E05).
namespace claimgate {

// Parses an xs:dateTime as SAML uses it (core §1.3.3: UTC, "2024-05-01T12:00:00Z"), with an
// optional fraction (1 to 12 digits; beyond microseconds they are dropped). The zone is the 'Z'
// designator, or the offset "+00:00", which names the same instant (node-saml writes it); any
// other offset, and zone-less local times, are refused rather than guessed at.
std::optional<TimePoint> ParseDateTime(std::string_view text);

// A bare date ("2026-11-23", midnight UTC) or a dateTime as ParseDateTime reads it: the form
// of time filters on the command line.
std::optional<TimePoint> ParseDateOrDateTime(std::string_view text);

// "2024-05-01T12:00:00Z", with ".ffffff" when there are microseconds: SAML messages and JSON.
std::string FormatDateTime(TimePoint t);

// "2026-11-23T20:27:07.000000Z": always six fraction digits, so that text order is time order
// (the time columns of the store).
std::string FormatTimestamp(TimePoint t);

// Microseconds since the Unix epoch (the expiry columns of the store).
std::int64_t ToUnixMicros(TimePoint t);

}  // namespace claimgate
