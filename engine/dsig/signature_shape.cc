#include "engine/dsig/signature_shape.h"

#include <optional>
#include <string_view>

#include "base/base64.h"
#include "engine/xml/document.h"

namespace claimgate::dsig::internal {

namespace {

constexpr std::string_view kExcC14nNs = "http://www.w3.org/2001/10/xml-exc-c14n#";
constexpr std::size_t kMaxKeyInfoElements = 64;
constexpr std::size_t kMaxCertificateBytes = 16 * 1024;
constexpr std::size_t kMaxInclusivePrefixes = 64;  // c14n work grows with the list (E04)

Status Shape(std::string message) {
  return Status::Error(errors::kSignatureShape, std::move(message));
}

bool IsWhitespace(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

// The element children of `el`, in order. Non-whitespace text between them is a shape error;
// comments are ignored (c14n without comments drops them too).
Result<std::vector<pugi::xml_node>> ElementChildren(pugi::xml_node el, std::string_view what) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    switch (c.type()) {
      case pugi::node_element:
        out.push_back(c);
        break;
      case pugi::node_pcdata:
      case pugi::node_cdata:
        if (!IsWhitespace(c.value())) return Shape(std::string(what) + " holds text");
        break;
      default:
        break;
    }
  }
  return out;
}

bool IsDs(const xml::Document& doc, pugi::xml_node el, std::string_view local) {
  return doc.Is(el, kDsigNs, local);
}

// Text of a value element (DigestValue, SignatureValue, X509Certificate): text children only.
// A comment, CDATA or element inside is refused (SECURITY.md B02).
Result<std::string> ValueText(pugi::xml_node el, std::string_view what) {
  std::string text;
  for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_pcdata) {
      return Status::Error(errors::kSignatureBadValue,
                           std::string(what) + " must hold only base64 text");
    }
    text += c.value();
  }
  return text;
}

Result<std::string> Base64Value(pugi::xml_node el, std::string_view what) {
  Result<std::string> text = ValueText(el, what);
  if (!text.ok()) return text.status();
  std::optional<std::string> bytes = DecodeBase64(*text);
  if (!bytes || bytes->empty()) {
    return Status::Error(errors::kSignatureBadValue, std::string(what) + " is not strict base64");
  }
  return std::move(*bytes);
}

// The PrefixList of an ec:InclusiveNamespaces child, which must be the only child of `el`.
Status ReadInclusivePrefixes(const xml::Document& doc, pugi::xml_node el, const ErrorCode& code,
                             std::string_view what, std::vector<std::string>* prefixes) {
  Result<std::vector<pugi::xml_node>> kids = ElementChildren(el, what);
  if (!kids.ok()) return kids.status();
  if (kids->empty()) return Status::Ok();
  if (kids->size() > 1 || !doc.Is((*kids)[0], kExcC14nNs, "InclusiveNamespaces")) {
    return Status::Error(code, std::string(what) + " may hold only ec:InclusiveNamespaces");
  }
  const std::string list = xml::Attr((*kids)[0], "PrefixList").value();
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && IsWhitespace(std::string_view(&list[i], 1))) ++i;
    std::size_t j = i;
    while (j < list.size() && !IsWhitespace(std::string_view(&list[j], 1))) ++j;
    if (j > i) prefixes->push_back(list.substr(i, j - i));
    if (prefixes->size() > kMaxInclusivePrefixes) {
      return Status::Error(code, std::string(what) + " lists too many inclusive prefixes");
    }
    i = j;
  }
  return Status::Ok();
}

// '#' followed by an ID of NCName characters (SECURITY.md B05, B11): no empty, external or
// XPointer URIs. As for the ID itself, a leading digit is tolerated (UUID IDs).
bool ReadReferenceId(std::string_view uri, std::string* id) {
  if (uri.size() < 2 || uri[0] != '#') return false;
  const std::string_view name = uri.substr(1);
  auto letter = [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
  };
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  *id = std::string(name);
  return true;
}

