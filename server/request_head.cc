#include "server/request_head.h"

#include <algorithm>
#include <cstring>

namespace claimgate::server {

namespace {

constexpr std::size_t kMaxChunkLine = 1024;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IContains(std::string_view haystack, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (IEquals(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  const std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// Decimal digits only, at most 18 of them (no sign, no spaces inside, no overflow).
bool ParseLength(std::string_view s, std::uint64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

HeadState HeadScanner::Scan(std::string_view received) {
  while (state_ == HeadState::kIncomplete && pos_ < received.size()) {
    const void* lf = std::memchr(received.data() + pos_, '\n', received.size() - pos_);
    if (lf == nullptr) {  // a partial line: refuse it as soon as it is too long
      pos_ = received.size();
      const std::size_t partial = pos_ - line_start_;
      if (in_request_line_) {
        if (partial > limits_.max_request_line) return Fail(HeadState::kRequestLineTooLong);
      } else if (partial > limits_.max_field_line ||
                 header_bytes_ + partial > limits_.max_header_bytes) {
        return Fail(HeadState::kHeadersTooLarge);
      }
      break;
    }
    const std::size_t end =
        static_cast<std::size_t>(static_cast<const char*>(lf) - received.data()) + 1;
    const std::string_view line = received.substr(line_start_, end - line_start_);
    pos_ = line_start_ = end;
    if (in_request_line_) {
      if (line.size() > limits_.max_request_line) return Fail(HeadState::kRequestLineTooLong);
      in_request_line_ = false;
      continue;
    }
    if (line == "\r\n") {
      if (head_.has_content_length && head_.chunked) return Fail(HeadState::kMalformed);
      head_.size = end;
      return state_ = HeadState::kComplete;
    }
    Field(line);
  }
  return state_;
}

HeadState HeadScanner::Field(std::string_view line) {
  header_bytes_ += line.size();
  if (line.size() > limits_.max_field_line || header_bytes_ > limits_.max_header_bytes ||
      ++head_.header_count > limits_.max_header_count) {
    return Fail(HeadState::kHeadersTooLarge);
  }
  if (line[0] == ' ' || line[0] == '\t') return Fail(HeadState::kMalformed);  // obs-fold
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return state_;  // httplib ignores such a line too
  const std::string_view name = line.substr(0, colon);
  if (name.find_first_of(" \t") != std::string_view::npos) return Fail(HeadState::kMalformed);
  const std::string_view value = Trim(line.substr(colon + 1));
  if (IEquals(name, "content-length")) {
    std::uint64_t n = 0;
    if (!ParseLength(value, &n) || (head_.has_content_length && n != head_.content_length)) {
      return Fail(HeadState::kMalformed);
    }
    head_.has_content_length = true;
    head_.content_length = n;
  } else if (IEquals(name, "transfer-encoding")) {
    // Only chunked, once: anything else would be read by httplib until the connection ends.
    if (!IEquals(value, "chunked") || head_.chunked) return Fail(HeadState::kMalformed);
    head_.chunked = true;
  } else if (IEquals(name, "expect")) {
    if (IEquals(value, "100-continue")) head_.expect_continue = true;
  } else if (IEquals(name, "accept")) {
    if (IContains(value, "application/json")) head_.accept_json = true;
  }
  return state_;
}

ChunkedScanner::State ChunkedScanner::Scan(std::string_view body) {
  while (state_ == State::kIncomplete && pos_ < body.size()) {
    if (pos_ > 2 * max_data_ + 64 * 1024) return Fail(State::kTooLarge);
    if (part_ == Part::kData) {
      const std::uint64_t take = std::min<std::uint64_t>(chunk_left_, body.size() - pos_);
      pos_ += static_cast<std::size_t>(take);
      chunk_left_ -= take;
      if (chunk_left_ == 0) part_ = Part::kDataEnd;
      continue;
    }
    if (part_ == Part::kDataEnd) {
      if (body.size() - pos_ < 2) break;
      if (body.substr(pos_, 2) != "\r\n") return Fail(State::kMalformed);
      pos_ += 2;
      line_start_ = pos_;
      part_ = Part::kSize;
      continue;
    }
    // kSize or kTrailer: a line.
    const std::size_t lf = body.find('\n', pos_);
    if (lf == std::string_view::npos) {
      pos_ = body.size();
      if (pos_ - line_start_ > kMaxChunkLine) return Fail(State::kTooLarge);
      break;
    }
    const std::string_view line = body.substr(line_start_, lf + 1 - line_start_);
    pos_ = line_start_ = lf + 1;
    if (line.size() > kMaxChunkLine) return Fail(State::kTooLarge);
    if (line.size() < 2 || line[line.size() - 2] != '\r') return Fail(State::kMalformed);
    const std::string_view content = line.substr(0, line.size() - 2);
    if (part_ == Part::kTrailer) {
      // httplib wants the blank line right after the last chunk: no trailer fields.
      if (!content.empty()) return Fail(State::kMalformed);
      end_ = pos_;
      return state_ = State::kComplete;
    }
    std::size_t digits = 0;
    std::uint64_t size = 0;
    while (digits < content.size() && HexDigit(content[digits]) >= 0) {
      size = size * 16 + static_cast<std::uint64_t>(HexDigit(content[digits]));
      if (++digits > 16) return Fail(State::kMalformed);
    }
    if (digits == 0 || (digits < content.size() && content[digits] != ';' &&
                        content[digits] != ' ' && content[digits] != '\t')) {
      return Fail(State::kMalformed);
    }
    if (size == 0) {
      part_ = Part::kTrailer;
      continue;
    }
    if (size > max_data_ || data_ + size > max_data_) return Fail(State::kTooLarge);
    data_ += size;
    chunk_left_ = size;
    part_ = Part::kData;
  }
  return state_;
}

}  // namespace claimgate::server
