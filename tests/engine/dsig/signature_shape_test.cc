// internal::ReadSignature (engine/dsig/signature_shape.cc): the fixed shape of one enveloped
// Signature, read before any cryptography. No signature here needs to verify, so the values
// are well-formed dummies; each refusal asserts its exact code.
#include "engine/dsig/signature_shape.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "base/base64.h"
#include "tests/engine/support/signing.h"

namespace claimgate::dsig::internal {
namespace {

using testing::ReplaceOnce;

// 32 zero bytes: a well-formed sha256 DigestValue.
const std::string kDigest32 = EncodeBase64(std::string(32, '\0'));

// A Signature inside the profile, with dummy values; each test edits one part of it.
std::string Good() {
  return "<r xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ID=\"r1\"><ds:Signature>"
         "<ds:SignedInfo>"
         "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
         "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
         "<ds:Reference URI=\"#r1\"><ds:Transforms>"
         "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
         "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
         "</ds:Transforms>"
         "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
         "<ds:DigestValue>" +
         kDigest32 +
         "</ds:DigestValue></ds:Reference></ds:SignedInfo>"
         "<ds:SignatureValue>AAECAw==</ds:SignatureValue>"
         "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>" +
         testing::ExampleKey().cert_b64 +
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
         "</ds:Signature></r>";
}

// The pieces of Good() that tests replace.
constexpr std::string_view kC14nMethod =
    "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>";
constexpr std::string_view kSignatureMethod =
    "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>";
constexpr std::string_view kEnvelopedTransform =
    "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>";
constexpr std::string_view kExcTransform =
    "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>";
constexpr std::string_view kTransforms =
    "<ds:Transforms>"
    "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
    "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
    "</ds:Transforms>";
constexpr std::string_view kDigestMethod =
    "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>";
constexpr std::string_view kSignatureValue = "<ds:SignatureValue>AAECAw==</ds:SignatureValue>";
constexpr std::string_view kInclusive =
    "<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" "
    "PrefixList=\"saml xs\"/>";

std::string DigestValue() { return "<ds:DigestValue>" + kDigest32 + "</ds:DigestValue>"; }
std::string KeyInfo() {
  return "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>" + testing::ExampleKey().cert_b64 +
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>";
}

// The parts of the document's Signature. Its nodes (signed_info) dangle once this returns: use
// it for codes and values only.
Result<SignatureParts> Read(const std::string& xml, const VerifyOptions& options = {}) {
  xml::Document doc = testing::MustParse(xml);
  const pugi::xml_node signature = doc.Child(doc.root(), kDsigNs, "Signature");
  BOOST_REQUIRE(signature);
  return ReadSignature(doc, signature, options);
}

std::string CodeOf(const std::string& xml, const VerifyOptions& options = {}) {
  Result<SignatureParts> parts = Read(xml, options);
  return parts.ok() ? std::string("ok") : std::string(parts.status().code());
}

std::string WithSignatureMethod(std::string_view uri) {
  return ReplaceOnce(Good(), kSignatureMethod,
                     "<ds:SignatureMethod Algorithm=\"" + std::string(uri) + "\"/>");
}

std::string WithTransforms(std::string_view inner) {
  return ReplaceOnce(Good(), kTransforms,
                     "<ds:Transforms>" + std::string(inner) + "</ds:Transforms>");
}

BOOST_AUTO_TEST_SUITE(signature_shape)

BOOST_AUTO_TEST_CASE(reads_every_part_of_a_profile_signature) {
  const std::string xml = ReplaceOnce(
      ReplaceOnce(
          Good(), kC14nMethod,
          "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\">"
          "<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" "
          "PrefixList=\" ds  #default\"/></ds:CanonicalizationMethod>"),
      kExcTransform,
      "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\">" +
          std::string(kInclusive) + "</ds:Transform>");
  // The parts point into the document (signed_info), so it must outlive them: parsed here, not
  // in Read() (ASan found the read after free).
  const xml::Document doc = testing::MustParse(xml);
  const pugi::xml_node signature = doc.Child(doc.root(), kDsigNs, "Signature");
  BOOST_REQUIRE(signature);
  Result<SignatureParts> parts = ReadSignature(doc, signature, {});
  BOOST_REQUIRE_MESSAGE(parts.ok(), parts.status().code() << ": " << parts.status().message());
  BOOST_TEST(xml::LocalName(parts->signed_info) == "SignedInfo");
  BOOST_TEST(parts->signed_info_prefixes == (std::vector<std::string>{"ds", "#default"}),
             boost::test_tools::per_element());
  BOOST_TEST(parts->reference_prefixes == (std::vector<std::string>{"saml", "xs"}),
             boost::test_tools::per_element());
  BOOST_TEST(parts->signature_algorithm == FindSignatureAlgorithm(testing::kRsaSha256));
  BOOST_TEST(parts->digest_algorithm == FindDigestAlgorithm(testing::kSha256));
  BOOST_TEST(parts->reference_id == "r1");
  BOOST_TEST(parts->digest_value == std::string(32, '\0'));
  BOOST_TEST(parts->signature_value == std::string("\x00\x01\x02\x03", 4));
  BOOST_TEST(parts->has_keyinfo_certificate);
  BOOST_TEST(EncodeBase64(parts->keyinfo_certificate_der) == testing::ExampleKey().cert_b64);
}

BOOST_AUTO_TEST_CASE(keyinfo_is_optional_and_only_its_first_direct_certificate_selects) {
  Result<SignatureParts> none = Read(ReplaceOnce(Good(), KeyInfo(), ""));
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(!none->has_keyinfo_certificate);
  // A certificate nested deeper than KeyInfo/X509Data is not a KeyInfo certificate.
  Result<SignatureParts> deep = Read(
      ReplaceOnce(Good(), KeyInfo(),
                  "<ds:KeyInfo><ds:KeyName>k</ds:KeyName><ds:RetrievalMethod><ds:X509Data>"
                  "<ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:RetrievalMethod>"
                  "</ds:KeyInfo>"));
  BOOST_REQUIRE(deep.ok());
  BOOST_TEST(!deep->has_keyinfo_certificate);
  // Of two certificates, the first is read.
  Result<SignatureParts> two = Read(ReplaceOnce(
      Good(), "</ds:X509Data>",
      "</ds:X509Data><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data>"));
  BOOST_REQUIRE(two.ok());
  BOOST_TEST(EncodeBase64(two->keyinfo_certificate_der) == testing::ExampleKey().cert_b64);
}

BOOST_AUTO_TEST_CASE(comments_and_whitespace_between_parts_are_ignored) {
  std::string xml = ReplaceOnce(Good(), "<ds:SignedInfo>", "\n  <!-- c --><ds:SignedInfo>\n");
  xml = ReplaceOnce(xml, kSignatureValue, std::string("\r\n\t") + std::string(kSignatureValue));
  BOOST_TEST(CodeOf(xml) == "ok");
}

// ---- signature.shape -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_text_between_signature_parts) {
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), "<ds:SignedInfo>", "x<ds:SignedInfo>")) ==
             "signature.shape");
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kSignatureMethod,
                                std::string(kSignatureMethod) + "text")) == "signature.shape");
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kExcTransform, std::string(kExcTransform) + "t")) ==
             "signature.shape");
  BOOST_TEST(
      CodeOf(ReplaceOnce(Good(), kDigestMethod, std::string(kDigestMethod) + "<![CDATA[x]]>")) ==
      "signature.shape");
}

