// Document::Parse: the one hardened pugixml parse plus the top-level half of the validation
// layer (SECURITY.md §4.1, §4.3). The element-level half lives in validate.cc.
#include "engine/xml/document.h"

#include <cctype>
#include <string>
#include <utility>

#include "engine/xml/chars_internal.h"
#include "engine/xml/validate_internal.h"

namespace claimgate::xml {
namespace {

// SECURITY.md §4.1. No parse_escapes: pugixml's decoder is lenient (D10); ours runs after.
constexpr unsigned kParseFlags = pugi::parse_doctype | pugi::parse_pi | pugi::parse_comments |
                                 pugi::parse_cdata | pugi::parse_declaration |
                                 pugi::parse_ws_pcdata | pugi::parse_fragment | pugi::parse_eol |
                                 pugi::parse_wconv_attribute;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Strict UTF-8 and the XML Char production over the whole input (D10, D11).
Status CheckCharacters(std::string_view input) {
  if (input.size() >= 2 &&
      ((input[0] == '\xFE' && input[1] == '\xFF') || (input[0] == '\xFF' && input[1] == '\xFE'))) {
    return Status::Error(errors::kInputBadUtf8, "a UTF-16 byte order mark; only UTF-8 is accepted");
  }
  bool bad_utf8 = false;
  const std::size_t at = internal::FindInvalidChar(input, &bad_utf8);
  if (at == std::string_view::npos) return Status::Ok();
  const std::string where = internal::LineOf(input, static_cast<std::ptrdiff_t>(at)) +
                            " (byte offset " + std::to_string(at) + ")";
  if (bad_utf8) return Status::Error(errors::kInputBadUtf8, where + ": not strict UTF-8");
  return Status::Error(errors::kXmlInvalidChar, where + ": character outside the XML Char range");
}

// XML 1.0 [23] XMLDecl: version="1.0", encoding absent or UTF-8, standalone yes|no, in order.
Status CheckDeclaration(pugi::xml_node decl, bool first, std::string_view input) {
  if (!first || input.substr(0, 5) != "<?xml") {
    return Status::Error(errors::kXmlBadDeclaration,
                         internal::LineOf(input, decl.offset_debug()) +
                             ": the XML declaration must come first, once");
  }
  int stage = 0;  // 0 expects version, 1 encoding or standalone, 2 standalone, 3 nothing
  for (pugi::xml_attribute a = decl.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    const std::string_view value = a.value();
    bool ok = false;
    if (stage == 0 && name == "version") {
      ok = value == "1.0", stage = 1;
    } else if (stage == 1 && name == "encoding") {
      ok = EqualsIgnoreCase(value, "UTF-8"), stage = 2;
    } else if (stage >= 1 && stage <= 2 && name == "standalone") {
      ok = value == "yes" || value == "no", stage = 3;
    }
    if (!ok) {
      return Status::Error(errors::kXmlBadDeclaration,
                           "XML declaration: " + std::string(name) + "=\"" + std::string(value) +
                               "\" is not allowed (version 1.0, UTF-8 only)");
    }
  }
  if (stage == 0)
    return Status::Error(errors::kXmlBadDeclaration, "XML declaration without version");
  return Status::Ok();
}

bool IsXmlSpace(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Everything outside the document element: declaration, comments, PIs, whitespace (A11, D12).
Result<pugi::xml_node> CheckTopLevel(const pugi::xml_document& doc, std::string_view input,
                                     const ParseOptions& options) {
  pugi::xml_node root;
  bool first = true;
  for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling(), first = false) {
    Status s;
    switch (n.type()) {
      case pugi::node_declaration:
        s = CheckDeclaration(n, first, input);
        break;
      case pugi::node_doctype:
        s = Status::Error(errors::kXmlDoctypeForbidden,
                          internal::LineOf(input, n.offset_debug()) + ": DOCTYPE is not allowed");
        break;
      case pugi::node_pi:
        s = internal::CheckPi(n, input, options);
        break;
      case pugi::node_comment:
        s = internal::CheckComment(n, input);
        break;
      case pugi::node_element:
        if (root) {
          s = Status::Error(errors::kXmlRoot, internal::LineOf(input, n.offset_debug()) +
                                                  ": a second top-level element <" + n.name() +
                                                  ">");
        }
        root = n;
        break;
      default:  // PCDATA, CDATA
        if (n.type() != pugi::node_pcdata || !IsXmlSpace(n.value())) {
          s = Status::Error(errors::kXmlRoot, internal::LineOf(input, n.offset_debug()) +
                                                  ": text outside the document element");
        }
    }
    if (!s.ok()) return s;
  }
  if (!root) return Status::Error(errors::kXmlRoot, "the document has no element");
  return root;
}

}  // namespace

struct Document::Impl {
  pugi::xml_document doc;
  pugi::xml_node root;
  internal::IdTable ids;
  internal::NameTable names;
};

Document::Document() : impl_(std::make_unique<Impl>()) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

pugi::xml_node Document::root() const { return impl_ ? impl_->root : pugi::xml_node(); }

pugi::xml_node Document::FindById(std::string_view id) const {
  if (!impl_) return pugi::xml_node();
  const auto it = impl_->ids.find(std::string(id));
  return it == impl_->ids.end() ? pugi::xml_node() : it->second;
}

std::string_view Document::NamespaceUri(pugi::xml_node el) const {
  if (!impl_ || el.type() != pugi::node_element) return std::string_view();
  const auto it = impl_->names.find(el.internal_object());
  return it == impl_->names.end() ? std::string_view() : it->second;
}

std::string_view Document::AttributeNamespace(pugi::xml_attribute attr) const {
  const std::string_view name = attr.name();
  if (name == "xmlns" || internal::PrefixOf(name) == "xmlns") return internal::kXmlnsNamespaceUri;
  if (!impl_ || !attr) return std::string_view();
  const auto it = impl_->names.find(attr.internal_object());
  return it == impl_->names.end() ? std::string_view() : it->second;
}

Result<Document> Document::Parse(std::string_view utf8, const ParseOptions& options) {
  if (utf8.substr(0, kUtf8Bom.size()) == kUtf8Bom) utf8.remove_prefix(kUtf8Bom.size());
  Status s = CheckCharacters(utf8);
  if (!s.ok()) return s;

  Document document;
  Impl& impl = *document.impl_;
  const pugi::xml_parse_result parsed =
      impl.doc.load_buffer(utf8.data(), utf8.size(), kParseFlags, pugi::encoding_utf8);
  if (parsed.status != pugi::status_ok) {
    // Never act on the partial tree pugixml keeps after an error (§4.2 trap 9).
    const ErrorCode& code = parsed.status == pugi::status_bad_doctype ? errors::kXmlDoctypeForbidden
                                                                      : errors::kXmlMalformed;
    return Status::Error(code, internal::LineOf(utf8, parsed.offset) + " (byte offset " +
                                   std::to_string(parsed.offset) + "): " + parsed.description());
  }
  Result<pugi::xml_node> root = CheckTopLevel(impl.doc, utf8, options);
  if (!root.ok()) return root.status();
  impl.root = *root;
  internal::TreeValidator validator(utf8, options, impl.ids, impl.names);
  s = validator.Run(impl.root);
  if (!s.ok()) return s;
  return document;
}

}  // namespace claimgate::xml
