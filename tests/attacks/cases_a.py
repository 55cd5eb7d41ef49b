"""SECURITY.md section A: signature wrapping and structural confusion (A01-A15).

Bases: "okta" (Assertion then Response signed), "entra" (only the default-namespace
Assertion signed), "resp" (only the Response signed). Expected codes follow the verify
order: parse (xml.*) < assertion count < signature position < per signature (Response's
first): shape, SignedInfo rules, value, digest < coverage < SAML validation.
"""
import copy

from lxml import etree

import mut as M
from case import B, Case, G, S, reject, same, usage

DUP = "xml.duplicate_id"
COUNT = "saml.assertion_count"


def _xsw_cases():
    c = []
    for base in ("okta", "resp"):
        for n, fn in (("xsw1", M.xsw1), ("xsw2", M.xsw2)):
            row = "A01" if n == "xsw1" else "A02"
            c.append(Case("%s.%s.dup_ids" % (n, base), row, base, fn(False), reject(DUP),
                          "forged and cloned Assertions share an ID: duplicate IDs at parse"))
            c.append(Case("%s.%s.unique_ids" % (n, base), row, base, fn(True), reject(COUNT),
                          "the clone's Assertion stands outside Response/Assertion"))
        c.append(Case("xsw1.%s.no_inner_assertion" % base, "A01", base,
                      M.xsw1(False, keep_assertion=False), reject("signature.shape"),
                      "the Response Signature has a Response child: not SignedInfo/Value/KeyInfo"))
        c.append(Case("xsw2.%s.no_inner_assertion" % base, "A02", base,
                      M.xsw2(False, keep_assertion=False), reject("signature.reference_uri"),
                      "Reference #orig is not the ID of its parent (_evil_response_ID)"))
    for base in ("okta", "entra"):
        for n, fn, row in (("xsw3", M.xsw3, "A03"), ("xsw4", M.xsw4, "A04"),
                           ("xsw5", M.xsw5, "A05"), ("xsw6", M.xsw6, "A06"),
                           ("xsw7", M.xsw7, "A07"), ("xsw8", M.xsw8, "A08")):
            c.append(Case("%s.%s.dup_ids" % (n, base), row, base, fn(False), reject(DUP),
                          "forged and genuine Assertion share the ID: duplicate IDs at parse"))
            c.append(Case("%s.%s.unique_ids" % (n, base), row, base, fn(True), reject(COUNT),
                          "two Assertions in the document (one not a direct child or extra)"))
    c.append(Case("xsw5.entra.no_copy", "A05", "entra", M.xsw5(True, keep_copy=False),
                  reject("signature.reference_uri"),
                  "Reference #orig is not the ID of the Signature's parent (_evil_assertion_ID)"))
    c.append(Case("xsw5.okta.no_copy", "A05", "okta", M.xsw5(True, keep_copy=False),
                  reject("signature.digest_mismatch"),
                  "the Response Signature is checked first and covers the renamed Assertion"))
    c.append(Case("xsw8.entra.object_only", "A08", "entra", M.xsw8(False, False),
                  reject("signature.shape"), "ds:Object inside the Assertion Signature"))
    c.append(Case("xsw8.okta.object_only", "A08", "okta", M.xsw8(False, False),
                  reject("signature.digest_mismatch"),
                  "the Response Signature (checked first) covers the Object added below it"))
    return c


XSW10 = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE r [<!ENTITY idViaEntity '
         '"_r0a1b2c3d4"><!ENTITY BypassIDUniqueness "&#x50;">]>\n')


def _a09(text):
    body = text.split("\n", 1)[1].replace('ID="_r0a1b2c3d4"', 'ID="&idViaEntity;"', 1)
    return (XSW10 + body).encode("utf-8")


def _a10_append(root):
    a = M.assertion(root)
    f = M.strip_sig(copy.deepcopy(a))
    M.forge(f)
    f.set("ID", a.get("ID") + "_attack")
    a.addnext(f)


def _a11_second_root(text):
    forged = M.tree(text)
    M.forge(M.assertion(forged))
    for el in forged.iter():
        if el.get("ID"):
            el.set("ID", el.get("ID") + "_2")
    return text.encode("utf-8") + etree.tostring(forged)


ED_TEMPLATE = ('<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor xmlns:md='
               '"urn:oasis:names:tc:SAML:2.0:metadata" ID="_md1" entityID="%s">' % B.IDP
               + B.SIG_R_MARK + '<md:IDPSSODescriptor protocolSupportEnumeration='
               '"urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>')


def _signed_ed():
    return S.DocSpec({"rid": "_md1"}, None, S.sig_spec(), raw=ED_TEMPLATE)


def _a12_metadata(entra_text, ed_text):
    root = M.tree(entra_text)
    ext = etree.Element("{%s}Extensions" % B.NS_P)
    ext.append(M.tree(ed_text))
    M.status(root).addprevious(ext)
    return M.ser(root)


def _rename_root(tag):
    def fn(root):
        root.tag = tag
    return M.edit(fn)


def _assertion_as_root(text):
    return M.ser(M.assertion(M.tree(text)))


def _strip_all(root):
    for s in list(root.iter(M.DS + "Signature")):
        s.getparent().remove(s)


def _decoy_with_object(with_assertion, base_assertion):
    def fn(root):
        decoy = copy.deepcopy(M.sig(root))
        obj = etree.SubElement(decoy, M.DS + "Object")
        if with_assertion:
            f = copy.deepcopy(base_assertion) if base_assertion is not None else None
            obj.append(M.forge(f))
        M.sig(root).addnext(decoy)
    return fn


