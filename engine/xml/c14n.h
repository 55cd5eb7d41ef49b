#pragma once

#include <pugixml.hpp>
#include <string>
#include <vector>

#include "base/status.h"

namespace claimgate::xml {

// Exclusive XML Canonicalization 1.0 (https://www.w3.org/TR/xml-exc-c14n/) of the subtree at
// an element of a validated Document, byte-identical to libxml2's xmlC14NDocSaveTo with
// XML_C14N_EXCLUSIVE_1_0, except that a namespace URI is escaped as an attribute value, as
// C14N 1.0 §2.3 says (an '&' in it is written "&amp;"; libxml2 writes '&' or "&#38;").
struct C14nOptions {
  bool with_comments = false;
  // InclusiveNamespaces PrefixList; "#default" stands for the default namespace.
  std::vector<std::string> inclusive_prefixes;
  // The enveloped-signature transform: this node (matched by identity) and its subtree are
  // omitted from the output. Empty node: nothing omitted.
  pugi::xml_node exclude;
};

// Appends the canonical form of `el`'s subtree to `out`. Total: it never returns partial or
// empty output on success (the result starts with '<'). Iterative, so depth cannot overflow the
// stack. Fails with xml.* on a tree it cannot canonicalize; never throws.
Status Canonicalize(pugi::xml_node el, const C14nOptions& options, std::string& out);

}  // namespace claimgate::xml
