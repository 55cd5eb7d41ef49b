// HeadScanner and ChunkedScanner: where a request ends, fed in pieces as a network would, and the
// limits that refuse a hostile head or body before it is buffered whole (issue 15).
#include "server/request_head.h"

#include <boost/test/unit_test.hpp>
#include <string>

namespace claimgate::server {

namespace {

// Feeds `text` in pieces of `step` bytes, as received; returns the final state.
HeadState ScanInSteps(HeadScanner& scanner, const std::string& text, std::size_t step) {
  HeadState state = HeadState::kIncomplete;
  for (std::size_t n = step; state == HeadState::kIncomplete; n += step) {
    state = scanner.Scan(std::string_view(text).substr(0, std::min(n, text.size())));
    if (n >= text.size()) break;
  }
  return state;
}

ChunkedScanner::State ChunkInSteps(ChunkedScanner& scanner, const std::string& body,
                                   std::size_t step) {
  ChunkedScanner::State state = ChunkedScanner::State::kIncomplete;
  for (std::size_t n = step; state == ChunkedScanner::State::kIncomplete; n += step) {
    state = scanner.Scan(std::string_view(body).substr(0, std::min(n, body.size())));
    if (n >= body.size()) break;
  }
  return state;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_head)

BOOST_AUTO_TEST_CASE(finds_the_end_of_the_head_byte_by_byte_and_at_once) {
  const std::string head =
      "POST /saml/acme/acs HTTP/1.1\r\nHost: x\r\nContent-length:  42 \r\n"
      "Accept: text/html, Application/JSON\r\n\r\n";
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, head.size()}) {
    HeadScanner scanner{HeadLimits{}};
    BOOST_TEST_CONTEXT("step " << step) {
      BOOST_TEST((ScanInSteps(scanner, head + "body bytes", step) == HeadState::kComplete));
      BOOST_TEST(scanner.head().size == head.size());
      BOOST_TEST(scanner.head().header_count == 3u);
      BOOST_TEST(scanner.head().has_content_length);
      BOOST_TEST(scanner.head().content_length == 42u);
      BOOST_TEST(scanner.head().accept_json);
      BOOST_TEST(!scanner.head().chunked);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_partial_head_stays_incomplete) {
  HeadScanner scanner{HeadLimits{}};
  BOOST_TEST((scanner.Scan("GET / HTTP/1.1\r\nHost: x\r\n") == HeadState::kIncomplete));
  // A bare LF line is not the end (httplib skips such lines): still waiting.
  BOOST_TEST((scanner.Scan("GET / HTTP/1.1\r\nHost: x\r\n\n") == HeadState::kIncomplete));
  BOOST_TEST((scanner.Scan("GET / HTTP/1.1\r\nHost: x\r\n\n\r\n") == HeadState::kComplete));
  BOOST_TEST(scanner.head().header_count == 2u);
  BOOST_TEST(!scanner.head().has_content_length);
}

BOOST_AUTO_TEST_CASE(too_many_header_lines_are_refused_at_the_limit) {
  HeadLimits limits;
  limits.max_header_count = 100;
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i) head += "X-A: b\r\n";
  HeadScanner at_limit{limits};
  BOOST_TEST((at_limit.Scan(head + "\r\n") == HeadState::kComplete));
  HeadScanner over{limits};
  BOOST_TEST((over.Scan(head + "X-A: b\r\n\r\n") == HeadState::kHeadersTooLarge));
}

BOOST_AUTO_TEST_CASE(header_bytes_over_the_limit_are_refused_before_the_line_ends) {
  HeadLimits limits;
  limits.max_header_bytes = 1024;
  HeadScanner whole{limits};
  std::string head = "GET / HTTP/1.1\r\nCookie: " + std::string(990, 'c') + "\r\n";
  BOOST_TEST((whole.Scan(head + "\r\n") == HeadState::kComplete));
  HeadScanner split{limits};
  head += "X-More: " + std::string(100, 'm');  // not even a whole line yet
  BOOST_TEST((split.Scan(head) == HeadState::kHeadersTooLarge));
  // One line longer than 8 KiB, before its end.
  HeadScanner line{HeadLimits{}};
  BOOST_TEST(
      (line.Scan("GET / HTTP/1.1\r\nX: " + std::string(9000, 'x')) == HeadState::kHeadersTooLarge));
}

BOOST_AUTO_TEST_CASE(millions_of_lines_stop_at_the_byte_limit) {
  // The attack: header lines without end. The scan refuses within the limit's bytes.
  std::string flood = "GET / HTTP/1.1\r\n";
  while (flood.size() < 64 * 1024) flood += "X-Flood: 1\r\n";
  HeadLimits limits;
  limits.max_header_count = 1'000'000;  // only the byte limit can stop it
  HeadScanner scanner{limits};
  BOOST_TEST((ScanInSteps(scanner, flood, 4096) == HeadState::kHeadersTooLarge));
}

BOOST_AUTO_TEST_CASE(an_overlong_request_line_is_refused) {
  HeadScanner scanner{HeadLimits{}};
  BOOST_TEST((scanner.Scan("GET /" + std::string(9000, 'a')) == HeadState::kRequestLineTooLong));
  HeadScanner fits{HeadLimits{}};
  BOOST_TEST(
      (fits.Scan("GET /" + std::string(8000, 'a') + " HTTP/1.1\r\n\r\n") == HeadState::kComplete));
}

BOOST_AUTO_TEST_CASE(ambiguous_framing_is_malformed) {
  for (const char* fields : {
           "Content-Length: 5\r\nContent-Length: 6\r\n",  // two different lengths
           "Content-Length: -1\r\n", "Content-Length: 0x10\r\n", "Content-Length: 1 2\r\n",
           "Content-Length: 99999999999999999999\r\n",
           "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",  // both
           "Transfer-Encoding: gzip, chunked\r\n",                 // not chunked alone
           "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
           "Content-Length : 5\r\n",              // space before the colon
           "X-A: b\r\n folded continuation\r\n",  // obs-fold
       }) {
    HeadScanner scanner{HeadLimits{}};
    BOOST_TEST_CONTEXT(fields) {
      BOOST_TEST((scanner.Scan(std::string("POST / HTTP/1.1\r\n") + fields + "\r\n") ==
                  HeadState::kMalformed));
    }
  }
  HeadScanner same{HeadLimits{}};  // the same length twice is one length
  BOOST_TEST((same.Scan("POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n") ==
              HeadState::kComplete));
}

BOOST_AUTO_TEST_CASE(chunked_and_expect_are_noticed) {
  HeadScanner scanner{HeadLimits{}};
  BOOST_TEST((scanner.Scan("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n"
                           "Expect: 100-continue\r\n\r\n") == HeadState::kComplete));
  BOOST_TEST(scanner.head().chunked);
  BOOST_TEST(scanner.head().expect_continue);
  BOOST_TEST(!scanner.head().accept_json);
}

BOOST_AUTO_TEST_CASE(a_chunked_body_ends_after_its_last_chunk) {
  const std::string body = "5\r\nhello\r\n1;ext=1\r\n!\r\n0\r\n\r\n";
  for (std::size_t step : {std::size_t{1}, std::size_t{3}, body.size()}) {
    ChunkedScanner scanner(1024);
    BOOST_TEST_CONTEXT("step " << step) {
      BOOST_TEST((ChunkInSteps(scanner, body + "GET / HTTP/1.1\r\n", step) ==
                  ChunkedScanner::State::kComplete));
      BOOST_TEST(scanner.size() == body.size());
      BOOST_TEST(scanner.data_bytes() == 6u);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_chunking_is_malformed) {
  for (const char* body :
       {"x\r\n", "0x5\r\nhello\r\n0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhelloXY0\r\n\r\n",
        "0\r\nTrailer: x\r\n\r\n", "11111111111111111\r\n"}) {
    ChunkedScanner scanner(1 << 20);
    BOOST_TEST_CONTEXT(body) {
      BOOST_TEST((scanner.Scan(body) == ChunkedScanner::State::kMalformed));
    }
  }
}

BOOST_AUTO_TEST_CASE(chunked_data_and_framing_are_capped) {
  ChunkedScanner big(10);
  BOOST_TEST((big.Scan("b\r\n") == ChunkedScanner::State::kTooLarge));  // one chunk of 11
  ChunkedScanner sum(10);
  BOOST_TEST((sum.Scan("6\r\nabcdef\r\n6\r\n") == ChunkedScanner::State::kTooLarge));
  ChunkedScanner line(10);
  BOOST_TEST((line.Scan("1;" + std::string(2000, 'e')) == ChunkedScanner::State::kTooLarge));
  // Many one-byte chunks: 6 bytes of framing per byte of data, over 2 x max + 64 KiB.
  std::string tiny;
  while (tiny.size() < 200 * 1024) tiny += "1\r\na\r\n";
  ChunkedScanner framing(40 * 1024);
  BOOST_TEST((framing.Scan(tiny) == ChunkedScanner::State::kTooLarge));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimgate::server
