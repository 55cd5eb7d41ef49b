#include "storage/time_text.h"

#include <cstdio>
#include <ctime>

namespace claimgate::storage {

namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

unsigned DaysInMonth(int y, int m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return (m == 2 && leap) ? 29 : kDays[m - 1];
}

}  // namespace

std::int64_t ToMicros(TimePoint t) { return t.time_since_epoch().count(); }

std::string FormatTime(TimePoint t) {
  const std::int64_t us = ToMicros(t);
  std::int64_t secs = us / 1000000;
  std::int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  const auto tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(frac));
  return buf;
}

Result<TimePoint> ParseTime(std::string_view s) {
  const Status bad = Status::Error(errors::kStorageInvalidArgument,
                                   "time '" + std::string(s.substr(0, 64)) +
                                       "' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.ffffff]Z");
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, frac = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d)) {
    return bad;
  }
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > DaysInMonth(y, mo)) return bad;
  if (s.size() > 10) {
    if (s.size() < 20 || s[10] != 'T' || !Digits(s, 11, 2, h) || s[13] != ':' ||
        !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, se)) {
      return bad;
    }
    if (h > 23 || mi > 59 || se > 59) return bad;
    std::size_t pos = 19;
    if (s[pos] == '.') {
      const std::size_t start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      const std::size_t n = pos - start;
      if (n == 0 || n > 6) return bad;
      if (!Digits(s, start, n, frac)) return bad;
      for (std::size_t i = n; i < 6; ++i) frac *= 10;
    }
    if (pos + 1 != s.size() || s[pos] != 'Z') return bad;
  }
  const std::int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const std::int64_t us = ((days * 86400 + h * 3600 + mi * 60 + se) * 1000000) + frac;
  return TimePoint(std::chrono::microseconds(us));
}

}  // namespace claimgate::storage
