// Namespace-aware reading over a validated Document (STYLE C10, DR11, DR12). pugixml has no
// namespaces: prefixes are resolved here by walking the in-scope xmlns attributes.
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/xml/document.h"
#include "engine/xml/chars_internal.h"
#include "engine/xml/validate_internal.h"

namespace claimgate::xml {
namespace {

using internal::LocalOf;
using internal::PrefixOf;

// The declaration of `prefix` on `el` itself, if any.
bool DeclaredOn(pugi::xml_node el, std::string_view prefix, std::string_view* uri) {
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    if (prefix.empty() ? name == "xmlns"
                       : (name.size() == prefix.size() + 6 && name.substr(0, 6) == "xmlns:" &&
                          name.substr(6) == prefix)) {
      *uri = a.value();
      return true;
    }
  }
  return false;
}

// Resolves into a view of the tree (or a constant); "" for no default namespace.
bool Resolve(pugi::xml_node el, std::string_view prefix, std::string_view* uri) {
  if (prefix == "xml") {
    *uri = internal::kXmlNamespaceUri;
    return true;
  }
  for (pugi::xml_node n = el; n && n.type() == pugi::node_element; n = n.parent()) {
    if (DeclaredOn(n, prefix, uri)) return true;
  }
  *uri = std::string_view();
  return prefix.empty();
}

}  // namespace

std::string_view NamespaceUri(pugi::xml_node el) {
  std::string_view uri;
  if (el.type() != pugi::node_element) return uri;
  Resolve(el, PrefixOf(el.name()), &uri);
  return uri;
}

std::string_view LocalName(pugi::xml_node el) { return LocalOf(el.name()); }

std::string_view LocalName(pugi::xml_attribute attr) { return LocalOf(attr.name()); }

std::string_view AttributeNamespace(pugi::xml_node owner, pugi::xml_attribute attr) {
  const std::string_view name = attr.name();
  if (name == "xmlns") return internal::kXmlnsNamespaceUri;
  const std::string_view prefix = PrefixOf(name);
  if (prefix.empty()) return std::string_view();
  if (prefix == "xmlns") return internal::kXmlnsNamespaceUri;
  std::string_view uri;
  Resolve(owner, prefix, &uri);
  return uri;
}

bool LookupNamespace(pugi::xml_node el, std::string_view prefix, std::string* uri) {
  std::string_view found;
  if (!Resolve(el, prefix, &found)) return false;
  if (prefix.empty() && found.empty()) return false;  // no default namespace in scope
  uri->assign(found);
  return true;
}

bool Is(pugi::xml_node el, std::string_view ns_uri, std::string_view local_name) {
  return el.type() == pugi::node_element && LocalName(el) == local_name &&
         NamespaceUri(el) == ns_uri;
}

pugi::xml_node Child(pugi::xml_node el, std::string_view ns_uri, std::string_view local_name) {
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (Is(c, ns_uri, local_name)) return c;
  }
  return pugi::xml_node();
}

std::vector<pugi::xml_node> Children(pugi::xml_node el, std::string_view ns_uri,
                                     std::string_view local_name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (Is(c, ns_uri, local_name)) out.push_back(c);
  }
  return out;
}

std::size_t CountChildren(pugi::xml_node el, std::string_view ns_uri, std::string_view local_name) {
  std::size_t n = 0;
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (Is(c, ns_uri, local_name)) ++n;
  }
  return n;
}

pugi::xml_attribute Attr(pugi::xml_node el, std::string_view name) {
  if (name == "xmlns" || name.find(':') != std::string_view::npos) return pugi::xml_attribute();
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
    if (name == a.name()) return a;
  }
  return pugi::xml_attribute();
}

std::string Text(pugi::xml_node el) {
  std::string out;
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

bool HasElementChildren(pugi::xml_node el) {
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

}  // namespace claimgate::xml
