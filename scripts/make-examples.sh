#!/usr/bin/env bash
# Regenerates the example IdP key pair and the signed sample responses under examples/, with
# openssl and xmlsec1 (the reference signer). The samples are valid from 2026 to 2099, so the
# README's examples and the demo always run. The example key is for examples only: it is public.
set -euo pipefail
cd "$(dirname "$0")/../examples"
if [ ! -f idp/example-idp.key ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -sha256 \
    -subj "/CN=claimgate example IdP (public test key, never trust)" \
    -keyout idp/example-idp.key -out idp/example-idp.pem 2>/dev/null
fi
sign() {  # sign IN OUT ID-ATTR-ELEMENT...
  local in=$1 out=$2; shift 2
  local ids=()
  for el in "$@"; do ids+=(--id-attr:ID "$el"); done
  xmlsec1 --sign --privkey-pem idp/example-idp.key,idp/example-idp.pem "${ids[@]}" \
    --output "$out" "$in"
}
# Okta shape: the Assertion is signed, then the Response around it.
for tpl in templates/*.xml; do
  name=$(basename "$tpl" .xml)
  tmp=$(mktemp)
  # xmlsec1 signs the first Signature template it finds: the Assertion's is placed first in
  # document order by taking it from a separate file, then the Response's is added.
  sign "$tpl" "$tmp" urn:oasis:names:tc:SAML:2.0:assertion:Assertion
  python3 - "$tmp" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("<!--RESPONSE-SIGNATURE-->", open("templates/response-signature.fragment", encoding="utf-8").read().strip())
open(p, "w", encoding="utf-8").write(s)
PY
  sign "$tmp" "verify/$name.xml" urn:oasis:names:tc:SAML:2.0:protocol:Response \
    urn:oasis:names:tc:SAML:2.0:assertion:Assertion
  rm -f "$tmp"
done
# The example IdP's metadata: its entity ID, SSO endpoints and signing certificate.
cert=$(grep -v -- '-----' idp/example-idp.pem | tr -d '\n')
cat > idp/metadata.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exkexample">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/app/exkexample/sso/saml"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/app/exkexample/sso/saml"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
XML
