#pragma once

// Fixtures for the engine's unit tests: documents signed at test time by xmlsec1 (the signing
// oracle of SECURITY.md §2, never a verifier) with the public example IdP key, plus small text
// helpers. Every failure here fails the calling test: a fixture that cannot be made is never
// skipped or replaced by something else.

#include <string>
#include <string_view>
#include <vector>

#include "engine/dsig/key_set.h"
#include "engine/xml/document.h"

namespace claimgate::testing {

inline constexpr std::string_view kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr std::string_view kEcdsaSha256 =
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
inline constexpr std::string_view kSha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr std::string_view kExcC14nUri = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr std::string_view kEnvelopedUri =
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

// A file of the source tree (CLAIMGATE_SOURCE_DIR, set by CTest), e.g. "examples/idp/metadata.xml".
std::string SourcePath(std::string_view relative);
std::string ReadSourceFile(std::string_view relative);
// Any file, by path (generated keys); throws, failing the test, when it cannot be read.
std::string ReadPath(const std::string& path);

// `text` with its only occurrence of `from` replaced by `to`. Fails the test when `from` occurs
// zero or several times, so a fixture edit can never silently miss.
std::string ReplaceOnce(std::string text, std::string_view from, std::string_view to);

// Parses with the default options; fails the test (BOOST_REQUIRE) when the parse fails.
xml::Document MustParse(std::string_view text);

// The pinned keys of examples/idp/example-idp.pem (RSA-2048).
dsig::KeySet ExampleKeys();

// A key pair made once per test process with openssl: "attacker" (RSA-2048) or "ec" (P-256).
struct TestKey {
  std::string key_path;   // private key, PEM
  std::string cert_path;  // self-signed certificate, PEM
  std::string cert_b64;   // the certificate's DER as one base64 line (for KeyInfo)
};
const TestKey& GeneratedKey(std::string_view name);
// The example IdP key (examples/idp/example-idp.{key,pem}).
const TestKey& ExampleKey();

// An unsigned ds:Signature template (empty DigestValue and SignatureValue) for xmlsec1:
// SignedInfo with exc-c14n, `signature_method`, one Reference to "#" + `id` with `transforms`
// (Algorithm URIs, or raw "<ds:Transform .../>" markup when starting with '<'), sha256, and a
// KeyInfo carrying `cert_b64` (none when empty).
std::string SignatureTemplate(std::string_view id, const std::vector<std::string>& transforms,
                              std::string_view signature_method = kRsaSha256,
                              std::string_view cert_b64 = ExampleKey().cert_b64);
// The default profile chain: enveloped-signature, then exclusive c14n.
std::vector<std::string> ProfileTransforms();

// Signs every template Signature of `xml` (empty SignatureValue) with xmlsec1 and `key`, the
// last one in document order first, so an Assertion signature is computed before the Response
// signature that covers it (Okta's order). `id_attrs` are xmlsec1 --id-attr values
// ("ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion"); the SAML Response and Assertion are
// always declared. Fails the test when xmlsec1 fails.
std::string SignWithXmlsec(const std::string& xml, const TestKey& key = ExampleKey(),
                           const std::vector<std::string>& id_attrs = {});

}  // namespace claimgate::testing
