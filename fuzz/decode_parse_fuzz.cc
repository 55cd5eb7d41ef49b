// decode + parse: the bytes a browser posts, through Decode and the hardened XML parse, then
// every namespace-aware reader over the tree. Promises checked: failures carry input.* / xml.*
// codes; every ID-like attribute of a parsed document finds its own element.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/decode.h"
#include "engine/xml/document.h"
#include "fuzz/check.h"

namespace {

using claimgate::fuzz::CheckFamily;

bool IsIdName(std::string_view name) {
  return name == "ID" || name == "Id" || name == "xml:id" || name == "AssertionID" ||
         name == "ResponseID";
}

void Walk(const claimgate::xml::Document& doc) {
  std::vector<pugi::xml_node> stack{doc.root()};
  while (!stack.empty()) {
    const pugi::xml_node el = stack.back();
    stack.pop_back();
    (void)doc.NamespaceUri(el);
    (void)claimgate::xml::LocalName(el);
    (void)claimgate::xml::Text(el);
    for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
      (void)doc.AttributeNamespace(a);
      if (IsIdName(a.name())) CLAIMGATE_FUZZ_CHECK(doc.FindById(a.value()) == el);
    }
    for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element) stack.push_back(c);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claimgate::Result<std::string> xml = claimgate::Decode(claimgate::fuzz::Text(data, size));
  if (!xml.ok()) {
    CheckFamily(xml.status().code(), xml.status().message(), {"input."});
    return 0;
  }
  claimgate::Result<claimgate::xml::Document> doc = claimgate::xml::Document::Parse(*xml);
  if (!doc.ok()) {
    CheckFamily(doc.status().code(), doc.status().message(), {"xml.", "input."});
    return 0;
  }
  Walk(*doc);
  return 0;
}
