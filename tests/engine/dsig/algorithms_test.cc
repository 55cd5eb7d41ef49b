// FindSignatureAlgorithm / FindDigestAlgorithm (engine/dsig/algorithms.cc): the allow-lists
// (SECURITY.md DR7, STYLE C8). algorithms.cc returns no error code itself: a lookup miss is
// nullptr, which signature_shape.cc turns into signature.algorithm_not_allowed or
// signature.digest_not_allowed (tested in signature_shape_test.cc).
#include "engine/dsig/algorithms.h"

#include <boost/test/unit_test.hpp>
#include <string>

namespace claimgate::dsig {
namespace {

BOOST_AUTO_TEST_SUITE(algorithms)

BOOST_AUTO_TEST_CASE(maps_each_allowed_signature_method_to_its_key_type_and_padding) {
  struct Row {
    const char* uri;
    KeyType type;
    const char* emsa;
    bool legacy;
  };
  for (const Row& r : {
           Row{"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", KeyType::kRsa, "EMSA3(SHA-256)",
               false},
           Row{"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", KeyType::kRsa, "EMSA3(SHA-384)",
               false},
           Row{"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", KeyType::kRsa, "EMSA3(SHA-512)",
               false},
           Row{"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", KeyType::kEcdsa,
               "EMSA1(SHA-256)", false},
           Row{"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", KeyType::kEcdsa,
               "EMSA1(SHA-384)", false},
           Row{"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", KeyType::kEcdsa,
               "EMSA1(SHA-512)", false},
           Row{"http://www.w3.org/2000/09/xmldsig#rsa-sha1", KeyType::kRsa, "EMSA3(SHA-160)", true},
       }) {
    BOOST_TEST_CONTEXT(r.uri) {
      const SignatureAlgorithm* a = FindSignatureAlgorithm(r.uri);
      BOOST_REQUIRE(a != nullptr);
      BOOST_TEST(a->uri == r.uri);
      BOOST_TEST((a->key_type == r.type));
      BOOST_TEST(a->emsa == r.emsa);
      BOOST_TEST(a->legacy == r.legacy);
    }
  }
}

BOOST_AUTO_TEST_CASE(maps_each_allowed_digest_method_to_its_hash_and_size) {
  struct Row {
    const char* uri;
    const char* hash;
    std::size_t size;
    bool legacy;
  };
  for (const Row& r : {Row{"http://www.w3.org/2001/04/xmlenc#sha256", "SHA-256", 32, false},
                       Row{"http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384", 48, false},
                       Row{"http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512", 64, false},
                       Row{"http://www.w3.org/2000/09/xmldsig#sha1", "SHA-160", 20, true}}) {
    BOOST_TEST_CONTEXT(r.uri) {
      const DigestAlgorithm* d = FindDigestAlgorithm(r.uri);
      BOOST_REQUIRE(d != nullptr);
      BOOST_TEST(d->uri == r.uri);
      BOOST_TEST(d->hash == r.hash);
      BOOST_TEST(d->size == r.size);
      BOOST_TEST(d->legacy == r.legacy);
    }
  }
}

BOOST_AUTO_TEST_CASE(signature_allow_list_is_closed) {
  for (const char* bad :
       {"http://www.w3.org/2000/09/xmldsig#hmac-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1", "http://www.w3.org/2009/xmldsig11#dsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224",
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256 ",
        "HTTP://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "", "rsa-sha256",
        // a digest URI is not a signature method
        "http://www.w3.org/2001/04/xmlenc#sha256"}) {
    BOOST_TEST_CONTEXT("'" << bad << "'") { BOOST_TEST(FindSignatureAlgorithm(bad) == nullptr); }
  }
}

BOOST_AUTO_TEST_CASE(digest_allow_list_is_closed) {
  for (const char* bad : {"http://www.w3.org/2001/04/xmldsig-more#md5",
                          "http://www.w3.org/2001/04/xmldsig-more#sha224",
                          "http://www.w3.org/2001/04/xmlenc#ripemd160",
                          "http://www.w3.org/2007/05/xmldsig-more#sha3-256",
                          "http://www.w3.org/2001/04/xmlenc#sha256#", "", "sha256",
                          "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"}) {
    BOOST_TEST_CONTEXT("'" << bad << "'") { BOOST_TEST(FindDigestAlgorithm(bad) == nullptr); }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::dsig
