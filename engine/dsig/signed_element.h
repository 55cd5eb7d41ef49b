#pragma once

#include <pugixml.hpp>

namespace claimgate::dsig {

class Verifier;

// An element whose content a verified signature covers: the very node the Reference pointed at
// and whose canonical form was hashed (STYLE C5, SECURITY.md DR2). Only the Verifier creates
// one; later stages accept nothing else. A view: valid while its xml::Document lives.
class SignedElement {
 public:
  pugi::xml_node node() const { return node_; }

  // The same trust for a descendant element (a signed Response covers its Assertion). Returns
  // false, leaving *out untouched, when `descendant` does not lie inside this element.
  bool Narrow(pugi::xml_node descendant, SignedElement* out) const {
    for (pugi::xml_node n = descendant; n; n = n.parent()) {
      if (n == node_) {
        *out = SignedElement(descendant);
        return true;
      }
    }
    return false;
  }

  SignedElement() = default;  // empty: signs nothing

 private:
  friend class Verifier;
  explicit SignedElement(pugi::xml_node n) : node_(n) {}
  pugi::xml_node node_;
};

}  // namespace claimgate::dsig
