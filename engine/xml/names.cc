// Namespace-aware reading over a validated Document (STYLE C10, DR11, DR12). pugixml has no
// namespaces: the parse resolved every prefix once (Document::NamespaceUri); these read by it.
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/xml/chars_internal.h"
#include "engine/xml/document.h"
#include "engine/xml/validate_internal.h"

namespace claimgate::xml {

using internal::LocalOf;

std::string_view LocalName(pugi::xml_node el) { return LocalOf(el.name()); }

std::string_view LocalName(pugi::xml_attribute attr) { return LocalOf(attr.name()); }

bool Document::Is(pugi::xml_node el, std::string_view ns_uri, std::string_view local_name) const {
  return el.type() == pugi::node_element && LocalName(el) == local_name &&
         NamespaceUri(el) == ns_uri;
}

pugi::xml_node Document::Child(pugi::xml_node el, std::string_view ns_uri,
                               std::string_view local_name) const {
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (Is(c, ns_uri, local_name)) return c;
  }
  return pugi::xml_node();
}

std::vector<pugi::xml_node> Document::Children(pugi::xml_node el, std::string_view ns_uri,
                                               std::string_view local_name) const {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (Is(c, ns_uri, local_name)) out.push_back(c);
  }
  return out;
}

std::size_t Document::CountChildren(pugi::xml_node el, std::string_view ns_uri,
                                    std::string_view local_name) const {
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
