#include "base/civil_time.h"

#include <cstdio>

namespace claimgate {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool IsLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at text[*i].
bool Digits(std::string_view text, std::size_t* i, int n, std::int64_t* out) {
  std::int64_t v = 0;
  for (int k = 0; k < n; ++k) {
    if (*i >= text.size() || text[*i] < '0' || text[*i] > '9') return false;
    v = v * 10 + (text[*i] - '0');
    ++*i;
  }
  *out = v;
  return true;
}

bool Expect(std::string_view text, std::size_t* i, char c) {
  if (*i >= text.size() || text[*i] != c) return false;
  ++*i;
  return true;
}

// "YYYY-MM-DD" at text[*i]: the days since the epoch, or false.
bool ReadDate(std::string_view text, std::size_t* i, std::int64_t* days) {
  std::int64_t year, month, day;
  if (!Digits(text, i, 4, &year) || !Expect(text, i, '-') || !Digits(text, i, 2, &month) ||
      !Expect(text, i, '-') || !Digits(text, i, 2, &day)) {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, static_cast<unsigned>(month))) {
    return false;
  }
  *days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return true;
}

// The text of `t`; `fixed` always writes six fraction digits.
std::string Format(TimePoint t, bool fixed) {
  const std::int64_t us = t.time_since_epoch().count();
  const std::int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
  const std::int64_t frac = us - secs * 1000000;
  const std::int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  const std::int64_t rem = secs - days * 86400;
  std::int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[128];
  if (frac == 0 && !fixed) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                  static_cast<long long>(frac));
  }
  return buf;
}

}  // namespace

std::optional<TimePoint> ParseDateTime(std::string_view text) {
  std::size_t i = 0;
  std::int64_t days, hour, minute, second;
  if (!ReadDate(text, &i, &days) || !Expect(text, &i, 'T') || !Digits(text, &i, 2, &hour) ||
      !Expect(text, &i, ':') || !Digits(text, &i, 2, &minute) || !Expect(text, &i, ':') ||
      !Digits(text, &i, 2, &second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::int64_t micros = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 12) return std::nullopt;
    for (int k = digits; k < 6; ++k) micros *= 10;
  }
  // SAML core §1.3.3: "MUST be expressed in UTC form". 'Z' and "+00:00" both say UTC.
  const std::string_view zone = text.substr(i);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second;
  return TimePoint(std::chrono::microseconds(seconds * 1000000 + micros));
}

std::optional<TimePoint> ParseDateOrDateTime(std::string_view text) {
  if (text.size() == 10) {
    std::size_t i = 0;
    std::int64_t days;
    if (!ReadDate(text, &i, &days)) return std::nullopt;
    return TimePoint(std::chrono::microseconds(days * 86400 * 1000000));
  }
  return ParseDateTime(text);
}

std::string FormatDateTime(TimePoint t) { return Format(t, /*fixed=*/false); }

std::string FormatTimestamp(TimePoint t) { return Format(t, /*fixed=*/true); }

std::int64_t ToUnixMicros(TimePoint t) { return t.time_since_epoch().count(); }

}  // namespace claimgate
