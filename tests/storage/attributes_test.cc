// storage/attributes.h: attribute values to and from their stored JSON.
#include "storage/attributes.h"

#include <boost/test/unit_test.hpp>

namespace claimgate::storage {
namespace {

BOOST_AUTO_TEST_SUITE(attributes)

BOOST_AUTO_TEST_CASE(json_round_trip_and_rejects_bad_shapes) {
  const AttributeValues v = {{"roles", {"agent", "admin"}}, {"z", {}}};
  Result<AttributeValues> back = AttributesFromJson(AttributesToJson(v));
  BOOST_REQUIRE(back.ok());
  BOOST_TEST((*back == v));
  BOOST_TEST(
      (*AttributesFromJson(R"({"email":"a@b.c"})") == AttributeValues{{"email", {"a@b.c"}}}));
  for (const char* bad : {"[]", "{", R"({"a":1})", R"({"a":[1]})", R"({"a":{"b":"c"}})", ""}) {
    BOOST_TEST(AttributesFromJson(bad).status().code() == "storage.invalid_argument");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
