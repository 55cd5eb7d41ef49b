// The element-level post-parse validation layer (SECURITY.md §4.3, DR10, DR11).
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "engine/xml/chars_internal.h"
#include "engine/xml/validate_internal.h"

namespace claimgate::xml::internal {
namespace {

bool IsIdLikeName(std::string_view name) {
  return name == "ID" || name == "Id" || name == "xml:id" || name == "AssertionID" ||
         name == "ResponseID";
}

// The later (in document order) of two attributes with equal keys, or an empty attribute when
// all keys differ. Sorts `keys`, stably, so equal keys keep their document order.
pugi::xml_attribute FirstRepeated(std::vector<AttributeKey>& keys) {
  std::stable_sort(keys.begin(), keys.end(), [](const AttributeKey& x, const AttributeKey& y) {
    return std::tie(x.name, x.uri) < std::tie(y.name, y.uri);
  });
  for (std::size_t i = 1; i < keys.size(); ++i) {
    if (keys[i].name == keys[i - 1].name && keys[i].uri == keys[i - 1].uri) return keys[i].attr;
  }
  return pugi::xml_attribute();
}

}  // namespace

std::string LineOf(std::string_view input, std::ptrdiff_t offset) {
  if (offset < 0) return "unknown line";
  const std::size_t end = std::min(input.size(), static_cast<std::size_t>(offset));
  const auto lines =
      std::count(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(end), '\n');
  return "line " + std::to_string(lines + 1);
}

Status CheckComment(pugi::xml_node comment, std::string_view input) {
  const std::string_view v = comment.value();
  if (v.find("--") != std::string_view::npos || (!v.empty() && v.back() == '-')) {
    return Status::Error(errors::kXmlMalformed,
                         LineOf(input, comment.offset_debug()) + ": '--' inside a comment");
  }
  return Status::Ok();
}

Status CheckPi(pugi::xml_node pi, std::string_view input, const ParseOptions& options) {
  if (!options.allow_processing_instructions) {
    return Status::Error(errors::kXmlPiForbidden, LineOf(input, pi.offset_debug()) +
                                                      ": processing instruction <?" + pi.name() +
                                                      "?> is not allowed");
  }
  if (!IsNcName(pi.name())) {
    return Status::Error(errors::kXmlBadName, LineOf(input, pi.offset_debug()) +
                                                  ": bad processing instruction target '" +
                                                  pi.name() + "'");
  }
  // pugixml's parse_eol skips PI data; XML 1.0 §2.11 normalizes line ends everywhere.
  const std::string_view data = pi.value();
  if (data.find('\r') != std::string_view::npos) {
    std::string normalized;
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (data[i] != '\r') {
        normalized += data[i];
      } else if (i + 1 == data.size() || data[i + 1] != '\n') {
        normalized += '\n';
      }
    }
    pi.set_value(normalized.c_str());
  }
  return Status::Ok();
}

std::string TreeValidator::Where(pugi::xml_node node) const {
  std::string where = LineOf(input_, node.offset_debug());
  if (node.type() == pugi::node_element) where += std::string(", element <") + node.name() + ">";
  return where;
}

std::string TreeValidator::Where(pugi::xml_node el, pugi::xml_attribute attr) const {
  return Where(el) + ", attribute '" + attr.name() + "'";
}

Status TreeValidator::Run(pugi::xml_node root) {
  pugi::xml_node node = root;
  std::size_t depth = 1;
  Status s = EnterElement(root, depth);
  if (!s.ok()) return s;
  // Pre-order walk over parent/sibling links: no recursion, so depth cannot overflow the stack.
  for (;;) {
    if (pugi::xml_node child = node.first_child()) {
      node = child;
      ++depth;
    } else {
      for (;;) {
        if (node.type() == pugi::node_element) LeaveElement();
        if (node == root) return Status::Ok();
        if (pugi::xml_node sibling = node.next_sibling()) {
          node = sibling;
          break;
        }
        node = node.parent();
        --depth;
      }
    }
    s = node.type() == pugi::node_element ? EnterElement(node, depth) : CheckLeaf(node);
    if (!s.ok()) return s;
  }
}