BOOST_AUTO_TEST_CASE(refuses_signature_children_other_than_signedinfo_value_keyinfo) {
  const std::string object = "<ds:Object><x/></ds:Object>";
  for (const std::string& xml : {
           ReplaceOnce(Good(), KeyInfo(), object),                 // ds:Object (A09)
           ReplaceOnce(Good(), KeyInfo(), KeyInfo() + object),     // a fourth child
           ReplaceOnce(Good(), KeyInfo(), KeyInfo() + KeyInfo()),  // two KeyInfo
           ReplaceOnce(Good(), kSignatureValue, ""),               // no SignatureValue
           ReplaceOnce(Good(), kSignatureValue,
                       std::string(kSignatureValue) + std::string(kSignatureValue)),
           ReplaceOnce(ReplaceOnce(Good(), kSignatureValue, ""), "<ds:SignedInfo>",
                       std::string(kSignatureValue) + "<ds:SignedInfo>"),  // wrong order
           ReplaceOnce(Good(), "</ds:SignedInfo>",
                       "</ds:SignedInfo><ds:SignedInfo/>"),  // two SignedInfo (B03)
       }) {
    BOOST_TEST_CONTEXT(xml) { BOOST_TEST(CodeOf(xml) == "signature.shape"); }
  }
  // The right local names in another namespace are strangers too.
  std::string foreign =
      ReplaceOnce(Good(), "<ds:SignatureValue>AAECAw==</ds:SignatureValue>",
                  "<x:SignatureValue xmlns:x=\"urn:x\">AAECAw==</x:SignatureValue>");
  BOOST_TEST(CodeOf(foreign) == "signature.shape");
}

