#pragma once

// Where an HTTP/1.1 request ends, found incrementally as its bytes arrive, with the limits that
// keep a hostile client from making the server buffer without bound (issue 15). Used by the
// connection gate (connection_gate.h) before any worker thread or cpp-httplib sees the request;
// httplib then parses the same bytes again from memory. Only framing is decided here: the
// request line, where the head ends, how many header lines and bytes it has, and the body's
// length (Content-Length, or where the last chunk ends). Nothing here does I/O.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace claimgate::server {

struct HeadLimits {
  std::size_t max_request_line = 8192;       // bytes with its line end (httplib's own URI limit)
  std::size_t max_field_line = 8192;         // one header line with its line end
  std::size_t max_header_bytes = 16 * 1024;  // every header line after the request line
  std::size_t max_header_count = 100;
};

// What the scan of a request says so far. Every state but kIncomplete is final.
enum class HeadState {
  kIncomplete,          // more bytes are needed
  kComplete,            // the head ends at RequestHead::size
  kRequestLineTooLong,  // 414
  kHeadersTooLarge,     // 431: too many header lines, or too many bytes in them or in one
  kMalformed,           // 400: a bad or repeated Content-Length, Content-Length with
                        // Transfer-Encoding, a Transfer-Encoding other than chunked, a folded line
};

// The framing facts of a head (valid when kComplete; accept_json also before).
struct RequestHead {
  std::size_t size = 0;  // bytes, the request line and the blank line included
  std::size_t header_count = 0;
  bool has_content_length = false;
  std::uint64_t content_length = 0;
  bool chunked = false;          // Transfer-Encoding: chunked
  bool expect_continue = false;  // Expect: 100-continue
  bool accept_json = false;      // an Accept header names application/json
};

// Finds the end of a request head. Feed it the bytes received for one request, each call with
// everything received so far (earlier calls saw a prefix); it scans only what is new.
// A header line ends at LF; the head ends at the first line that is exactly CRLF after the
// request line (cpp-httplib's read_headers skips a line ending in a bare LF, so it counts here
// as a header line too).
class HeadScanner {
 public:
  explicit HeadScanner(const HeadLimits& limits) : limits_(limits) {}

  HeadState Scan(std::string_view received);
  const RequestHead& head() const { return head_; }

 private:
  HeadState Fail(HeadState s) { return state_ = s; }
  // One whole header line (with its LF): counts it and reads the framing fields.
  HeadState Field(std::string_view line);

  HeadLimits limits_;
  HeadState state_ = HeadState::kIncomplete;
  RequestHead head_;
  std::size_t pos_ = 0;         // next byte to look at
  std::size_t line_start_ = 0;  // where the current line began
  bool in_request_line_ = true;
  std::size_t header_bytes_ = 0;
};

// Where a chunked body ends (RFC 9112 §7.1): chunk-size lines (hex, optional extensions), data,
// CRLF, the last chunk "0", a blank line. Fed like HeadScanner with the body's bytes only
// (everything after the head). Strict, as cpp-httplib reads it: every line ends in CRLF, a size
// is 1-16 hex digits (no "0x"), data is followed by CRLF, no trailer fields. kTooLarge: more
// than `max_data` payload bytes, a size line above 1 KiB, or more than 2 x max_data + 64 KiB of
// framing and data together (tiny chunks).
class ChunkedScanner {
 public:
  explicit ChunkedScanner(std::uint64_t max_data) : max_data_(max_data) {}

  enum class State { kIncomplete, kComplete, kMalformed, kTooLarge };
  State Scan(std::string_view body_received);
  std::size_t size() const { return end_; }           // body bytes, when kComplete
  std::uint64_t data_bytes() const { return data_; }  // payload bytes so far

 private:
  enum class Part { kSize, kData, kDataEnd, kTrailer };
  State Fail(State s) { return state_ = s; }

  const std::uint64_t max_data_;
  State state_ = State::kIncomplete;
  Part part_ = Part::kSize;
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  std::uint64_t chunk_left_ = 0;
  std::uint64_t data_ = 0;
  std::size_t end_ = 0;
};

}  // namespace claimgate::server
