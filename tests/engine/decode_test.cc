#include "engine/decode.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "base/base64.h"

using claimgate::Decode;
using claimgate::DecodeLimits;
using claimgate::EncodeBase64;

namespace {
std::string CodeOf(const claimgate::Result<std::string>& r) {
  return r.ok() ? "ok" : std::string(r.status().code());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(decode)

BOOST_AUTO_TEST_CASE(raw_xml_passes_through) {
  BOOST_TEST(*Decode("<a/>") == "<a/>");
  BOOST_TEST(*Decode("\n  <a/>") == "\n  <a/>");
  BOOST_TEST(*Decode("\xEF\xBB\xBF<a/>") == "<a/>");  // UTF-8 BOM tolerated
}

BOOST_AUTO_TEST_CASE(base64_form_value_is_decoded) {
  const std::string xml = "<samlp:Response xmlns:samlp=\"urn:x\">caf\xC3\xA9</samlp:Response>";
  std::string b64 = EncodeBase64(xml);
  BOOST_TEST(*Decode(b64) == xml);
  std::string wrapped;
  for (std::size_t i = 0; i < b64.size(); ++i) {
    wrapped += b64[i];
    if (i % 16 == 15) wrapped += "\r\n";
  }
  BOOST_TEST(*Decode(wrapped + "\n") == xml);
  BOOST_TEST(*Decode(EncodeBase64("\xEF\xBB\xBF" + xml)) == xml);  // BOM inside the base64
}

BOOST_AUTO_TEST_CASE(rejections_carry_exact_codes) {
  BOOST_TEST(CodeOf(Decode("")) == "input.empty");
  BOOST_TEST(CodeOf(Decode(" \r\n\t")) == "input.empty");
  BOOST_TEST(CodeOf(Decode(EncodeBase64("   "))) == "input.empty");
  BOOST_TEST(CodeOf(Decode("PHNhbWw+!")) == "input.bad_base64");
  BOOST_TEST(CodeOf(Decode("SAMLResponse=PHNhbWw+")) == "input.bad_base64");
  BOOST_TEST(CodeOf(Decode("<a>\xC0\xAF</a>")) == "input.bad_utf8");
  BOOST_TEST(CodeOf(Decode(EncodeBase64("<a>\xED\xA0\x80</a>"))) == "input.bad_utf8");
  BOOST_TEST(CodeOf(Decode(std::string("\xFF\xFE<\0a\0/\0>\0", 10))) == "input.bad_utf8");
  BOOST_TEST(CodeOf(Decode(EncodeBase64(std::string("\xFE\xFF\0<\0a", 6)))) == "input.bad_utf8");
}

BOOST_AUTO_TEST_CASE(size_cap_applies_before_decoding) {
  DecodeLimits limits;
  limits.max_input_bytes = 64;
  BOOST_TEST(CodeOf(Decode(std::string(65, 'A'), limits)) == "input.too_large");
  BOOST_TEST(CodeOf(Decode("<a>" + std::string(61, 'x') + "</a>", limits)) == "input.too_large");
  BOOST_TEST(CodeOf(Decode("<a/>", limits)) == "ok");
}

BOOST_AUTO_TEST_SUITE_END()