def _a15(with_assertion):
    def run(error_text, entra_text):
        root = M.tree(error_text)
        a = M.strip_sig(M.assertion(M.tree(entra_text)))
        a.set("ID", "_forged_in_object")
        _decoy_with_object(with_assertion, a)(root)
        return M.ser(root)
    return run


def _second_sig(where):
    def fn(root):
        parent = root if where == "response" else M.assertion(root)
        M.sig(parent).addnext(copy.deepcopy(M.sig(parent)))
    return M.edit(fn)


def cases():
    c = _xsw_cases()
    c.append(Case("a09.xsw10_entity_id", "A09", "resp", _a09, reject("xml.doctype_forbidden"),
                  "CVE-2025-23369 shape starts with a DOCTYPE declaring entities"))
    c.append(Case("a10.appended_assertion", "A10", "entra", M.edit(_a10_append),
                  reject(COUNT), "a second, unsigned Assertion after the signed one"))
    c.append(Case("a10.appended_assertion.okta", "A10", "okta", M.edit(_a10_append),
                  reject(COUNT), "a second Assertion: exactly one is allowed"))
    c.append(Case("a11.second_root", "A11", "entra", _a11_second_root, reject("xml.root"),
                  "two top-level elements (unique IDs, so only the root rule fires)"))
    c.append(Case("a11.second_root_after_okta", "A11", "okta", _a11_second_root,
                  reject("xml.root"), "node-saml CVE-2022-39299 shape"))
    c.append(Case("a12.signed_metadata_in_extensions", "A12", ["entra", _signed_ed()],
                  _a12_metadata, reject("signature.position"),
                  "a genuinely signed EntityDescriptor: its Signature is not where one may be"))
    other = dict(audiences=[["https://other-sp.test/metadata"]])
    other_scm = [{"method": B.BEARER, "recipient": "https://other-sp.test/acs",
                  "not_after": B.NOT_AFTER, "irt": B.REQ}]
    c.append(Case("a12.assertion_for_other_sp", "A12",
                  G.entra(destination="https://other-sp.test/acs", scm=other_scm, **other),
                  same, reject("destination.mismatch"),
                  "IdP-signed for another SP; Destination is the first field checked"))
    c.append(Case("a12.assertion_for_other_sp.no_destination", "A12",
                  G.entra(destination=None, scm=other_scm, **other), same,
                  reject("audience.mismatch"), "IdP-signed for another SP's audience"))
    c.append(Case("a12.inside_logout_request", "A12", "entra",
                  _rename_root("{%s}LogoutRequest" % B.NS_P), reject("saml.not_response"),
                  "a signed Assertion wrapped in a LogoutRequest"))
    c.append(Case("a12.bare_assertion_document", "A12", "entra", _assertion_as_root,
                  reject("saml.not_response"), "the document element is an Assertion"))
    c.append(Case("a13.stripped.okta", "A13", "okta", M.edit(_strip_all),
                  reject("signature.missing"), "every ds:Signature removed"))
    c.append(Case("a13.stripped.entra", "A13", "entra", M.edit(_strip_all),
                  reject("signature.missing"), "the only Signature removed"))
    c.append(Case("a13.stripped_and_forged", "A13", "entra",
                  M.edit(lambda r: (_strip_all(r), M.forge(M.assertion(r)))),
                  reject("signature.missing"), "unsigned forgery"))
    for cert, why, needle in ((None, "no --idp-cert at all", "--idp-cert"),
                              ("empty", "an empty --idp-cert file", "cert-empty.pem"),
                              ("garbage", "an --idp-cert file that is not a certificate",
                               "cert-garbage.pem")):
        c.append(Case("a13.config_%s" % (cert or "no_cert"), "A13", "okta", same, usage(needle),
                      "verification cannot be switched off by configuration: " + why,
                      cert=cert))
    c.append(Case("a14.response_sig_refers_to_assertion", "A14",
                  S.DocSpec(G.p(shape="samlp"), None, S.sig_spec(uri="#_a0a1b2c3d4")), same,
                  reject("signature.reference_uri"),
                  "re-signed: a Response Signature whose Reference is the Assertion"))
    c.append(Case("a14.assertion_sig_refers_to_response", "A14",
                  S.DocSpec(G.p(shape="samlp"), S.sig_spec(uri="#_r0a1b2c3d4"), None), same,
                  reject("signature.reference_uri"),
                  "re-signed: an Assertion Signature whose Reference is the Response"))
    err = S.DocSpec(G.p(shape="samlp", assertion=False,
                        status="urn:oasis:names:tc:SAML:2.0:status:Requester"), None,
                    S.sig_spec())
    c.append(Case("a15.decoy_signature_object_assertion", "A15", [err, "entra"], _a15(True),
                  reject(COUNT), "signed error Response + decoy Signature whose Object holds "
                  "the only Assertion (not a direct child)"))
    c.append(Case("a15.decoy_signature_only", "A15", [err, "entra"], _a15(False),
                  reject(COUNT), "a signed error Response carries no Assertion at all"))
    c.append(Case("a15.second_response_signature", "A15", "okta", _second_sig("response"),
                  reject("signature.position"), "two Signatures under the Response"))
    c.append(Case("a15.second_assertion_signature", "A15", "entra", _second_sig("assertion"),
                  reject("signature.position"), "two Signatures under the Assertion"))
    return c
