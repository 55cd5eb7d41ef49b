// Exclusive c14n of a parsed document. The first byte picks the options (comments, an
// InclusiveNamespaces list, an excluded subtree, as the enveloped-signature transform does); the
// rest is the XML. Promises checked: the output is total (starts with '<'); it parses again; and
// canonicalizing it again gives the same bytes (c14n is idempotent).

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/xml/c14n.h"
#include "engine/xml/document.h"
#include "fuzz/check.h"

namespace {

namespace xml = claimgate::xml;

// The first element child of `el` when `el` has one: the subtree the flags may exclude.
pugi::xml_node FirstElementChild(pugi::xml_node el) {
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return c;
  }
  return pugi::xml_node();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t flags = data[0];
  xml::ParseOptions parse;
  parse.allow_processing_instructions = true;
  claimgate::Result<xml::Document> doc =
      xml::Document::Parse(claimgate::fuzz::Text(data + 1, size - 1), parse);
  if (!doc.ok()) return 0;

  xml::C14nOptions options;
  options.with_comments = (flags & 1) != 0;
  if (flags & 2) options.inclusive_prefixes = {"#default", "ds", "saml", "xs"};
  if (flags & 4) options.exclude = FirstElementChild(doc->root());
  std::string out;
  const claimgate::Status s = xml::Canonicalize(doc->root(), options, out);
  if (!s.ok()) {
    claimgate::fuzz::CheckFamily(s.code(), s.message(), {"xml."});
    return 0;
  }
  CLAIMGATE_FUZZ_CHECK(!out.empty() && out[0] == '<');

  claimgate::Result<xml::Document> again = xml::Document::Parse(out, parse);
  CLAIMGATE_FUZZ_CHECK(again.ok());
  options.exclude = pugi::xml_node();
  std::string twice;
  CLAIMGATE_FUZZ_CHECK(xml::Canonicalize(again->root(), options, twice).ok());
  CLAIMGATE_FUZZ_CHECK(twice == out);
  return 0;
}