BOOST_AUTO_TEST_CASE(refuses_signedinfo_without_canonicalization_then_signature_method) {
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kC14nMethod, "")) == "signature.shape");
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kSignatureMethod, "")) == "signature.shape");
  BOOST_TEST(CodeOf(ReplaceOnce(ReplaceOnce(Good(), kSignatureMethod, ""), kC14nMethod,
                                std::string(kSignatureMethod) + std::string(kC14nMethod))) ==
             "signature.shape");
}

BOOST_AUTO_TEST_CASE(refuses_a_stranger_element_among_the_references) {
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), "</ds:SignedInfo>", "<ds:Object/></ds:SignedInfo>")) ==
             "signature.shape");
}

BOOST_AUTO_TEST_CASE(refuses_reference_children_other_than_digest_method_and_value) {
  for (const std::string& xml : {
           ReplaceOnce(Good(), DigestValue(), ""),
           ReplaceOnce(Good(), kDigestMethod, ""),
           ReplaceOnce(Good(), DigestValue(), DigestValue() + DigestValue()),  // B01
           ReplaceOnce(Good(), DigestValue(), DigestValue() + "<ds:Object/>"),
       }) {
    BOOST_TEST_CONTEXT(xml) { BOOST_TEST(CodeOf(xml) == "signature.shape"); }
  }
}

BOOST_AUTO_TEST_CASE(refuses_a_keyinfo_of_more_than_64_elements) {
  std::string names;
  for (int i = 0; i < 64; ++i) names += "<ds:KeyName>k</ds:KeyName>";
  // 64 elements are fine (the X509Data and X509Certificate count too: use names only).
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), KeyInfo(), "<ds:KeyInfo>" + names + "</ds:KeyInfo>")) ==
             "ok");
  BOOST_TEST(
      CodeOf(ReplaceOnce(Good(), KeyInfo(),
                         "<ds:KeyInfo>" + names + "<ds:KeyName>k</ds:KeyName></ds:KeyInfo>")) ==
      "signature.shape");
}

BOOST_AUTO_TEST_CASE(refuses_a_keyinfo_certificate_over_16_kib) {
  const std::string big = EncodeBase64(std::string(16 * 1024 + 1, 'x'));
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), testing::ExampleKey().cert_b64, big)) == "signature.shape");
  const std::string limit = EncodeBase64(std::string(16 * 1024, 'x'));
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), testing::ExampleKey().cert_b64, limit)) == "ok");
}

// ---- signature.reference_count -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_zero_or_two_references) {
  const std::size_t a = Good().find("<ds:Reference ");
  const std::size_t b = Good().find("</ds:SignedInfo>");
  const std::string reference = Good().substr(a, b - a);
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), reference, "")) == "signature.reference_count");
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), reference, reference + reference)) ==
             "signature.reference_count");
}

