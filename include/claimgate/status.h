#pragma once

// claimgate's result types, installed with the public API (claimgate/claimgate.h): every
// fallible call returns a Status or a Result<T>, never throws for an expected failure.

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace claimgate {

// One registered error code: `id` is the stable dotted name printed in JSON and audit rows
// ("signature.digest_mismatch"), `doc` the one-line meaning shown in the README table. Codes are
// never renamed or reused. Compare codes by their id; the registry is internal.
struct ErrorCode {
  const char* id;
  const char* doc;
};

// The outcome of a fallible operation: ok, or an error code from the registry with a message
// that is safe to show an operator, plus an optional private detail (digests, library text)
// that goes only to audit rows and debug logs.
class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(const ErrorCode& code, std::string message) {
    Status s;
    s.code_ = &code;
    s.message_ = std::move(message);
    return s;
  }

  bool ok() const { return code_ == nullptr; }
  // The dotted code ("signature.digest_mismatch"); empty when ok.
  std::string_view code() const { return code_ ? std::string_view(code_->id) : std::string_view(); }
  const ErrorCode* error_code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& detail() const { return detail_; }

  Status&& WithDetail(std::string detail) && {
    detail_ = std::move(detail);
    return std::move(*this);
  }
  // Prefixes the message with where it happened ("connection.json: ").
  Status&& Prefixed(std::string_view where) && {
    message_ = std::string(where) + message_;
    return std::move(*this);
  }

  bool Is(const ErrorCode& c) const { return code_ == &c; }

 private:
  const ErrorCode* code_ = nullptr;
  std::string message_;
  std::string detail_;
};

// A value of T, or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace claimgate
