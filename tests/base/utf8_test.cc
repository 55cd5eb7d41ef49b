#include "base/utf8.h"

#include <boost/test/unit_test.hpp>
#include <string>

using claimgate::IsStrictUtf8;

BOOST_AUTO_TEST_SUITE(utf8)

BOOST_AUTO_TEST_CASE(accepts_valid_text) {
  BOOST_TEST(IsStrictUtf8("plain ascii"));
  BOOST_TEST(IsStrictUtf8("caf\xC3\xA9 \xE6\xBC\xA2\xE5\xAD\x97 \xF0\x9F\x98\x80"));
  BOOST_TEST(IsStrictUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  BOOST_TEST(IsStrictUtf8(""));
}

BOOST_AUTO_TEST_CASE(rejects_overlongs_surrogates_and_out_of_range) {
  struct Case {
    std::string bytes;
    std::size_t offset;
  };
  const Case cases[] = {
      {"a\xC0\xAF", 1},         // overlong '/'
      {"\xE0\x80\xAF", 0},      // overlong 3-byte
      {"\xF0\x80\x80\xAF", 0},  // overlong 4-byte
      {"ok\xED\xA0\x80", 2},    // U+D800 surrogate
      {"\xF4\x90\x80\x80", 0},  // above U+10FFFF
      {"\xFF", 0},              // never valid
      {"ab\x80", 2},            // lone continuation
      {"\xE6\xBC", 0},          // truncated
      {"\xC3\x28", 1},          // bad continuation
  };
  for (const Case& c : cases) {
    std::size_t at = 99;
    BOOST_TEST_CONTEXT(c.offset) {
      BOOST_TEST(!IsStrictUtf8(c.bytes, &at));
      BOOST_TEST(at == c.offset);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