Status TreeValidator::EnterElement(pugi::xml_node el, std::size_t depth) {
  const ParseLimits& limits = options_.limits;
  if (++nodes_ > limits.max_nodes) {
    return Status::Error(errors::kXmlLimit,
                         Where(el) + ": more than " + std::to_string(limits.max_nodes) + " nodes");
  }
  if (depth > limits.max_depth) {
    return Status::Error(errors::kXmlLimit,
                         Where(el) + ": nesting deeper than " + std::to_string(limits.max_depth));
  }
  if (!IsQName(el.name())) {
    return Status::Error(errors::kXmlBadName, Where(el) + ": element name is not a QName");
  }
  std::size_t count = 0;
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) ++count;
  if (count > limits.max_attributes_per_element) {
    return Status::Error(errors::kXmlLimit, Where(el) + ": more than " +
                                                std::to_string(limits.max_attributes_per_element) +
                                                " attributes");
  }
  declared_.emplace_back();
  Status s = DecodeAttributes(el);
  if (s.ok()) s = DeclareNamespaces(el);
  if (s.ok()) s = CheckAttributeNames(el);
  if (s.ok()) s = RecordIds(el);
  return s;
}

void TreeValidator::LeaveElement() {
  for (std::string_view prefix : declared_.back()) scope_[prefix].pop_back();
  declared_.pop_back();
}

Status TreeValidator::CheckLeaf(pugi::xml_node node) {
  if (++nodes_ > options_.limits.max_nodes) {
    return Status::Error(
        errors::kXmlLimit,
        Where(node) + ": more than " + std::to_string(options_.limits.max_nodes) + " nodes");
  }
  switch (node.type()) {
    case pugi::node_pcdata: {
      const std::string_view raw = node.value();
      if (raw.find("]]>") != std::string_view::npos) {
        return Status::Error(errors::kXmlBadText, Where(node) + ": ']]>' in character data");
      }
      bool changed = false;
      std::size_t at = 0;
      if (DecodeReferences(raw, scratch_, &changed, &at) != RefResult::kOk) {
        return Status::Error(
            errors::kXmlBadReference,
            Where(node) + ": bad reference '" +
                std::string(raw.substr(at, std::min<std::size_t>(12, raw.size() - at))) + "'");
      }
      if (changed) node.set_value(scratch_.c_str());
      return Status::Ok();
    }
    case pugi::node_cdata:
      return Status::Ok();
    case pugi::node_comment:
      return CheckComment(node, input_);
    case pugi::node_pi:
      return CheckPi(node, input_, options_);
    case pugi::node_doctype:
      return Status::Error(errors::kXmlDoctypeForbidden, Where(node) + ": DOCTYPE is not allowed");
    case pugi::node_declaration:
      return Status::Error(errors::kXmlBadDeclaration,
                           Where(node) + ": XML declaration inside an element");
    default:
      return Status::Error(errors::kXmlMalformed, Where(node) + ": unexpected node");
  }
}

Status TreeValidator::DecodeAttributes(pugi::xml_node el) {
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
    if (!IsQName(a.name())) {
      return Status::Error(errors::kXmlBadName, Where(el, a) + ": attribute name is not a QName");
    }
    const std::string_view raw = a.value();
    if (raw.find('<') != std::string_view::npos) {
      return Status::Error(errors::kXmlBadAttributeValue, Where(el, a) + ": raw '<' in the value");
    }
    bool changed = false;
    std::size_t at = 0;
    if (DecodeReferences(raw, scratch_, &changed, &at) != RefResult::kOk) {
      return Status::Error(errors::kXmlBadReference, Where(el, a) + ": bad reference in the value");
    }
    if (changed) a.set_value(scratch_.c_str());
  }
  // Sorted, not compared pairwise: the cost stays n log n for the 128 attributes allowed.
  names_scratch_.clear();
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
    names_scratch_.push_back({a.name(), std::string_view(), a});
  }
  if (const pugi::xml_attribute twice = FirstRepeated(names_scratch_)) {
    return Status::Error(errors::kXmlDuplicateAttribute, Where(el, twice) + ": attribute repeated");
  }
  return Status::Ok();
}

