#pragma once

#include <string>
#include <vector>

namespace claimgate {

// One SAML Attribute as the IdP sent it, read only from the signed subtree.
struct Attribute {
  std::string name;                      // Name
  std::string friendly_name;             // FriendlyName, empty when absent
  std::string name_format;               // NameFormat, empty when absent
  std::vector<std::string> values;       // every AttributeValue, whole text, in order
  std::vector<std::string> value_types;  // xsi:type of each value as written ("xs:string"), or ""
};

// What the mapping stage may know about a login: the subject and its attributes. It is built
// from a verified assertion (engine/saml) or from the JSON `verify` prints (rules test), and
// carries nothing else, so rules/ never depends on engine/.
struct Claims {
  std::string subject;                // NameID, whole text
  std::string subject_format;         // NameID Format, empty when absent
  std::vector<Attribute> attributes;  // in document order; (Name, NameFormat) unique
};

}  // namespace claimgate
