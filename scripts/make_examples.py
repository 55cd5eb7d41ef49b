#!/usr/bin/env python3
"""Regenerates the signed example responses under examples/ with the public example IdP key.

Each response is built from a small template and signed by xmlsec1 (the reference signer): the
Assertion first, then the Response around it, as Okta does. They are valid from 2026 to 2099 so
that the README's examples and the demo always run. Run from anywhere:

    /usr/bin/python3 scripts/make_examples.py
"""
import os
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape, quoteattr

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")
IDP = os.path.join(ROOT, "idp")
ISSUER = "http://www.okta.com/exkexample"
INSTANT = "2026-01-01T00:00:00Z"
EXPIRY = "2099-01-01T00:00:00Z"
SIG = """<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo></ds:Signature>"""


def attribute(name, values):
    vals = "".join(
        '<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">%s'
        "</saml2:AttributeValue>" % escape(v) for v in values)
    return ('<saml2:Attribute Name=%s NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:'
            'unspecified">%s</saml2:Attribute>' % (quoteattr(name), vals))


def response(rid, aid, sp, acs, subject, attrs, in_response_to=None, sig_placeholder="<!--S-->"):
    irt = " InResponseTo=%s" % quoteattr(in_response_to) if in_response_to else ""
    statements = "".join(attribute(n, v) for n, v in attrs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><saml2p:Response '
        'xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" Destination=%(acs)s ID="%(rid)s"%(irt)s '
        'IssueInstant="%(t)s" Version="2.0"><saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:'
        'assertion" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">%(iss)s</saml2:Issuer>'
        '%(ph)s<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        '</saml2p:Status><saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" '
        'ID="%(aid)s" IssueInstant="%(t)s" Version="2.0"><saml2:Issuer Format="urn:oasis:names:tc:'
        'SAML:2.0:nameid-format:entity">%(iss)s</saml2:Issuer>%(asig)s<saml2:Subject><saml2:NameID '
        'Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">%(sub)s</saml2:NameID>'
        '<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        '<saml2:SubjectConfirmationData%(irt)s NotOnOrAfter="%(exp)s" Recipient=%(acs)s/>'
        '</saml2:SubjectConfirmation></saml2:Subject><saml2:Conditions NotBefore="%(t)s" '
        'NotOnOrAfter="%(exp)s"><saml2:AudienceRestriction><saml2:Audience>%(sp)s</saml2:Audience>'
        '</saml2:AudienceRestriction></saml2:Conditions><saml2:AuthnStatement AuthnInstant="%(t)s" '
        'SessionIndex="%(aid)s-session"><saml2:AuthnContext><saml2:AuthnContextClassRef>'
        'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>'
        '</saml2:AuthnContext></saml2:AuthnStatement><saml2:AttributeStatement>%(st)s'
        '</saml2:AttributeStatement></saml2:Assertion></saml2p:Response>'
    ) % dict(acs=quoteattr(acs), rid=rid, aid=aid, irt=irt, t=INSTANT, exp=EXPIRY, iss=ISSUER,
             ph=sig_placeholder, asig=SIG.format(id=aid), sub=escape(subject), sp=escape(sp),
             st=statements)


def sign(xml, element):
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, encoding="utf-8") as f:
        f.write(xml)
        src = f.name
    try:
        out = subprocess.run(
            ["xmlsec1", "--sign", "--privkey-pem",
             os.path.join(IDP, "example-idp.key") + "," + os.path.join(IDP, "example-idp.pem"),
             "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
             "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", src],
            check=True, capture_output=True)
        return out.stdout.decode("utf-8")
    finally:
        os.unlink(src)


def write(path, rid, aid, sp, acs, subject, attrs, in_response_to=None):
    xml = response(rid, aid, sp, acs, subject, attrs, in_response_to)
    xml = sign(xml, "Assertion")  # the only template so far: the Assertion's
    xml = xml.replace("<!--S-->", SIG.format(id=rid))
    xml = sign(xml, "Response")   # now the Response's template comes first in document order
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(xml)


def ensure_idp():
    """The example IdP key pair and metadata (made once; the key is public, for examples only)."""
    key, pem = os.path.join(IDP, "example-idp.key"), os.path.join(IDP, "example-idp.pem")
    if not os.path.exists(key):
        os.makedirs(IDP, exist_ok=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                        "36500", "-sha256", "-subj",
                        "/CN=claimgate example IdP (public test key, never trust)",
                        "-keyout", key, "-out", pem], check=True, capture_output=True)
    cert = "".join(l.strip() for l in open(pem) if "-----" not in l)
    with open(os.path.join(IDP, "metadata.xml"), "w", encoding="utf-8") as f:
        f.write("""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/app/exkexample/sso/saml"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/app/exkexample/sso/saml"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
""" % (ISSUER, cert))


