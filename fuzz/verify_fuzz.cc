// verify: a posted Response (raw XML or base64) through decode, parse, signature verification
// against one pinned key (the example IdP's, fuzz/pinned_key.h) and the Web Browser SSO checks,
// at a fixed time. Seeds are validly signed responses, so mutations reach digest and signature
// checks and the profile checks behind them. Promises checked: verification fails only with
// saml.* / signature.* codes (or xml.namespace: signed content c14n refuses, SECURITY.md B08); a
// verified Assertion is the document's single {SAML assertion}Assertion, a child of the root
// Response (fixed shape, SECURITY.md DR3/DR4).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/civil_time.h"
#include "engine/decode.h"
#include "engine/dsig/verifier.h"
#include "engine/saml/validate.h"
#include "engine/saml/verify_response.h"
#include "engine/xml/document.h"
#include "fuzz/check.h"
#include "fuzz/pinned_key.h"

namespace {

namespace cg = claimgate;

constexpr char kSamlAssertion[] = "urn:oasis:names:tc:SAML:2.0:assertion";

const cg::dsig::Verifier& PinnedVerifier() {
  static const cg::dsig::Verifier* verifier = [] {
    cg::dsig::KeySet keys;
    if (!keys.AddPem(cg::fuzz::kPinnedCertificatePem, "example-idp.pem", {}).ok()) std::abort();
    return new cg::dsig::Verifier(std::move(keys), cg::dsig::VerifyOptions{});
  }();
  return *verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cg::Result<std::string> text = cg::Decode(cg::fuzz::Text(data, size));
  if (!text.ok()) return 0;
  cg::Result<cg::xml::Document> doc = cg::xml::Document::Parse(*text);
  if (!doc.ok()) return 0;

  cg::saml::SignaturePolicy policy;
  policy.require_signed_assertion = size % 2 == 1;  // both policies, without spending a byte
  cg::Result<cg::saml::VerifiedResponse> verified =
      cg::saml::VerifySignatures(*doc, PinnedVerifier(), policy);
  if (!verified.ok()) {
    const std::string_view code = verified.status().code();
    cg::fuzz::CheckFamily(code, verified.status().message(),
                          {"saml.", "signature.", "xml.namespace"});
    return 0;
  }
  const pugi::xml_node assertion = verified->assertion.node();
  CLAIMGATE_FUZZ_CHECK(verified->document == &*doc);
  CLAIMGATE_FUZZ_CHECK(verified->unverified_response == doc->root());
  CLAIMGATE_FUZZ_CHECK(doc->Is(assertion, kSamlAssertion, "Assertion"));
  CLAIMGATE_FUZZ_CHECK(assertion.parent() == doc->root());
  CLAIMGATE_FUZZ_CHECK(verified->assertion_signed || verified->response_signed);
  CLAIMGATE_FUZZ_CHECK(!policy.require_signed_assertion || verified->assertion_signed);

  cg::saml::Expectations want;
  want.sp_entity_id = "https://sp.example/saml/acme-flex";
  want.acs_url = "https://sp.example/saml/acme-flex/acs";
  static const cg::TimePoint now = *cg::ParseDateTime("2026-01-01T00:00:30Z");
  cg::Result<cg::saml::Assertion> login = cg::saml::Validate(*verified, want, now);
  if (login.ok()) CLAIMGATE_FUZZ_CHECK(!login->claims.subject.empty());
  return 0;
}
