// Claims extraction from the signed Assertion only: every Attribute (Name, FriendlyName,
// NameFormat, every value's whole text and xsi:type) and the AuthnStatement.
#include <set>
#include <string>
#include <utility>

#include "engine/saml/checks_internal.h"
#include "engine/saml/names.h"
#include "engine/xml/document.h"

namespace claimgate::saml::internal {

namespace {

// The text of one AttributeValue. A value may itself be a NameID (eduPersonTargetedID, SAML
// core §2.7.3.1.1 allows any type): then the NameID's whole text is the value. Any other
// element content is refused rather than flattened.
Status ValueText(const xml::Document& doc, pugi::xml_node value, const std::string& attr_name,
                 std::string* out) {
  pugi::xml_node only_child;
  for (pugi::xml_node c = value.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (only_child || !doc.Is(c, kAssertionNs, "NameID") || xml::HasElementChildren(c)) {
      return Status::Error(errors::kSamlStructure,
                           "a value of Attribute '" + attr_name + "' holds elements");
    }
    only_child = c;
  }
  if (!only_child) {
    *out = xml::Text(value);
    return Status::Ok();
  }
  for (const char ch : xml::Text(value)) {
    if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
      return Status::Error(errors::kSamlStructure,
                           "a value of Attribute '" + attr_name + "' mixes text and a NameID");
    }
  }
  *out = xml::Text(only_child);
  return Status::Ok();
}

}  // namespace

Status ExtractAttributes(const xml::Document& doc, pugi::xml_node signed_assertion,
                         Claims* claims) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const pugi::xml_node statement :
       doc.Children(signed_assertion, kAssertionNs, "AttributeStatement")) {
    if (doc.Child(statement, kAssertionNs, "EncryptedAttribute")) {
      return Status::Error(errors::kSamlEncryptedAssertion, "EncryptedAttribute is not supported");
    }
    for (const pugi::xml_node el : doc.Children(statement, kAssertionNs, "Attribute")) {
      Attribute attr;
      attr.name = xml::Attr(el, "Name").value();
      attr.friendly_name = xml::Attr(el, "FriendlyName").value();
      attr.name_format = xml::Attr(el, "NameFormat").value();
      if (attr.name.empty())
        return Status::Error(errors::kSamlStructure, "an Attribute has no Name");
      // SECURITY.md D13: first-wins and last-wins are both wrong; refuse the ambiguity.
      if (!seen.emplace(attr.name, attr.name_format).second) {
        return Status::Error(errors::kSamlDuplicateAttribute,
                             "the Attribute '" + attr.name + "' appears twice");
      }
      for (const pugi::xml_node v : doc.Children(el, kAssertionNs, "AttributeValue")) {
        std::string text;
        if (Status s = ValueText(doc, v, attr.name, &text); !s.ok()) return s;
        attr.values.push_back(std::move(text));
        std::string type;
        for (pugi::xml_attribute a = v.first_attribute(); a; a = a.next_attribute()) {
          if (xml::LocalName(a) == "type" && doc.AttributeNamespace(a) == kXsiNs) {
            type = a.value();
          }
        }
        attr.value_types.push_back(std::move(type));
      }
      claims->attributes.push_back(std::move(attr));
    }
  }
  return Status::Ok();
}

Status ExtractAuthn(const xml::Document& doc, pugi::xml_node signed_assertion, Assertion* out) {
  const pugi::xml_node authn = doc.Child(signed_assertion, kAssertionNs, "AuthnStatement");
  if (!authn) return Status::Ok();
  if (Status s = ReadTime(authn, "AuthnInstant", &out->authn_instant); !s.ok()) return s;
  out->session_index = xml::Attr(authn, "SessionIndex").value();
  return Status::Ok();
}

}  // namespace claimgate::saml::internal
