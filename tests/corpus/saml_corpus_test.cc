// Runs every saml-response, saml-assertion, metadata and xmldsig case of ../shared/corpus
// (MANIFEST.json, read in place) through the engine and compares with the expected outcome.
// Cases we decide differently on purpose are listed, with the reason, in saml_exceptions.txt;
// a listed case that stops deviating fails too, so the list cannot go stale.
#include <boost/test/unit_test.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "engine/dsig/verifier.h"
#include "engine/saml/metadata.h"
#include "engine/saml/names.h"
#include "engine/xml/document.h"
#include "pipeline/verify.h"
#include "tests/corpus/corpus_support.h"

namespace cg = claimgate;
using nlohmann::json;

namespace {

struct Outcome {
  bool accepted = false;
  std::string code;     // error code when rejected
  std::string message;  // error message, or a note on what was compared
};

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// A context value the source suite left as a template placeholder ("{audience}") is unknown.
std::string Known(const std::string& v) {
  return v.find('{') == std::string::npos ? v : std::string();
}

// The trust every runner uses: the case's certificate, with the legacy allowances the source
// suites ran under (SHA-1, 1024-bit test keys). Those allowances are tested as rejections
// elsewhere; here they reproduce the suites' own settings.
std::optional<cg::dsig::KeySet> Keys(const json& c, Outcome* out) {
  cg::dsig::KeySet keys;
  const std::string with = Str(c, "verify_with");
  if (with.empty()) {
    out->code = "signature.no_keys";
    return std::nullopt;
  }
  cg::dsig::KeyPolicy policy;
  policy.min_rsa_bits = 1024;
  const std::string text = cg::corpus::ReadFile(cg::corpus::CorpusDir() + "/" + with);
  if (cg::Status s = keys.AddPem(text, with, policy); !s.ok()) {
    out->code = std::string(s.code());
    out->message = s.message();
    return std::nullopt;
  }
  return keys;
}

cg::dsig::VerifyOptions LegacyOptions() {
  cg::dsig::VerifyOptions o;
  o.allow_sha1 = true;
  return o;
}

cg::TimePoint ValidAt(const json& c) {
  const std::optional<cg::TimePoint> t = cg::ParseDateTime(Str(c, "valid_at"));
  return t ? *t : cg::TimePoint();
}

// The attributes the manifest recorded (Name → values) must be exactly what we extracted.
std::string CompareClaims(const json& c, const cg::saml::Assertion& a) {
  const std::string name_id = Str(c, "name_id");
  if (!name_id.empty() && name_id != a.claims.subject) {
    return "NameID '" + a.claims.subject + "' != manifest '" + name_id + "'";
  }
  if (c.contains("attributes") && c["attributes"].is_object()) {
    std::map<std::string, std::vector<std::string>> got;
    for (const cg::Attribute& attr : a.claims.attributes) {
      auto& v = got[attr.name];
      v.insert(v.end(), attr.values.begin(), attr.values.end());
    }
    // The manifest flattened element-valued attributes (eduPersonTargetedID's NameID) with
    // their indentation; values compare with surrounding XML whitespace trimmed.
    auto trim = [](std::vector<std::string> v) {
      for (std::string& s : v) {
        const std::size_t a = s.find_first_not_of(" \t\r\n");
        const std::size_t b = s.find_last_not_of(" \t\r\n");
        s = a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
      }
      return v;
    };
    for (const auto& [name, values] : c["attributes"].items()) {
      if (trim(got[name]) != trim(values.get<std::vector<std::string>>())) {
        return "attribute '" + name + "' differs from the manifest";
      }
    }
  }
  return "";
}

Outcome RunResponse(const json& c) {
  Outcome out;
  std::optional<cg::dsig::KeySet> keys = Keys(c, &out);
  if (!keys) return out;
  const json ctx =
      c.contains("sp_context") && c["sp_context"].is_object() ? c["sp_context"] : json::object();
  const json facts = c.contains("document_facts") && c["document_facts"].is_object()
                         ? c["document_facts"]
                         : json::object();
  cg::pipeline::VerifySettings settings;
  // Where the suite pinned no SP context, the document's own values stand in: those checks are
  // then not what the case tests (the corpus README says so for the SAML-Toolkits suites).
  settings.expectations.sp_entity_id = Known(Str(ctx, "audience"));
  if (settings.expectations.sp_entity_id.empty())
    settings.expectations.sp_entity_id = Str(c, "audience");
  settings.expectations.acs_url = Known(Str(ctx, "acs"));
  if (settings.expectations.acs_url.empty())
    settings.expectations.acs_url = Str(facts, "destination");
  const std::string issuer = Known(Str(ctx, "idp_issuer"));
  if (!issuer.empty()) settings.expectations.idp_entity_id = issuer;
  const std::string request = Known(Str(ctx, "request_id"));
  if (!request.empty()) settings.expectations.in_response_to = request;
  cg::pipeline::ResponseVerifier verifier(cg::dsig::Verifier(std::move(*keys), LegacyOptions()),
                                          std::move(settings));
  const std::string raw = cg::corpus::ReadFile(cg::corpus::CorpusDir() + "/" + Str(c, "file"));
  cg::Result<cg::saml::Assertion> login = verifier.Verify(raw, ValidAt(c));
  if (!login.ok()) {
    out.code = std::string(login.status().code());
    out.message = login.status().message();
    return out;
  }
  out.accepted = true;
  // An accepted case must also read what the source suite read.
  out.message = CompareClaims(c, *login);
  if (!out.message.empty()) {
    out.accepted = false;
    out.code = "test.claims_differ";
  }
  return out;
}

// Every ds:Signature in the document, in document order.
std::vector<pugi::xml_node> Signatures(const cg::xml::Document& doc) {
  std::vector<pugi::xml_node> out;
  std::vector<pugi::xml_node> stack{doc.root()};
  while (!stack.empty()) {
    const pugi::xml_node n = stack.back();
    stack.pop_back();
    if (doc.Is(n, "http://www.w3.org/2000/09/xmldsig#", "Signature")) out.push_back(n);
    std::vector<pugi::xml_node> kids;
    for (pugi::xml_node k = n.first_child(); k; k = k.next_sibling()) {
      if (k.type() == pugi::node_element) kids.push_back(k);
    }
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

// Verifies every Signature of `doc` as an enveloped signature of its parent.
Outcome VerifyAll(const cg::xml::Document& doc, const json& c, const std::string& id_attribute,
                  bool require_one) {
  Outcome out;
  const std::vector<pugi::xml_node> sigs = Signatures(doc);
  if (sigs.empty()) {
    out.accepted = !require_one;
    if (require_one) out.code = "signature.missing";
    return out;
  }
  std::optional<cg::dsig::KeySet> keys = Keys(c, &out);
  if (!keys) return out;
  cg::dsig::VerifyOptions options = LegacyOptions();
  options.id_attribute = id_attribute;
  const cg::dsig::Verifier verifier(std::move(*keys), options);
  for (const pugi::xml_node sig : sigs) {
    cg::Result<cg::dsig::SignedElement> r = verifier.VerifyEnveloped(doc, sig.parent(), sig);
    if (!r.ok()) {
      out.code = std::string(r.status().code());
      out.message = r.status().message();
      return out;
    }
  }
  out.accepted = true;
  return out;
}

Outcome RunAssertion(const json& c) {
  Outcome out;
  const std::string raw = cg::corpus::ReadFile(cg::corpus::CorpusDir() + "/" + Str(c, "file"));
  cg::Result<cg::xml::Document> doc = cg::xml::Document::Parse(raw);
  if (!doc.ok()) {
    out.code = std::string(doc.status().code());
    return out;
  }
  if (!doc->Is(doc->root(), cg::saml::kAssertionNs, "Assertion")) {
    out.code = "saml.structure";
    return out;
  }
  return VerifyAll(*doc, c, "ID", /*require_one=*/true);
}

Outcome RunMetadata(const json& c) {
  Outcome out;
  const std::string raw = cg::corpus::ReadFile(cg::corpus::CorpusDir() + "/" + Str(c, "file"));
  const std::string at = Str(c, "valid_at");
  std::optional<cg::TimePoint> now = cg::ParseDateTime(at);
  cg::Result<cg::xml::Document> doc = cg::saml::ParseMetadataDocument(raw, now);
  if (!doc.ok()) {
    out.code = std::string(doc.status().code());
    out.message = doc.status().message();
    return out;
  }
  // Every IdP the document describes must be usable as a trust source.
  std::vector<pugi::xml_node> stack{doc->root()};
  while (!stack.empty()) {
    const pugi::xml_node n = stack.back();
    stack.pop_back();
    if (doc->Is(n, cg::saml::kMetadataNs, "EntityDescriptor")) {
      if (cg::saml::IsSaml2IdpEntity(*doc, n)) {
        cg::Result<cg::saml::IdpMetadata> md =
            cg::saml::ParseIdpMetadata(raw, std::string(cg::xml::Attr(n, "entityID").value()), now);
        if (!md.ok()) {
          out.code = std::string(md.status().code());
          out.message = md.status().message();
          return out;
        }
      }
      continue;
    }
    for (pugi::xml_node k = n.first_child(); k; k = k.next_sibling()) {
      if (doc->Is(k, cg::saml::kMetadataNs, "EntityDescriptor") ||
          doc->Is(k, cg::saml::kMetadataNs, "EntitiesDescriptor")) {
        stack.push_back(k);
      }
    }
  }
  return VerifyAll(*doc, c, "ID", /*require_one=*/false);
}

// Whether every signature of an xmldsig vector stays inside the profile claimgate accepts
// (enveloped, '#id' reference, exclusive c14n, allow-listed algorithms; SHA-1 as the suites'
// legacy setting). Vectors outside it must be rejected, whatever the source suite expects.
bool Covered(const json& c, std::string* why) {
  if (!c.contains("signatures") || !c["signatures"].is_array() || c["signatures"].empty()) {
    *why = "no signature recorded";
    return false;
  }
  for (const json& s : c["signatures"]) {
    const std::string method = Str(s, "signature_method");
    const std::string c14n = Str(s, "c14n_method");
    if (c14n != "http://www.w3.org/2001/10/xml-exc-c14n#") {
      *why = "CanonicalizationMethod " + c14n;
      return false;
    }
    if (method.find("rsa-sha") == std::string::npos &&
        method.find("ecdsa-sha") == std::string::npos) {
      *why = "SignatureMethod " + method;
      return false;
    }
    if (method.find("sha224") != std::string::npos) {
      *why = "SignatureMethod " + method;
      return false;
    }
    if (!s.contains("reference_uris") || s["reference_uris"].size() != 1 ||
        s["reference_uris"][0].get<std::string>().rfind('#', 0) != 0) {
      *why = "not exactly one '#id' Reference";
      return false;
    }
    const json t = s.contains("transforms") ? s["transforms"] : json::array();
    if (t.empty() || t[0] != "http://www.w3.org/2000/09/xmldsig#enveloped-signature" ||
        t.size() > 2 || (t.size() == 2 && t[1] != "http://www.w3.org/2001/10/xml-exc-c14n#")) {
      *why = "transforms outside enveloped-signature + exc-c14n";
      return false;
    }
  }
  return true;
}

Outcome RunXmlDsig(const json& c) {
  Outcome out;
  const std::string raw = cg::corpus::ReadFile(cg::corpus::CorpusDir() + "/" + Str(c, "file"));
  cg::Result<cg::xml::Document> doc = cg::xml::Document::Parse(raw);
  if (!doc.ok()) {
    out.code = std::string(doc.status().code());
    out.message = doc.status().message();
    return out;
  }
  // "--id-attr:Id ns:Element" names the ID attribute the vector's references use.
  std::string id_attribute = "ID";
  if (c.contains("id_attrs") && c["id_attrs"].is_array() && !c["id_attrs"].empty()) {
    const std::string first = c["id_attrs"][0].get<std::string>();
    const std::size_t colon = first.find(':');
    const std::size_t space = first.find(' ');
    if (colon != std::string::npos && space != std::string::npos && space > colon) {
      id_attribute = first.substr(colon + 1, space - colon - 1);
    }
  }
  return VerifyAll(*doc, c, id_attribute, /*require_one=*/true);
}

// Runs every case of the given kinds, checks each against its expectation or its listed
// exception, and reports counts.
void RunKinds(const std::set<std::string>& kinds, Outcome (*run)(const json&)) {
  BOOST_REQUIRE_MESSAGE(!cg::corpus::CorpusDir().empty(), "CLAIMGATE_CORPUS_DIR is not set");
  const json manifest = cg::corpus::LoadManifest();
  BOOST_REQUIRE_MESSAGE(manifest.size() > 0u, "MANIFEST.json not found or empty");
  const std::map<std::string, std::string> exceptions =
      cg::corpus::LoadExceptions("saml_exceptions.txt");
  std::size_t agree = 0, excepted = 0, total = 0, uncovered = 0;
  for (const json& c : manifest) {
    if (kinds.count(Str(c, "kind")) == 0) continue;
    ++total;
    const std::string id = Str(c, "id");
    bool want_valid = Str(c, "expected") == "valid";
    std::string outside;
    if (Str(c, "kind") == "xmldsig" && !Covered(c, &outside)) {
      want_valid = false;  // outside the profile: must be refused
      ++uncovered;
    }
    const Outcome got = run(c);
    const bool agrees = got.accepted == want_valid;
    const auto listed = exceptions.find(id);
    BOOST_TEST_CONTEXT(id << " (expected " << (want_valid ? "valid" : "invalid") << ", why: "
                          << (outside.empty() ? Str(c, "why") : "outside the profile: " + outside)
                          << "; got " << (got.accepted ? "accepted" : got.code) << " "
                          << got.message << ")") {
      if (listed == exceptions.end()) {
        BOOST_TEST(agrees);
      } else {
        BOOST_TEST(!agrees, "listed in saml_exceptions.txt but now agrees: remove it");
        ++excepted;
      }
    }
    if (agrees) ++agree;
  }
  BOOST_TEST_MESSAGE("corpus " << *kinds.begin() << ": " << total << " cases, " << agree
                               << " agree, " << excepted << " listed exceptions, " << uncovered
                               << " outside the signature profile (must be refused)");
  BOOST_TEST(total > 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(saml_corpus)

BOOST_AUTO_TEST_CASE(exceptions_name_real_cases) {
  const json manifest = cg::corpus::LoadManifest();
  std::set<std::string> ids;
  for (const json& c : manifest) ids.insert(Str(c, "id"));
  for (const auto& [id, reason] : cg::corpus::LoadExceptions("saml_exceptions.txt")) {
    BOOST_TEST_CONTEXT(id) {
      BOOST_TEST(ids.count(id) == 1u);
      BOOST_TEST(reason.size() > 10u, "every exception states its reason");
    }
  }
}

BOOST_AUTO_TEST_CASE(saml_responses) { RunKinds({"saml-response"}, RunResponse); }
BOOST_AUTO_TEST_CASE(saml_assertions) { RunKinds({"saml-assertion"}, RunAssertion); }
BOOST_AUTO_TEST_CASE(metadata) { RunKinds({"metadata"}, RunMetadata); }
BOOST_AUTO_TEST_CASE(xmldsig_vectors) { RunKinds({"xmldsig"}, RunXmlDsig); }

BOOST_AUTO_TEST_SUITE_END()
