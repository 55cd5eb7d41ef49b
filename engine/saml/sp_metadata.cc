#include "engine/saml/sp_metadata.h"

#include "base/base64.h"
#include "engine/xml/escape.h"

namespace claimgate::saml {

std::string SpMetadataXml(const SpDescriptor& sp) {
  const std::string cert = EncodeBase64(sp.signing_certificate_der);
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" +
       xml::Escape(sp.entity_id) + "\">\n";
  x += std::string("  <md:SPSSODescriptor AuthnRequestsSigned=\"") +
       (cert.empty() ? "false" : "true") +
       "\" WantAssertionsSigned=\"true\" "
       "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n";
  if (!cert.empty()) {
    x += "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo "
         "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data><ds:X509Certificate>" +
         cert + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n";
  }
  x += "    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
       "</md:NameIDFormat>\n";
  x += "    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
       "</md:NameIDFormat>\n";
  x += "    <md:AssertionConsumerService index=\"0\" isDefault=\"true\" "
       "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"" +
       xml::Escape(sp.acs_url) + "\"/>\n";
  x += "  </md:SPSSODescriptor>\n</md:EntityDescriptor>\n";
  return x;
}

}  // namespace claimgate::saml
