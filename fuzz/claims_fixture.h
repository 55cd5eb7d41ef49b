#pragma once
// The login the rules and expression targets map: an Okta-like subject with the attribute shapes
// the rule language meets (single, multi-valued, empty, numeric, URI-named).

#include "base/claims.h"

namespace claimgate::fuzz {

inline Claims ExampleClaims() {
  Claims c;
  c.subject = "Jane.Doe@Example.com";
  c.subject_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
  const auto add = [&c](const char* name, std::vector<std::string> values) {
    Attribute a;
    a.name = name;
    a.value_types.assign(values.size(), "xs:string");
    a.values = std::move(values);
    c.attributes.push_back(std::move(a));
  };
  add("firstName", {"Jane"});
  add("lastName", {"Doe"});
  add("email", {"jane.doe@acme.example"});
  add("groups", {"Everyone", "Flex Admins", "Contractors", "flex-supervisor"});
  add("department", {"Support / EMEA"});
  add("employeeNumber", {"4711"});
  add("empty", {});
  add("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
      {"jane.doe@acme.example"});
  return c;
}

}  // namespace claimgate::fuzz