Status ReadSignedInfoHead(const xml::Document& doc, pugi::xml_node c14n, pugi::xml_node method,
                          const VerifyOptions& options, SignatureParts* parts) {
  if (xml::Attr(c14n, "Algorithm").value() != kExcC14n) {
    return Status::Error(errors::kSignatureCanonicalization,
                         std::string("CanonicalizationMethod ") +
                             xml::Attr(c14n, "Algorithm").value() +
                             " is not exclusive c14n without comments");
  }
  if (Status s = ReadInclusivePrefixes(doc, c14n, errors::kSignatureCanonicalization,
                                       "CanonicalizationMethod", &parts->signed_info_prefixes);
      !s.ok()) {
    return s;
  }
  const std::string alg = xml::Attr(method, "Algorithm").value();
  parts->signature_algorithm = FindSignatureAlgorithm(alg);
  if (parts->signature_algorithm == nullptr) {
    return Status::Error(errors::kSignatureAlgorithm, "SignatureMethod " + alg + " is not allowed");
  }
  if (parts->signature_algorithm->legacy && !options.allow_sha1) {
    return Status::Error(errors::kSignatureAlgorithm,
                         "SignatureMethod " + alg + " (SHA-1) needs allow_sha1");
  }
  if (!IsWhitespace(xml::Text(method))) {
    return Status::Error(errors::kSignatureAlgorithm, "SignatureMethod must be empty");
  }
  if (xml::HasElementChildren(method)) {  // HMACOutputLength and friends (SECURITY.md C03)
    return Status::Error(errors::kSignatureAlgorithm, "SignatureMethod must have no children");
  }
  return Status::Ok();
}

// Transforms: exactly enveloped-signature, then exclusive c14n (SECURITY.md DR7). OpenSAML's
// profile also allows enveloped-signature alone, but XML-DSig 1.0 §4.3.3.2 then turns the
// node-set into octets with inclusive C14N 1.0, which this verifier does not implement: that
// chain is refused here, before any digest, never reported as a digest mismatch of a genuine
// signature.
Status ReadTransforms(const xml::Document& doc, pugi::xml_node transforms, SignatureParts* parts) {
  Result<std::vector<pugi::xml_node>> list = ElementChildren(transforms, "Transforms");
  if (!list.ok()) return list.status();
  auto bad = [](std::string m) { return Status::Error(errors::kSignatureTransform, std::move(m)); };
  if (list->empty() || list->size() > 2) return bad("Transforms must hold one or two Transform");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const pugi::xml_node t = (*list)[i];
    if (!IsDs(doc, t, "Transform")) return bad("Transforms holds a stranger element");
    const std::string alg = xml::Attr(t, "Algorithm").value();
    if (i == 0) {
      if (alg != kEnvelopedSignature) return bad("the first Transform must be enveloped-signature");
      if (xml::HasElementChildren(t)) return bad("the enveloped-signature Transform has children");
    } else {
      if (alg != kExcC14n) return bad("Transform " + alg + " is not allowed");
      if (Status s = ReadInclusivePrefixes(doc, t, errors::kSignatureTransform, "Transform",
                                           &parts->reference_prefixes);
          !s.ok()) {
        return s;
      }
    }
  }
  if (list->size() == 1) {
    return bad(
        "enveloped-signature is the only Transform: XML-DSig then digests inclusive C14N "
        "1.0, which is not supported; exclusive c14n must follow it");
  }
  return Status::Ok();
}

Status ReadReference(const xml::Document& doc, pugi::xml_node ref, const VerifyOptions& options,
                     SignatureParts* parts) {
  if (!ReadReferenceId(xml::Attr(ref, "URI").value(), &parts->reference_id)) {
    return Status::Error(errors::kSignatureReferenceUri, std::string("Reference URI '") +
                                                             xml::Attr(ref, "URI").value() +
                                                             "' is not '#' followed by an ID");
  }
  Result<std::vector<pugi::xml_node>> kids = ElementChildren(ref, "Reference");
  if (!kids.ok()) return kids.status();
  std::size_t i = 0;
  if (i < kids->size() && IsDs(doc, (*kids)[i], "Transforms")) {
    if (Status s = ReadTransforms(doc, (*kids)[i], parts); !s.ok()) return s;
    ++i;
  } else {
    return Status::Error(errors::kSignatureTransform,
                         "Reference has no Transforms (enveloped-signature is required)");
  }
  if (kids->size() != i + 2 || !IsDs(doc, (*kids)[i], "DigestMethod") ||
      !IsDs(doc, (*kids)[i + 1], "DigestValue")) {
    return Shape("Reference must hold Transforms, DigestMethod and DigestValue");
  }
  const std::string alg = xml::Attr((*kids)[i], "Algorithm").value();
  parts->digest_algorithm = FindDigestAlgorithm(alg);
  if (parts->digest_algorithm == nullptr ||
      (parts->digest_algorithm->legacy && !options.allow_sha1)) {
    return Status::Error(errors::kSignatureDigestAlgorithm,
                         "DigestMethod " + alg + " is not allowed");
  }
  Result<std::string> digest = Base64Value((*kids)[i + 1], "DigestValue");
  if (!digest.ok()) return digest.status();
  if (digest->size() != parts->digest_algorithm->size) {
    return Status::Error(errors::kSignatureBadValue, "DigestValue has the wrong length");
  }
  parts->digest_value = std::move(*digest);
  return Status::Ok();
}

