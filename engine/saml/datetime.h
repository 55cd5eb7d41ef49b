#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace claimgate::saml {

// Parses an xs:dateTime as SAML uses it (core §1.3.3: UTC with the 'Z' designator,
// "2024-05-01T12:00:00Z", optional fraction). Offsets and zone-less local times are refused.
// Total: anything else (month 13, hour 99, empty) is nullopt, never a crash (SECURITY.md E05).
std::optional<TimePoint> ParseDateTime(std::string_view text);

// "2024-05-01T12:00:00Z" (or with .ffffff when there are microseconds).
std::string FormatDateTime(TimePoint t);

}  // namespace claimgate::saml