def main():
    ensure_idp()
    sp = lambda p: "https://sp.example/saml/acme-%s" % p
    acs = lambda p: "https://sp.example/saml/acme-%s/acs" % p
    # Okta-shaped sample for `claimgate verify` (README).
    write(os.path.join(ROOT, "verify", "okta-response.xml"), "id-okta-response-1",
          "id-okta-assertion-1", "https://sp.example/saml/acme", "https://sp.example/saml/acme/acs",
          "alice@acme.example",
          [("email", ["alice@acme.example"]), ("firstName", ["Alice"]), ("lastName", ["Liddell"]),
           ("roles", ["agent,supervisor"]), ("groups", ["Flex Users", "Support Team"])])
    d = lambda p, n: os.path.join(ROOT, p, "responses", n)
    # flex: first login, returning login with a changed attribute, a login refused by the rules.
    write(d("flex", "1-first-login.xml"), "id-flex-r1", "id-flex-a1", sp("flex"), acs("flex"),
          "alice@acme.example",
          [("email", ["alice@acme.example"]), ("firstName", ["Alice"]), ("lastName", ["Liddell"]),
           ("roles", ["agent"]), ("image_url", ["https://img.acme.example/alice.png"]),
           ("department", ["Support"])])
    write(d("flex", "2-returning-login.xml"), "id-flex-r2", "id-flex-a2", sp("flex"), acs("flex"),
          "alice@acme.example",
          [("email", ["alice@acme.example"]), ("firstName", ["Alice"]), ("lastName", ["Hargreaves"]),
           ("roles", ["agent,supervisor"]), ("department", ["Support"])])
    write(d("flex", "3-rejected-no-role.xml"), "id-flex-r3", "id-flex-a3", sp("flex"), acs("flex"),
          "mallory@acme.example",
          [("email", ["mallory@acme.example"]), ("firstName", ["Mallory"]), ("lastName", ["M"]),
           ("roles", ["janitor"])])
    # frontline: Entra-style claim names; the rejected login is outside the enforced domain.
    claims = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
    role = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
    write(d("frontline", "1-first-login.xml"), "id-fl-r1", "id-fl-a1", sp("frontline"),
          acs("frontline"), "bob@acme.example",
          [(claims + "emailaddress", ["bob@acme.example"]), (claims + "givenname", ["Bob"]),
           (claims + "surname", ["Builder"]), (role, ["Agent"])])
    write(d("frontline", "2-returning-login.xml"), "id-fl-r2", "id-fl-a2", sp("frontline"),
          acs("frontline"), "bob@acme.example",
          [(claims + "emailaddress", ["Bob@ACME.example"]), (claims + "givenname", ["Robert"]),
           (claims + "surname", ["Builder"]), (role, ["Agent", "Supervisor"])])
    write(d("frontline", "3-rejected-other-domain.xml"), "id-fl-r3", "id-fl-a3", sp("frontline"),
          acs("frontline"), "eve@evil.example",
          [(claims + "emailaddress", ["eve@evil.example"]), (claims + "givenname", ["Eve"]),
           (claims + "surname", ["E"]), (role, ["Agent"])])
    # console: existing users only; the NameID is the email address.
    write(d("console", "1-first-login.xml"), "id-co-r1", "id-co-a1", sp("console"), acs("console"),
          "carol@acme.example", [("firstName", ["Carol"]), ("lastName", ["Danvers"])])
    write(d("console", "2-returning-login.xml"), "id-co-r2", "id-co-a2", sp("console"),
          acs("console"), "carol@acme.example",
          [("firstName", ["Carol"]), ("lastName", ["Danvers-Rambeau"])])
    write(d("console", "3-rejected-unknown-user.xml"), "id-co-r3", "id-co-a3", sp("console"),
          acs("console"), "dave@acme.example", [("firstName", ["Dave"]), ("lastName", ["D"])])
    # sendgrid: JIT only from IdP-initiated sign-on.
    write(d("sendgrid", "1-first-login-idp-initiated.xml"), "id-sg-r1", "id-sg-a1", sp("sendgrid"),
          acs("sendgrid"), "erin@acme.example",
          [("email", ["erin@acme.example"]), ("firstName", ["Erin"]), ("lastName", ["E"])])
    write(d("sendgrid", "2-returning-login-sp-initiated.xml"), "id-sg-r2", "id-sg-a2",
          sp("sendgrid"), acs("sendgrid"), "erin@acme.example",
          [("email", ["erin@acme.example"]), ("firstName", ["Erin"]), ("lastName", ["Everhart"])],
          in_response_to="id-request-sg-2")
    write(d("sendgrid", "3-rejected-new-user-sp-initiated.xml"), "id-sg-r3", "id-sg-a3",
          sp("sendgrid"), acs("sendgrid"), "frank@acme.example",
          [("email", ["frank@acme.example"]), ("firstName", ["Frank"]), ("lastName", ["F"])],
          in_response_to="id-request-sg-3")
    print("examples written under", os.path.normpath(ROOT))


if __name__ == "__main__":
    sys.exit(main())