Status TreeValidator::DeclareNamespaces(pugi::xml_node el) {
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    const bool is_default = name == "xmlns";
    if (!is_default && PrefixOf(name) != "xmlns") continue;
    const std::string_view prefix = is_default ? std::string_view() : LocalOf(name);
    const std::string_view uri = a.value();
    if (++declarations_ > options_.limits.max_namespace_declarations) {
      return Status::Error(errors::kXmlLimit,
                           Where(el, a) + ": more than " +
                               std::to_string(options_.limits.max_namespace_declarations) +
                               " namespace declarations");
    }
    // Namespaces in XML 1.0 §3: xmlns is never declared; xml only to its own URI; neither URI
    // bound to another prefix; no prefix un-declaration.
    const bool bad = prefix == "xmlns" || uri == kXmlnsNamespaceUri ||
                     (prefix == "xml") != (uri == kXmlNamespaceUri) || (!is_default && uri.empty());
    if (bad) {
      return Status::Error(errors::kXmlNamespace, Where(el, a) + ": illegal namespace declaration");
    }
    scope_[prefix].push_back(uri);
    declared_.back().push_back(prefix);
  }
  return Status::Ok();
}

bool TreeValidator::Resolve(std::string_view prefix, std::string_view* uri) const {
  if (prefix == "xml") {
    *uri = kXmlNamespaceUri;
    return true;
  }
  const auto it = scope_.find(prefix);
  if (it == scope_.end() || it->second.empty()) {
    *uri = std::string_view();
    return prefix.empty();  // no default namespace in scope means "no namespace"
  }
  *uri = it->second.back();
  return true;
}

Status TreeValidator::CheckAttributeNames(pugi::xml_node el) {
  names_scratch_.clear();
  std::string_view uri;
  const std::string_view el_prefix = PrefixOf(el.name());
  if (el_prefix == "xmlns" || !Resolve(el_prefix, &uri)) {
    return Status::Error(errors::kXmlNamespace,
                         Where(el) + ": undeclared prefix '" + std::string(el_prefix) + "'");
  }
  if (!uri.empty()) names_.emplace(el.internal_object(), uri);
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view prefix = PrefixOf(a.name());
    if (prefix.empty() || prefix == "xmlns") continue;
    if (!Resolve(prefix, &uri)) {
      return Status::Error(errors::kXmlNamespace, Where(el, a) + ": undeclared prefix");
    }
    names_.emplace(a.internal_object(), uri);
    names_scratch_.push_back({LocalOf(a.name()), uri, a});
  }
  // Namespaces in XML 1.0 §6.3: no two attributes with the same expanded name.
  if (const pugi::xml_attribute twice = FirstRepeated(names_scratch_)) {
    return Status::Error(errors::kXmlDuplicateAttribute,
                         Where(el, twice) + ": two attributes with the same expanded name");
  }
  return Status::Ok();
}

Status TreeValidator::RecordIds(pugi::xml_node el) {
  for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    if (!IsIdLikeName(name)) continue;
    const std::string_view value = a.value();
    // Real IdPs send UUIDs that start with a digit, so the NCName start rule is relaxed; every
    // character must still be an NCName character (no spaces, quotes or XPath syntax: B11).
    if (name == "ID" && (value.empty() || !IsNcName("_" + std::string(value)))) {
      return Status::Error(errors::kXmlBadId,
                           Where(el, a) + ": ID value is empty or holds non-name characters");
    }
    if (!ids_.emplace(std::string(value), el).second) {
      return Status::Error(
          errors::kXmlDuplicateId,
          Where(el, a) + ": ID-like value '" + std::string(value) + "' appears more than once");
    }
  }
  return Status::Ok();
}

}  // namespace claimgate::xml::internal
