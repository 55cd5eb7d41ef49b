// Exclusive XML Canonicalization 1.0 (https://www.w3.org/TR/xml-exc-c14n/) of an element
// subtree, matching libxml2's xmlC14NDocSaveTo(XML_C14N_EXCLUSIVE_1_0) byte for byte except in
// one corner where libxml2 departs from the specification: a namespace URI holding '&'.
#include "engine/xml/c14n.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/xml/chars_internal.h"
#include "engine/xml/validate_internal.h"

namespace claimgate::xml {
namespace {

using internal::LocalOf;
using internal::PrefixOf;

// A namespace declaration attribute: sets *prefix ("" for the default namespace).
bool IsDeclaration(std::string_view name, std::string_view* prefix) {
  if (name == "xmlns") {
    *prefix = std::string_view();
    return true;
  }
  if (name.size() > 6 && name.substr(0, 6) == "xmlns:") {
    *prefix = name.substr(6);
    return true;
  }
  return false;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// C14N 1.0 §2.1 (and libxml2): a relative or unparsable namespace URI is an operation
// failure. Accepts an RFC 3986 scheme followed by URI characters and %HH escapes only.
bool IsAbsoluteUri(std::string_view uri) {
  const std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = uri[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) {
      return false;
    }
  }
  static constexpr std::string_view kAllowed =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=";
  bool fragment = false;
  for (std::size_t i = colon + 1; i < uri.size(); ++i) {
    const char c = uri[i];
    if (c == '%') {
      if (i + 2 >= uri.size() || !IsHex(uri[i + 1]) || !IsHex(uri[i + 2])) return false;
      i += 2;
    } else if (c == '#') {
      if (fragment) return false;
      fragment = true;
    } else if (kAllowed.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Appends `v`, replacing each byte for which `replacement` returns non-null.
template <typename Replace>
void AppendEscaped(std::string_view v, std::string& out, Replace replacement) {
  std::size_t done = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (const char* r = replacement(v[i])) {
      out.append(v.data() + done, i - done);
      out += r;
      done = i + 1;
    }
  }
  out.append(v.data() + done, v.size() - done);
}

// C14N 1.0 §2.3: attribute values escape & < " TAB LF CR.
void EscapeAttribute(std::string_view v, std::string& out) {
  AppendEscaped(v, out, [](char c) -> const char* {
    switch (c) {
      case '&':
        return "&amp;";
      case '<':
        return "&lt;";
      case '"':
        return "&quot;";
      case '\t':
        return "&#x9;";
      case '\n':
        return "&#xA;";
      case '\r':
        return "&#xD;";
      default:
        return nullptr;
    }
  });
}

// C14N 1.0 §2.3: text escapes & < > CR.
void EscapeText(std::string_view v, std::string& out) {
  AppendEscaped(v, out, [](char c) -> const char* {
    switch (c) {
      case '&':
        return "&amp;";
      case '<':
        return "&lt;";
      case '>':
        return "&gt;";
      case '\r':
        return "&#xD;";
      default:
        return nullptr;
    }
  });
}

using ScopeMap = std::unordered_map<std::string_view, std::vector<std::string_view>>;

struct SortedAttribute {
  std::string_view uri;
  std::string_view local;
  pugi::xml_attribute attr;
};

class Canonicalizer {
 public:
  Canonicalizer(const C14nOptions& options, std::string& out) : options_(options), out_(out) {
    for (const std::string& p : options.inclusive_prefixes) {
      inclusive_.push_back(p == "#default" ? std::string_view() : std::string_view(p));
    }
    // A PrefixList comes from the signed document: repeated prefixes must not cost per element.
    std::sort(inclusive_.begin(), inclusive_.end());
    inclusive_.erase(std::unique(inclusive_.begin(), inclusive_.end()), inclusive_.end());
  }

  Status Run(pugi::xml_node apex);

 private:
  void DeclareAncestors(pugi::xml_node apex);
  Status StartElement(pugi::xml_node el);
  void EndElement(pugi::xml_node el);
  void Leaf(pugi::xml_node node);
  std::string_view InScope(std::string_view prefix, bool* found) const;
  void Utilize(std::string_view prefix,
               std::vector<std::pair<std::string_view, std::string_view>>& render);

  const C14nOptions& options_;
  std::string& out_;
  std::vector<std::string_view> inclusive_;
  ScopeMap in_scope_;  // prefix -> URIs declared by open elements (and the apex's ancestors)
  ScopeMap rendered_;  // prefix -> URIs rendered by open output elements
  // Per open element: the prefixes it pushed onto in_scope_ and onto rendered_.
  std::vector<std::pair<std::vector<std::string_view>, std::vector<std::string_view>>> pushed_;
};

std::string_view Canonicalizer::InScope(std::string_view prefix, bool* found) const {
  const auto it = in_scope_.find(prefix);
  *found = it != in_scope_.end() && !it->second.empty();
  return *found ? it->second.back() : std::string_view();
}

// Exc-c14n §3: a namespace node is rendered when it is visibly utilized (or listed in the
// InclusiveNamespaces PrefixList) and the nearest output ancestor did not render the same
// binding. An absent default namespace equals xmlns="" and is never rendered at the apex.
void Canonicalizer::Utilize(std::string_view prefix,
                            std::vector<std::pair<std::string_view, std::string_view>>& render) {
  if (prefix == "xml") return;
  for (const auto& r : render) {
    if (r.first == prefix) return;
  }
  bool declared = false;
  const std::string_view uri = InScope(prefix, &declared);
  if (!declared && !prefix.empty()) return;  // inclusive prefix not in scope
  const auto it = rendered_.find(prefix);
  const bool any = it != rendered_.end() && !it->second.empty();
  if (any ? it->second.back() == uri : uri.empty()) return;
  render.emplace_back(prefix, uri);
}

void Canonicalizer::DeclareAncestors(pugi::xml_node apex) {
  std::vector<pugi::xml_node> chain;
  for (pugi::xml_node n = apex.parent(); n && n.type() == pugi::node_element; n = n.parent()) {
    chain.push_back(n);
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (pugi::xml_attribute a = it->first_attribute(); a; a = a.next_attribute()) {
      std::string_view prefix;
      if (IsDeclaration(a.name(), &prefix)) in_scope_[prefix].push_back(a.value());
    }
  }
}

Status Canonicalizer::StartElement(pugi::xml_node el) {
  pushed_.emplace_back();
  std::vector<SortedAttribute> attrs;
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
    std::string_view prefix;
    if (IsDeclaration(a.name(), &prefix)) {
      if (a.value()[0] != 0 && !IsAbsoluteUri(a.value())) {
        return Status::Error(errors::kXmlNamespace, std::string("namespace URI '") + a.value() +
                                                        "' on <" + el.name() +
                                                        "> is relative or not a URI; it cannot be "
                                                        "canonicalized");
      }
      in_scope_[prefix].push_back(a.value());
      pushed_.back().first.push_back(prefix);
    } else {
      attrs.push_back({std::string_view(), LocalOf(a.name()), a});
    }
  }
  std::vector<std::pair<std::string_view, std::string_view>> render;
  Utilize(PrefixOf(el.name()), render);
  for (SortedAttribute& sa : attrs) {
    const std::string_view prefix = PrefixOf(sa.attr.name());
    if (prefix.empty()) continue;  // default namespaces do not apply to attributes
    bool declared = false;
    sa.uri = prefix == "xml" ? internal::kXmlNamespaceUri : InScope(prefix, &declared);
    Utilize(prefix, render);
  }
  for (std::string_view prefix : inclusive_) Utilize(prefix, render);
  for (const auto& [prefix, uri] : render) {
    // C14N 1.0 §2.1: a relative namespace URI is an operation failure; refuse any that is not
    // an absolute URI, wherever declared (no '"', '<' or whitespace can reach the output).
    if (!uri.empty() && !IsAbsoluteUri(uri)) {
      return Status::Error(errors::kXmlNamespace, "namespace URI '" + std::string(uri) +
                                                      "' in scope of <" + el.name() +
                                                      "> is relative or not a URI");
    }
  }
  std::sort(render.begin(), render.end());
  std::sort(attrs.begin(), attrs.end(), [](const SortedAttribute& a, const SortedAttribute& b) {
    return a.uri != b.uri ? a.uri < b.uri : a.local < b.local;
  });

  out_ += '<';
  out_ += el.name();
  for (const auto& [prefix, uri] : render) {
    out_ += prefix.empty() ? " xmlns" : " xmlns:";
    out_ += prefix;
    out_ += "=\"";
    // C14N 1.0 §2.3: a namespace node is processed as an attribute node, so its URI is escaped
    // like an attribute value; of those characters only '&' can occur in an absolute URI, and
    // it becomes "&amp;", as the JDK's XML-DSig writes it. libxml2 writes it raw, or as
    // "&#38;" when the document was parsed without entity substitution (as xmlsec1 parses).
    EscapeAttribute(uri, out_);
    out_ += '"';
    rendered_[prefix].push_back(uri);
    pushed_.back().second.push_back(prefix);
  }
  for (const SortedAttribute& sa : attrs) {
    out_ += ' ';
    out_ += sa.attr.name();
    out_ += "=\"";
    EscapeAttribute(sa.attr.value(), out_);
    out_ += '"';
  }
  out_ += '>';
  return Status::Ok();
}

void Canonicalizer::EndElement(pugi::xml_node el) {
  out_ += "</";
  out_ += el.name();
  out_ += '>';
  for (std::string_view prefix : pushed_.back().first) in_scope_[prefix].pop_back();
  for (std::string_view prefix : pushed_.back().second) rendered_[prefix].pop_back();
  pushed_.pop_back();
}

void Canonicalizer::Leaf(pugi::xml_node node) {
  switch (node.type()) {
    case pugi::node_pcdata:
    case pugi::node_cdata:
      EscapeText(node.value(), out_);
      break;
    case pugi::node_comment:
      if (options_.with_comments) {
        out_ += "<!--";
        out_ += node.value();
        out_ += "-->";
      }
      break;
    case pugi::node_pi:
      out_ += "<?";
      out_ += node.name();
      if (node.value()[0] != 0) {
        out_ += ' ';
        out_ += node.value();
      }
      out_ += "?>";
      break;
    default:
      break;
  }
}

Status Canonicalizer::Run(pugi::xml_node apex) {
  DeclareAncestors(apex);
  pugi::xml_node node = apex;
  Status s = StartElement(apex);
  if (!s.ok()) return s;
  // Pre-order walk over parent/sibling links (no recursion: E04); the excluded node and its
  // subtree are skipped by identity (A15).
  for (;;) {
    pugi::xml_node next = node.type() == pugi::node_element ? node.first_child() : pugi::xml_node();
    while (next && next == options_.exclude) next = next.next_sibling();
    if (!next) {
      for (;;) {
        if (node.type() == pugi::node_element) EndElement(node);
        if (node == apex) return Status::Ok();
        next = node.next_sibling();
        while (next && next == options_.exclude) next = next.next_sibling();
        if (next) break;
        node = node.parent();
      }
    }
    node = next;
    if (node.type() == pugi::node_element) {
      s = StartElement(node);
      if (!s.ok()) return s;
    } else {
      Leaf(node);
    }
  }
}

}  // namespace

Status Canonicalize(pugi::xml_node el, const C14nOptions& options, std::string& out) {
  if (el.type() != pugi::node_element) {
    return Status::Error(errors::kXmlNotFound, "canonicalization needs an element");
  }
  if (el == options.exclude) {
    return Status::Error(errors::kXmlMalformed,
                         "the excluded node is the element being canonicalized");
  }
  std::string result;
  Canonicalizer canonicalizer(options, result);
  Status s = canonicalizer.Run(el);
  if (!s.ok()) return s;
  // B08: the output of a successful run is never empty and always starts with '<'.
  if (result.empty() || result[0] != '<') {
    return Status::Error(errors::kXmlMalformed, "canonical form is empty");
  }
  out += result;
  return Status::Ok();
}

}  // namespace claimgate::xml