// ---- signature.c14n_not_allowed ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_every_canonicalization_but_exclusive_without_comments) {
  for (const char* alg : {"http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
                          "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
                          "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
                          "http://www.w3.org/2006/12/xml-c14n11", "urn:evil:c14n", ""}) {
    BOOST_TEST_CONTEXT(alg) {
      BOOST_TEST(CodeOf(ReplaceOnce(Good(), kC14nMethod,
                                    "<ds:CanonicalizationMethod Algorithm=\"" + std::string(alg) +
                                        "\"/>")) == "signature.c14n_not_allowed");
    }
  }
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kC14nMethod, "<ds:CanonicalizationMethod/>")) ==
             "signature.c14n_not_allowed");
}

BOOST_AUTO_TEST_CASE(refuses_canonicalization_children_but_one_inclusive_namespaces) {
  auto with = [](std::string_view inner) {
    return ReplaceOnce(Good(), kC14nMethod,
                       "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/"
                       "xml-exc-c14n#\">" +
                           std::string(inner) + "</ds:CanonicalizationMethod>");
  };
  BOOST_TEST(CodeOf(with(kInclusive)) == "ok");
  BOOST_TEST(CodeOf(with("<ds:XPath>/</ds:XPath>")) == "signature.c14n_not_allowed");
  BOOST_TEST(CodeOf(with(std::string(kInclusive) + std::string(kInclusive))) ==
             "signature.c14n_not_allowed");
  // InclusiveNamespaces in the wrong namespace.
  BOOST_TEST(CodeOf(with("<ec:InclusiveNamespaces xmlns:ec=\"urn:x\" PrefixList=\"a\"/>")) ==
             "signature.c14n_not_allowed");
}

BOOST_AUTO_TEST_CASE(refuses_more_than_64_inclusive_prefixes) {
  auto with = [](std::size_t n) {
    std::string list;
    for (std::size_t i = 0; i < n; ++i) list += " p" + std::to_string(i);
    return ReplaceOnce(Good(), kC14nMethod,
                       "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/"
                       "xml-exc-c14n#\"><ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/"
                       "2001/10/xml-exc-c14n#\" PrefixList=\"" +
                           list + "\"/></ds:CanonicalizationMethod>");
  };
  BOOST_TEST(CodeOf(with(64)) == "ok");
  BOOST_TEST(CodeOf(with(65)) == "signature.c14n_not_allowed");
}

// ---- signature.algorithm_not_allowed -------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_signature_methods_off_the_allow_list) {
  for (const char* alg : {"http://www.w3.org/2000/09/xmldsig#hmac-sha1",
                          "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
                          "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
                          "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
                          "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", ""}) {
    BOOST_TEST_CONTEXT(alg) {
      BOOST_TEST(CodeOf(WithSignatureMethod(alg)) == "signature.algorithm_not_allowed");
    }
  }
  BOOST_TEST(CodeOf(WithSignatureMethod(testing::kEcdsaSha256)) == "ok");
}

BOOST_AUTO_TEST_CASE(refuses_rsa_sha1_unless_allowed) {
  const std::string xml = WithSignatureMethod("http://www.w3.org/2000/09/xmldsig#rsa-sha1");
  BOOST_TEST(CodeOf(xml) == "signature.algorithm_not_allowed");
  VerifyOptions legacy;
  legacy.allow_sha1 = true;
  BOOST_TEST(CodeOf(xml, legacy) == "ok");
}

BOOST_AUTO_TEST_CASE(refuses_a_signature_method_with_content) {
  const std::string open =
      "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\">";
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kSignatureMethod, open + "x</ds:SignatureMethod>")) ==
             "signature.algorithm_not_allowed");
  // HMACOutputLength and friends (SECURITY.md C03).
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kSignatureMethod,
                                open + "<ds:HMACOutputLength>1</ds:HMACOutputLength>"
                                       "</ds:SignatureMethod>")) ==
             "signature.algorithm_not_allowed");
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kSignatureMethod, open + " \n</ds:SignatureMethod>")) ==
             "ok");
}

