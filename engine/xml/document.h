#pragma once

#include <cstddef>
#include <memory>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace claimgate::xml {

// Limits applied while validating a parsed tree (SECURITY.md DR10, DR15).
struct ParseLimits {
  std::size_t max_depth = 128;
  std::size_t max_nodes = 200000;
  std::size_t max_attributes_per_element = 128;
  std::size_t max_namespace_declarations = 4096;
};

struct ParseOptions {
  ParseLimits limits;
  // Processing instructions are refused in SAML messages (xml.pi_forbidden). The c14n command
  // keeps them so that they can be canonicalized as the spec says.
  bool allow_processing_instructions = false;
};

// A parsed and validated XML document: one hardened pugixml parse (SECURITY.md §4.1 flags, no
// parse_escapes), then the post-parse validation layer of §4.3 (declaration, one root, no
// DOCTYPE, QNames, duplicate attributes, namespaces, our own strict escape decoding written back
// into the tree, XML Char range, limits, unique ID-like attributes). Move-only; nodes handed out
// stay valid while the Document lives.
class Document {
 public:
  // `utf8` must already be strict UTF-8 (engine/decode checks; Parse checks again). Fails with
  // xml.* (input.bad_utf8 for bytes that are not strict UTF-8 or a UTF-16 byte order mark); a
  // leading UTF-8 byte order mark is skipped. Never throws.
  static Result<Document> Parse(std::string_view utf8, const ParseOptions& options = {});

  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  // The single document element.
  pugi::xml_node root() const;

  // The element whose ID-like attribute (ID, Id, xml:id, AssertionID, ResponseID) equals `id`,
  // from the table built once at parse time (unique by construction); empty node when none.
  pugi::xml_node FindById(std::string_view id) const;

  // ---- Namespace-aware reading (STYLE C10), for nodes of this Document. ----
  // Every element's and every prefixed attribute's namespace was resolved once, during the
  // parse's own scope walk, so each lookup is one table probe whatever the document's shape:
  // no reading is quadratic in hostile input (deep nesting under many attributes, SECURITY.md
  // DR15). A node of another document reads as having no namespace.

  // The namespace URI an element's name resolves to ("" when none).
  std::string_view NamespaceUri(pugi::xml_node el) const;
  // The namespace URI of an attribute of this document ("" for unprefixed attributes).
  std::string_view AttributeNamespace(pugi::xml_attribute attr) const;
  // True when `el` is an element named {ns_uri}local_name.
  bool Is(pugi::xml_node el, std::string_view ns_uri, std::string_view local_name) const;
  // First element child named {ns_uri}local_name, or an empty node.
  pugi::xml_node Child(pugi::xml_node el, std::string_view ns_uri,
                       std::string_view local_name) const;
  // Every element child named {ns_uri}local_name, in order.
  std::vector<pugi::xml_node> Children(pugi::xml_node el, std::string_view ns_uri,
                                       std::string_view local_name) const;
  // Number of element children named {ns_uri}local_name.
  std::size_t CountChildren(pugi::xml_node el, std::string_view ns_uri,
                            std::string_view local_name) const;

 private:
  Document();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Reading that needs no namespace (the namespace-aware readers are Document members). ----

// The local part of a node's or attribute's name.
std::string_view LocalName(pugi::xml_node el);
std::string_view LocalName(pugi::xml_attribute attr);
// The unprefixed attribute `name` of `el` (no namespace), or an empty attribute.
pugi::xml_attribute Attr(pugi::xml_node el, std::string_view name);

// Whole text: every PCDATA and CDATA child of `el`, concatenated in order, comments skipped.
// Never use pugixml child_value()/text() on SAML values (SECURITY.md §4.2 trap 1).
std::string Text(pugi::xml_node el);
// True when `el` has an element child.
bool HasElementChildren(pugi::xml_node el);

}  // namespace claimgate::xml
