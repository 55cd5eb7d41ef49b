#pragma once

#include <chrono>

namespace claimgate {

// Instants are UTC, microsecond precision (SAML times may carry fractions of a second).
using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

// Time is injected (STYLE C14): the CLI's --now and every test use FixedClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t) {}
  TimePoint Now() const override { return t_; }

 private:
  TimePoint t_;
};

}  // namespace claimgate