// ---- signature.reference_uri ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_reference_uris_other_than_hash_ncname) {
  for (const char* uri : {"", "#", "r1", "#r 1", "#xpointer(/)", "#xpointer(id('r1'))",
                          "http://idp.example/#r1", "file:///etc/passwd", "#r1'or'1'='1"}) {
    BOOST_TEST_CONTEXT("URI=\"" << uri << "\"") {
      BOOST_TEST(CodeOf(ReplaceOnce(Good(), "URI=\"#r1\"", "URI=\"" + std::string(uri) + "\"")) ==
                 "signature.reference_uri");
    }
  }
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), " URI=\"#r1\"", "")) == "signature.reference_uri");
  // UUID-style IDs with a leading digit are tolerated.
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), "URI=\"#r1\"", "URI=\"#1f-2.a_b\"")) == "ok");
}

// ---- signature.transform_not_allowed -------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_reference_without_transforms) {
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kTransforms, "")) == "signature.transform_not_allowed");
  BOOST_TEST(CodeOf(WithTransforms("")) == "signature.transform_not_allowed");
}

// XML-DSig §4.3.3.2: with enveloped-signature as the only transform, the
// node-set left over is serialized with inclusive C14N 1.0, which is not what
// this verifier digests; refused up front so a genuine signature never reads as
// signature.digest_mismatch.
BOOST_AUTO_TEST_CASE(refuses_enveloped_signature_as_the_only_transform) {
  BOOST_TEST(CodeOf(WithTransforms(kEnvelopedTransform)) == "signature.transform_not_allowed");
}

BOOST_AUTO_TEST_CASE(refuses_chains_longer_than_two) {
  BOOST_TEST(CodeOf(WithTransforms(std::string(kEnvelopedTransform) + std::string(kExcTransform) +
                                   std::string(kExcTransform))) ==
             "signature.transform_not_allowed");
  BOOST_TEST(
      CodeOf(WithTransforms(std::string(kEnvelopedTransform) + std::string(kEnvelopedTransform) +
                            std::string(kExcTransform))) == "signature.transform_not_allowed");
}

BOOST_AUTO_TEST_CASE(refuses_a_stranger_element_in_transforms) {
  BOOST_TEST(CodeOf(WithTransforms(std::string(kEnvelopedTransform) + "<ds:XPath>/</ds:XPath>")) ==
             "signature.transform_not_allowed");
  BOOST_TEST(CodeOf(WithTransforms(
                 std::string(kEnvelopedTransform) + "<x:Transform xmlns:x=\"urn:x\" Algorithm=\"" +
                 std::string(testing::kExcC14nUri) + "\"/>")) == "signature.transform_not_allowed");
}

BOOST_AUTO_TEST_CASE(refuses_a_first_transform_other_than_enveloped_signature) {
  BOOST_TEST(CodeOf(WithTransforms(kExcTransform)) == "signature.transform_not_allowed");
  BOOST_TEST(
      CodeOf(WithTransforms(std::string(kExcTransform) + std::string(kEnvelopedTransform))) ==
      "signature.transform_not_allowed");
  BOOST_TEST(CodeOf(WithTransforms(
                 "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>" +
                 std::string(kExcTransform))) == "signature.transform_not_allowed");
}

BOOST_AUTO_TEST_CASE(refuses_an_enveloped_signature_transform_with_children) {
  BOOST_TEST(
      CodeOf(WithTransforms("<ds:Transform Algorithm=\"" + std::string(testing::kEnvelopedUri) +
                            "\"><ds:XPath>/</ds:XPath></ds:Transform>" +
                            std::string(kExcTransform))) == "signature.transform_not_allowed");
}