Status ReadKeyInfo(const xml::Document& doc, pugi::xml_node key_info, SignatureParts* parts) {
  std::size_t count = 0;
  for (pugi::xml_node n = key_info.first_child(); n;) {
    if (n.type() == pugi::node_element && ++count > kMaxKeyInfoElements) {
      return Shape("KeyInfo is too large");
    }
    if (!parts->has_keyinfo_certificate && IsDs(doc, n, "X509Certificate") &&
        IsDs(doc, n.parent(), "X509Data") && n.parent().parent() == key_info) {
      Result<std::string> der = Base64Value(n, "X509Certificate");
      if (!der.ok()) return der.status();
      if (der->size() > kMaxCertificateBytes) return Shape("KeyInfo certificate is too large");
      parts->has_keyinfo_certificate = true;
      parts->keyinfo_certificate_der = std::move(*der);
    }
    // Iterative pre-order walk of the KeyInfo subtree.
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n && n != key_info && !n.next_sibling()) n = n.parent();
    if (!n || n == key_info) break;
    n = n.next_sibling();
  }
  return Status::Ok();
}

}  // namespace

Result<SignatureParts> ReadSignature(const xml::Document& doc, pugi::xml_node signature,
                                     const VerifyOptions& options) {
  SignatureParts parts;
  Result<std::vector<pugi::xml_node>> kids = ElementChildren(signature, "Signature");
  if (!kids.ok()) return kids.status();
  const std::size_t n = kids->size();
  if (n < 2 || n > 3 || !IsDs(doc, (*kids)[0], "SignedInfo") ||
      !IsDs(doc, (*kids)[1], "SignatureValue") || (n == 3 && !IsDs(doc, (*kids)[2], "KeyInfo"))) {
    return Shape("Signature must hold exactly SignedInfo, SignatureValue and at most one KeyInfo");
  }
  parts.signed_info = (*kids)[0];

  Result<std::vector<pugi::xml_node>> si = ElementChildren(parts.signed_info, "SignedInfo");
  if (!si.ok()) return si.status();
  if (si->size() < 2 || !IsDs(doc, (*si)[0], "CanonicalizationMethod") ||
      !IsDs(doc, (*si)[1], "SignatureMethod")) {
    return Shape("SignedInfo must hold CanonicalizationMethod, SignatureMethod, Reference");
  }
  for (std::size_t i = 2; i < si->size(); ++i) {
    if (!IsDs(doc, (*si)[i], "Reference")) return Shape("SignedInfo holds a stranger element");
  }
  if (si->size() != 3) {
    return Status::Error(errors::kSignatureReferenceCount,
                         "SignedInfo must hold exactly one Reference");
  }
  if (Status s = ReadSignedInfoHead(doc, (*si)[0], (*si)[1], options, &parts); !s.ok()) return s;
  if (Status s = ReadReference(doc, (*si)[2], options, &parts); !s.ok()) return s;

  Result<std::string> value = Base64Value((*kids)[1], "SignatureValue");
  if (!value.ok()) return value.status();
  parts.signature_value = std::move(*value);
  if (n == 3) {
    if (Status s = ReadKeyInfo(doc, (*kids)[2], &parts); !s.ok()) return s;
  }
  return parts;
}

}  // namespace claimgate::dsig::internal
