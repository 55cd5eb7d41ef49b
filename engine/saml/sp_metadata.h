#pragma once

#include <string>

// The metadata claimgate publishes for one SP (SAML metadata §2.4.4).
namespace claimgate::saml {

// What the SP metadata says about the SP.
struct SpDescriptor {
  std::string entity_id;
  std::string acs_url;                  // HTTP-POST binding
  std::string signing_certificate_der;  // "" when the SP does not sign its AuthnRequests
};

// <md:EntityDescriptor> with one SPSSODescriptor: the entity ID, the ACS URL (HTTP-POST), the
// emailAddress and unspecified NameID formats, WantAssertionsSigned; with a signing certificate
// also AuthnRequestsSigned="true" and a signing KeyDescriptor. Every value is XML-escaped.
std::string SpMetadataXml(const SpDescriptor& sp);

}  // namespace claimgate::saml