BOOST_AUTO_TEST_CASE(refuses_a_second_transform_other_than_exclusive_c14n) {
  for (const char* alg :
       {"http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "http://www.w3.org/2006/12/xml-c14n11",
        "http://www.w3.org/2000/09/xmldsig#base64",
        "http://www.w3.org/TR/1999/REC-xpath-19991116"}) {
    BOOST_TEST_CONTEXT(alg) {
      BOOST_TEST(CodeOf(WithTransforms(std::string(kEnvelopedTransform) +
                                       "<ds:Transform Algorithm=\"" + alg + "\"/>")) ==
                 "signature.transform_not_allowed");
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_exclusive_c14n_transform_children_but_inclusive_namespaces) {
  auto with = [](std::string_view inner) {
    return WithTransforms(std::string(kEnvelopedTransform) + "<ds:Transform Algorithm=\"" +
                          std::string(testing::kExcC14nUri) + "\">" + std::string(inner) +
                          "</ds:Transform>");
  };
  BOOST_TEST(CodeOf(with(kInclusive)) == "ok");
  BOOST_TEST(CodeOf(with("<ds:XPath>/</ds:XPath>")) == "signature.transform_not_allowed");
  std::string list;
  for (int i = 0; i < 65; ++i) list += "p" + std::to_string(i) + " ";
  BOOST_TEST(CodeOf(with("<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/"
                         "xml-exc-c14n#\" PrefixList=\"" +
                         list + "\"/>")) == "signature.transform_not_allowed");
}

// ---- signature.digest_not_allowed ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_digest_methods_off_the_allow_list) {
  for (const char* alg : {"http://www.w3.org/2001/04/xmldsig-more#md5",
                          "http://www.w3.org/2001/04/xmldsig-more#sha224",
                          "http://www.w3.org/2000/09/xmldsig#sha1", ""}) {
    BOOST_TEST_CONTEXT(alg) {
      BOOST_TEST(CodeOf(ReplaceOnce(Good(), kDigestMethod,
                                    "<ds:DigestMethod Algorithm=\"" + std::string(alg) + "\"/>")) ==
                 "signature.digest_not_allowed");
    }
  }
  // sha1 with the legacy allowance (then a 20-byte DigestValue).
  VerifyOptions legacy;
  legacy.allow_sha1 = true;
  const std::string sha1 = ReplaceOnce(
      ReplaceOnce(Good(), kDigestMethod,
                  "<ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/>"),
      kDigest32, EncodeBase64(std::string(20, '\1')));
  BOOST_TEST(CodeOf(sha1, legacy) == "ok");
}

// ---- signature.bad_value -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_digest_value_that_is_not_strict_base64) {
  for (const char* value : {"!!not*base64!!", "AAA", "", "QUJD=", "QUJDRA"}) {
    BOOST_TEST_CONTEXT(value) {
      BOOST_TEST(CodeOf(ReplaceOnce(Good(), kDigest32, value)) == "signature.bad_value");
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_a_digest_value_of_the_wrong_length) {
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kDigest32, EncodeBase64(std::string(31, 'a')))) ==
             "signature.bad_value");
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), kDigest32, EncodeBase64(std::string(64, 'a')))) ==
             "signature.bad_value");
}

// SECURITY.md B02: a comment, CDATA or element inside a value element is refused, never read.
BOOST_AUTO_TEST_CASE(refuses_value_elements_holding_anything_but_text) {
  for (const std::string& inner : {"<!--" + kDigest32 + "-->" + kDigest32,
                                   "<![CDATA[" + kDigest32 + "]]>", "<x/>" + kDigest32}) {
    BOOST_TEST_CONTEXT(inner) {
      BOOST_TEST(CodeOf(ReplaceOnce(Good(), kDigest32, inner)) == "signature.bad_value");
    }
  }
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), "AAECAw==", "<!---->AAECAw==")) == "signature.bad_value");
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), testing::ExampleKey().cert_b64,
                                "<!---->" + testing::ExampleKey().cert_b64)) ==
             "signature.bad_value");
}

BOOST_AUTO_TEST_CASE(refuses_a_signature_value_that_is_not_strict_base64) {
  for (const char* value : {"", "   ", "AAECAw", "AAEC*w==", "AAECAw==="}) {
    BOOST_TEST_CONTEXT(value) {
      BOOST_TEST(CodeOf(ReplaceOnce(Good(), "AAECAw==", value)) == "signature.bad_value");
    }
  }
  // Line-wrapped base64 is fine.
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), "AAECAw==", "AAEC\r\n Aw==")) == "ok");
}

BOOST_AUTO_TEST_CASE(refuses_a_keyinfo_certificate_that_is_not_base64) {
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), testing::ExampleKey().cert_b64, "not base64!")) ==
             "signature.bad_value");
  BOOST_TEST(CodeOf(ReplaceOnce(Good(), testing::ExampleKey().cert_b64, "")) ==
             "signature.bad_value");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::dsig::internal
