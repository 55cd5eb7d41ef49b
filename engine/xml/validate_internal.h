#pragma once

#include <cstddef>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "engine/xml/document.h"

// The element-level half of the post-parse validation layer (SECURITY.md §4.3): names,
// attributes, references, namespaces, IDs and limits over the document element's subtree.
// Internal to engine/xml; document.cc runs it after the top-level checks.
namespace claimgate::xml::internal {

inline constexpr std::string_view kXmlNamespaceUri = "http://www.w3.org/XML/1998/namespace";
inline constexpr std::string_view kXmlnsNamespaceUri = "http://www.w3.org/2000/xmlns/";

// ID-like attribute value -> owning element, built once per document (B10).
using IdTable = std::unordered_map<std::string, pugi::xml_node>;

// Element or prefixed attribute (pugixml's internal object) -> the namespace URI its prefix
// resolved to, a view into the tree (or a constant). Built once per document by the same walk
// that checks the namespaces, so that reading never walks ancestors again.
using NameTable = std::unordered_map<const void*, std::string_view>;

// One attribute's name as a key for the duplicate checks: the raw qualified name (uri empty),
// or the expanded name (local part, namespace URI).
struct AttributeKey {
  std::string_view name;
  std::string_view uri;
  pugi::xml_attribute attr;
};

// "line N" for a byte offset of the parsed buffer.
std::string LineOf(std::string_view input, std::ptrdiff_t offset);

class TreeValidator {
 public:
  TreeValidator(std::string_view input, const ParseOptions& options, IdTable& ids, NameTable& names)
      : input_(input), options_(options), ids_(ids), names_(names) {}

  // Walks `root` (the document element) iteratively; the first violation wins. Decoded
  // character data is written back into the tree, and every element's and prefixed attribute's
  // namespace into `names`. Fails with xml.*.
  Status Run(pugi::xml_node root);

 private:
  Status EnterElement(pugi::xml_node el, std::size_t depth);
  void LeaveElement();
  Status CheckLeaf(pugi::xml_node node);
  Status DecodeAttributes(pugi::xml_node el);
  Status DeclareNamespaces(pugi::xml_node el);
  Status CheckAttributeNames(pugi::xml_node el);
  Status RecordIds(pugi::xml_node el);
  bool Resolve(std::string_view prefix, std::string_view* uri) const;
  std::string Where(pugi::xml_node node) const;
  std::string Where(pugi::xml_node el, pugi::xml_attribute attr) const;

  std::string_view input_;
  const ParseOptions& options_;
  IdTable& ids_;
  NameTable& names_;
  std::size_t nodes_ = 0;
  std::size_t declarations_ = 0;
  // In-scope namespace bindings: prefix -> stack of URIs; plus, per open element, the
  // prefixes it declared (popped on leave).
  std::unordered_map<std::string_view, std::vector<std::string_view>> scope_;
  std::vector<std::vector<std::string_view>> declared_;
  std::string scratch_;
  std::vector<AttributeKey> names_scratch_;
};

// Validates a comment's content (no "--", no trailing '-'); used at top level too.
Status CheckComment(pugi::xml_node comment, std::string_view input);
// Validates a processing instruction (allowed by options, target an NCName) and normalizes the
// line ends of its data, which pugixml leaves alone.
Status CheckPi(pugi::xml_node pi, std::string_view input, const ParseOptions& options);

}  // namespace claimgate::xml::internal
