"""SECURITY.md sections B (XML-DSig processing) and C (keys and algorithms).

A case that tests a SignedInfo rule RE-SIGNS the edited template with the IdP key through
xmlsec1, so the rule and not a broken signature is what must reject; where xmlsec1 refuses
(http:/file: URIs, DSA...) the values are dummies and the why says so. The entra base has
one Signature, so each of these isolates one rule.
"""
import base64
import copy
import hashlib

from lxml import etree

import mut as M
from case import B, Case, G, S, accept, one_of, reject, same, usage

A_ID = "_a0a1b2c3d4"


def resigned(**sig):
    """An Entra-shaped response whose Assertion Signature uses the given template spec."""
    return S.DocSpec(G.p(shape="samlp"), S.sig_spec(**sig), None)


def _b01(where):
    def fn(root):
        a = M.assertion(root)
        M.forge(a)
        fake = ('<ds:Reference xmlns:ds="%s" URI="#%s"><ds:DigestValue>%s</ds:DigestValue>'
                '</ds:Reference>' % (B.NS_DS, A_ID, M.exc_c14n_digest(a)))
        frag = etree.fromstring(fake)
        if where == "extensions":
            ext = etree.Element("{%s}Extensions" % B.NS_P)
            ext.append(frag)
            M.status(root).addprevious(ext)
        else:
            detail = etree.SubElement(M.status(root), "{%s}StatusDetail" % B.NS_P)
            detail.append(frag)
    return M.edit(fn)


def _digest_comment(forged):
    def fn(root):
        a = M.assertion(root)
        dv = M.sig(a).find(".//ds:DigestValue", M.NS)
        genuine = dv.text
        if forged:
            M.forge(a)
        dv.text = None
        dv.append(etree.Comment(M.exc_c14n_digest(a) if forged else "x"))
        dv[0].tail = genuine
    return M.edit(fn)


def _value_markup(elem, markup):
    """Puts raw markup in the middle of the genuine DigestValue/SignatureValue text."""
    def run(text):
        root = M.tree(text)
        node = M.sig(M.assertion(root)).find(".//ds:" + elem, M.NS)
        value = node.text
        node.text = value[:8] + "@@MARK@@" + value[8:]
        return M.ser(root).replace(b"@@MARK@@", markup.encode())
    return run


def _signedinfo(mode):
    def fn(root):
        s = M.sig(M.assertion(root))
        si = s.find("ds:SignedInfo", M.NS)
        evil = copy.deepcopy(si)
        evil.find(".//ds:Reference", M.NS).set("URI", "#_evil")
        if mode == "after_value":
            s.find("ds:SignatureValue", M.NS).addnext(evil)
        elif mode == "wrapped":
            wrapper = etree.Element("Wrapper")
            wrapper.append(evil)
            si.addprevious(wrapper)
        elif mode == "two_values":
            sv = s.find("ds:SignatureValue", M.NS)
            sv.addnext(copy.deepcopy(sv))
        elif mode == "two_keyinfos":
            ki = s.find("ds:KeyInfo", M.NS)
            ki.addnext(copy.deepcopy(ki))
        elif mode == "reordered":
            s.append(si)
    return M.edit(fn)


def _sig_text(elem, value):
    def fn(root):
        M.sig(M.assertion(root)).find(".//ds:" + elem, M.NS).text = value
    return M.edit(fn)


def _void_text(text):
    """B08: a namespace URI with U+0080 on the Assertion and DigestValue = b64(H(''))."""
    def fn(root):
        dv = M.sig(M.assertion(root)).find(".//ds:DigestValue", M.NS)
        dv.text = base64.b64encode(hashlib.sha256(b"").digest()).decode()
    out = M.edit(fn)(text).decode("utf-8")
    anchor = 'ID="%s"' % A_ID
    out = out.replace(anchor, 'xmlns:example="http://example.com\u0080" ' + anchor, 1)
    return out.encode("utf-8")


def _id_like(attr, value=A_ID):
    return M.insert_before_status('<p:Extensions xmlns:p="%s"><e %s="%s"/></p:Extensions>'
                                  % (B.NS_P, attr, value))


def _keyinfo(xml_fragment):
    def fn(root):
        s = M.sig(M.assertion(root))
        ki = s.find("ds:KeyInfo", M.NS)
        if ki is not None:
            s.remove(ki)
        if xml_fragment is not None:
            s.append(etree.fromstring(xml_fragment))
    return M.edit(fn)


def _ki(inner):
    return '<ds:KeyInfo xmlns:ds="%s">%s</ds:KeyInfo>' % (B.NS_DS, inner)


def _forged(**kw):
    params = G.p(shape="samlp", nameid=M.FORGED)
    return S.DocSpec(params, S.sig_spec(**kw), None)


def b_cases():
    c = []
    c += [Case("b01.fake_reference_in_extensions", "B01", "entra", _b01("extensions"),
               reject("signature.digest_mismatch"),
               "forged Assertion; a Reference+DigestValue of the forgery earlier in the doc"),
          Case("b01.fake_reference_in_status_detail", "B01", "entra", _b01("detail"),
               reject("signature.digest_mismatch"), "same, in samlp:StatusDetail"),
          Case("b02.comment_in_digest_value.forged", "B02", "entra", _digest_comment(True),
               reject("signature.bad_value"), "DigestValue holds a comment (CVE-2025-29775)"),
          Case("b02.comment_in_digest_value.genuine", "B02", "entra", _digest_comment(False),
               reject("signature.bad_value"),
               "same without forgery: the text-only rule alone must reject"),
          Case("b02.comment_in_signature_value", "B02", "entra",
               _value_markup("SignatureValue", "<!---->"), reject("signature.bad_value"),
               "SignatureValue must be text only (DR9)"),
          Case("b02.cdata_in_digest_value", "B02", "entra",
               _value_markup("DigestValue", "<![CDATA[]]>"), reject("signature.bad_value"),
               "CDATA inside DigestValue (DR9)"),
          Case("b02.element_in_signature_value", "B02", "entra",
               _value_markup("SignatureValue", "<x/>"), reject("signature.bad_value"),
               "an element inside SignatureValue")]
    for mode in ("after_value", "wrapped", "two_values", "two_keyinfos", "reordered"):
        c.append(Case("b03.signedinfo_%s" % mode, "B03", "entra", _signedinfo(mode),
                      reject("signature.shape"),
                      "Signature children are not exactly SignedInfo, SignatureValue, KeyInfo"))
    c += [Case("b04.two_references", "B04", resigned(extra_refs=["#" + A_ID]), same,
               reject("signature.reference_count"), "re-signed with two References"),
          Case("b04.two_references_other_target", "B04",
               resigned(extra_refs=["#_r0a1b2c3d4"]), same,
               reject("signature.reference_count"), "re-signed, second Reference the Response"),
          Case("b04.no_reference", "B04", resigned(refs=[], force_dummy=True), same,
               reject("signature.reference_count"), "no Reference (dummy values)"),
          Case("b04.reference_without_uri", "B04", resigned(refs=[None]), same,
               reject("signature.reference_uri"), "re-signed, Reference has no URI")]
    uris = [("empty", "", False), ("hash_only", "#", True), ("space", "#a b", True),
            ("xpointer_root", "#xpointer(/)", False),
            ("xpointer_id", "#xpointer(id('%s'))" % A_ID, False),
            ("http", "http://169.254.169.254/latest/meta-data/", True),
            ("file", "file:///etc/passwd", True),
            ("xpath_injection", "#x' or '1'='1", True), ("id_plus_space", "#%s " % A_ID, True)]
    for name, uri, dummy in uris:
        row = "B11" if name == "xpath_injection" else "B05"
        c.append(Case("b05.uri_%s" % name, row, resigned(uri=uri, force_dummy=dummy), same,
                      reject("signature.reference_uri"),
                      "Reference URI %r is not '#'+parent ID%s" % (uri, " (dummy values)"
                                                                   if dummy else "")))
    xslt = ('<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:'
            'stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:'
            'template match="/"><x/></xsl:template></xsl:stylesheet></ds:Transform>')
    xpath = ('<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">'
             '<ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>')
    xpath2 = ('<ds:Transform Algorithm="http://www.w3.org/2002/06/xmldsig-filter2"><dsp:XPath'
              ' xmlns:dsp="http://www.w3.org/2002/06/xmldsig-filter2" Filter="union">/'
              '</dsp:XPath></ds:Transform>')
    transforms = [("xslt", [S.ENV, xslt, S.EXC], True), ("xpath", [xpath, S.EXC], False),
                  ("xpath_filter2", [S.ENV, xpath2, S.EXC], True),
                  ("base64", [S.ENV, "http://www.w3.org/2000/09/xmldsig#base64"], True),
                  ("fifty", [S.ENV] + [S.EXC] * 49, False),
                  ("exc_only_no_enveloped", [S.EXC], False),
                  ("inclusive_c14n", [S.ENV, S.INCL], False),
                  ("reversed", [S.EXC, S.ENV], False), ("enveloped_twice", [S.ENV, S.ENV, S.EXC],
                                                         False)]
    for name, chain, dummy in transforms:
        c.append(Case("b06.transform_%s" % name, "B06",
                      resigned(transforms=chain, force_dummy=dummy), same,
                      reject("signature.transform_not_allowed"),
                      "transform chain is not [enveloped-signature, exc-c14n]"))
    c.append(Case("b13.transform_exc_with_comments", "B13",
                  resigned(transforms=[S.ENV, S.EXC_WC]), same,
                  reject("signature.transform_not_allowed"),
                  "SECURITY B13: reject every #WithComments algorithm (DESIGN.md lists exc-c14n "
                  "'with or without comments' as a transform: see report)"))
    for name, alg, dummy in (("exc_with_comments", S.EXC_WC, False), ("inclusive", S.INCL, False),
                             ("inclusive_with_comments", S.INCL_WC, False),
                             ("c14n11", S.C14N11, False), ("unknown_uri", "urn:evil:c14n", True)):
        c.append(Case("b07.c14n_%s" % name, "B07" if name != "exc_with_comments" else "B13",
                      resigned(c14n=alg, force_dummy=dummy), same,
                      reject("signature.c14n_not_allowed"),
                      "CanonicalizationMethod %s is not exc-c14n without comments" % alg))
    c.append(Case("b08.void_c14n_digest_of_empty", "B08", "entra", _void_text,
                  reject("signature.invalid"),
                  "DigestValue replaced by H(''): SignedInfo changed so SignatureValue fails"))
    for name, elem, value in (("sig_bad_base64", "SignatureValue", "!!!not*base64!!!"),
                              ("sig_truncated", "SignatureValue", "QUJDREVGR0g="),
                              ("sig_empty", "SignatureValue", ""),
                              ("sig_oversized", "SignatureValue",
                               base64.b64encode(b"\x01" * 4096).decode()),
                              ("digest_bad_base64", "DigestValue", "@@@@"),
                              ("digest_wrong_length", "DigestValue",
                               base64.b64encode(b"\x00" * 20).decode()),
                              ("digest_bad_padding", "DigestValue", "AAAA=AAA")):
        c.append(Case("b09.%s" % name, "B09", "entra", _sig_text(elem, value),
                      reject("signature.bad_value"),
                      "%s is not strict base64 of the right length" % elem))
    for attr in ("Id", "xml:id", "AssertionID", "ResponseID"):
        c.append(Case("b10.%s_duplicates_assertion_id" % attr.replace(":", "_"), "B10",
                      "entra", _id_like(attr), reject("xml.duplicate_id"),
                      "an ID-like attribute %s repeats the Assertion ID" % attr))
    c.append(Case("b10.assertion_id_leading_digit", "B10",
                  S.DocSpec(G.p(shape="samlp", aid="1bad"), S.sig_spec(uri="#1bad"), None),
                  same, accept(),
                  "not an NCName, but tolerated on purpose (real IdPs send UUID IDs); it is "
                  "still unique and must equal the Reference: no confusion follows"))
    for name, value in (("space", "a b"), ("empty", ""), ("colon", "a:b")):
        c.append(Case("b10.assertion_id_%s" % name, "B10",
                      S.DocSpec(G.p(shape="samlp", aid=value), S.sig_spec(uri="#" + value),
                                None), same, reject("xml.bad_id"),
                      "Assertion ID %r is not an NCName (re-signed where xmlsec1 could)" % value))
    return c


def c_cases():
    # These also cover SECURITY.md H04: trust comes only from the admin-approved metadata or
    # certificates of the connection, never from a message (an attacker's certificate in
    # KeyInfo is signature.untrusted_key), and rollover means two pinned certificates.
    att = dict(key="attacker")
    c = [Case("c01.attacker_key_attacker_cert", "C01", _forged(**att), same,
              reject("signature.untrusted_key"), "forgery signed by the attacker, his cert"),
         Case("c01.attacker_key_cloned_idp_cert", "C01", _forged(key="clone"), same,
              reject("signature.untrusted_key"),
              "attacker key behind a cert cloning the IdP subject/issuer (DER differs)"),
         Case("c01.attacker_key_genuine_idp_cert", "C01", _forged(keyinfo="idp", **att), same,
              reject("signature.invalid"), "KeyInfo names the pinned cert; value fails"),
         Case("c01.attacker_key_no_keyinfo", "C01", _forged(keyinfo="none", **att), same,
              reject("signature.invalid"), "no KeyInfo; fails with the pinned key"),
         Case("c01.okta_both_resigned_by_attacker", "C01",
              S.DocSpec(G.p(nameid=M.FORGED), S.sig_spec(**att), S.sig_spec(**att)), same,
              reject("signature.untrusted_key"), "both signatures by the attacker"),
         Case("c01.genuine_sig_keyinfo_swapped", "C01", "entra",
              _keyinfo(_ki("<ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate>"
                           "</ds:X509Data>" % "ATTACKER_CERT")),
              one_of(accept(), reject("signature.untrusted_key")),
              "genuine signature, KeyInfo swapped to the attacker cert: KeyInfo only "
              "selects among pinned keys, so accepting (it verifies) or refusing is safe"),
         Case("c01.assertion_sig_attacker_under_genuine_response_sig", "C01",
              S.DocSpec(G.p(nameid=M.FORGED), S.sig_spec(**att), S.sig_spec()), same,
              reject("signature.untrusted_key"),
              "the IdP signed a Response around an attacker-signed Assertion: every "
              "Signature present must verify with a pinned key"),
         Case("c01.rollover_two_pins_second_signs", "C01",
              S.DocSpec(G.p(), S.sig_spec(key="ec", alg="ecdsa-sha256"),
                        S.sig_spec(key="ec", alg="ecdsa-sha256")), same, accept(),
              "two pinned certificates (rollover): the second one verifies",
              args=["--idp-cert", "@cert:ec"]),
         Case("c01.rollover_pins_exclude_attacker", "C01", _forged(**att), same,
              reject("signature.untrusted_key"), "two pins, neither is the attacker's",
              args=["--idp-cert", "@cert:ec"]),
         Case("c02.hmac_sha1_keyed_with_cert", "C02", resigned(key="hmac", alg="hmac-sha1",
                                                              keyinfo="none"), same,
              reject("signature.algorithm_not_allowed"), "HMAC keyed with the public cert"),
         Case("c02.hmac_sha256_keyed_with_cert", "C02",
              resigned(key="hmac", alg="hmac-sha256", keyinfo="none"), same,
              reject("signature.algorithm_not_allowed"), "HMAC never"),
         Case("c03.hmac_output_length", "C03",
              resigned(key="hmac", alg="hmac-sha1", keyinfo="none", force_dummy=True,
                       method_children="<ds:HMACOutputLength>1</ds:HMACOutputLength>"), same,
              reject("signature.algorithm_not_allowed"), "HMACOutputLength 1 (dummy values)"),
         Case("c03.rsa_method_with_child", "C03",
              resigned(method_children="<ds:HMACOutputLength>160</ds:HMACOutputLength>",
                       force_dummy=True), same,
              reject("signature.algorithm_not_allowed"),
              "any child element of SignatureMethod (dummy values)"),
         Case("c04.rsa_sha1_not_allowed", "C04", resigned(alg="rsa-sha1", digest="sha1"), same,
              reject("signature.algorithm_not_allowed"), "rsa-sha1 without --allow-sha1"),
         Case("c04.sha1_digest_not_allowed", "C04", resigned(digest="sha1"), same,
              reject("signature.digest_not_allowed"), "sha1 digest without --allow-sha1"),
         Case("c04.rsa_md5", "C04", resigned(alg="rsa-md5"), same,
              reject("signature.algorithm_not_allowed"), "rsa-md5 never"),
         Case("c04.rsa_md5_with_allow_sha1", "C04", resigned(alg="rsa-md5"), same,
              reject("signature.algorithm_not_allowed"), "--allow-sha1 never opens md5",
              args=["--allow-sha1"]),
         Case("c04.md5_digest", "C04", resigned(digest="md5"), same,
              reject("signature.digest_not_allowed"), "md5 digest never",
              args=["--allow-sha1"]),
         Case("c04.dsa_sha1", "C04", resigned(alg="dsa-sha1", force_dummy=True), same,
              reject("signature.algorithm_not_allowed"), "DSA never (dummy values)",
              args=["--allow-sha1"]),
         Case("c04.ecdsa_sha1", "C04", resigned(key="ec", alg="ecdsa-sha1", digest="sha256"),
              same, reject("signature.algorithm_not_allowed"),
              "ecdsa-sha1 without --allow-sha1", cert="ec"),
         Case("c04.rsa_1024_key", "C04", resigned(key="rsa1024"), same,
              usage("signature.weak_key", "rsa1024.pem"),
              "RSA < 2048 bits: the pin itself is refused as configuration (exit 2, "
              "signature.weak_key naming the file)",
              cert="rsa1024"),
         Case("c04.ecdsa_method_rsa_pin", "C04",
              resigned(key="ec", alg="ecdsa-sha256", keyinfo="none"), same,
              one_of(reject("signature.algorithm_not_allowed"), reject("signature.invalid")),
              "EC signature against an RSA-only pin: does not fit the key / no key verifies"),
         Case("c05.retrieval_method", "C05", "entra",
              _keyinfo(_ki('<ds:RetrievalMethod URI="http://169.254.169.254/latest/" Type='
                           '"http://www.w3.org/2000/09/xmldsig#X509Data"/>')),
              one_of(accept(), reject("signature.shape")),
              "KeyInfo is never dereferenced; the pinned key verifies"),
         Case("c05.empty_keyinfo", "C05", "entra", _keyinfo(_ki("")), accept(),
              "empty KeyInfo: the pinned key verifies"),
         Case("c05.no_keyinfo", "C05", "entra", _keyinfo(None), accept(),
              "no KeyInfo at all: the pinned key verifies"),
         Case("c05.huge_keyinfo", "C05", "entra",
              _keyinfo(_ki("<ds:X509Data>%s</ds:X509Data>" % (
                  "<ds:X509Certificate>AAAA</ds:X509Certificate>" * 10000))),
              one_of(accept(), reject("xml.limit"), reject("signature.shape")),
              "10,000 X509Certificate children: capped or ignored, never decoded"),
         Case("c05.keyvalue_attacker", "C05", _forged(keyinfo="none", **att),
              lambda t: t.replace("</ds:SignatureValue>", "</ds:SignatureValue>" + _ki(
                  "<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>AQAB</ds:Modulus><ds:Exponent>"
                  "AQAB</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>"), 1).encode("utf-8"),
              reject("signature.invalid"), "a KeyValue is never a key source")]
    return c


MD = "urn:oasis:names:tc:SAML:2.0:metadata"


def metadata(kind, keys):
    """IdP metadata text for the "@md:KIND" verify argument (keys exist only at run time)."""
    def kd(use, key):
        return ('<md:KeyDescriptor%s><ds:KeyInfo xmlns:ds="%s"><ds:X509Data><ds:X509Certificate>'
                '%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>' % (
                    ' use="%s"' % use if use else "", B.NS_DS, keys[key].cert_b64))
    descriptors = {"signing": kd("signing", "idp") + kd("encryption", "attacker"),
                   "no_use": kd(None, "idp")}[kind]
    return ('<md:EntityDescriptor xmlns:md="%s" entityID="%s"><md:IDPSSODescriptor '
            'protocolSupportEnumeration="%s">%s<md:SingleSignOnService Binding="urn:oasis:names:'
            'tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>'
            '</md:IDPSSODescriptor></md:EntityDescriptor>\n' % (MD, B.IDP, B.NS_P, descriptors))


def md_cases():
    att = dict(key="attacker")
    sig_md = ["--idp-metadata", "@md:signing"]
    return [Case("c01.metadata_signing_key_accepted", "C01", "okta", same, accept(),
                 "metadata pins the use=signing key", args=sig_md, cert=None),
            Case("c01.metadata_encryption_key_never_verifies", "C01", _forged(**att), same,
                 one_of(reject("signature.untrusted_key"), reject("signature.invalid")),
                 "signed with the metadata's use=encryption key: never a verification key",
                 args=sig_md, cert=None),
            Case("c01.metadata_no_use_key_verifies", "C01", "entra", same, accept(),
                 "a KeyDescriptor without use serves both purposes",
                 args=["--idp-metadata", "@md:no_use"], cert=None),
            Case("a13.metadata_no_use_still_verifies", "A13", _forged(**att), same,
                 reject("signature.untrusted_key"),
                 "a key without use must not switch validation off (Keycloak CVE-2026-16443)",
                 args=["--idp-metadata", "@md:no_use"], cert=None)]


def fix_attacker_cert(cases, keys):
    """Replaces the ATTACKER_CERT placeholder (keys exist only at run time)."""
    for case in cases:
        if case.name == "c01.genuine_sig_keyinfo_swapped":
            inner = case.post
            case.post = lambda t, inner=inner: inner(t).replace(
                b"ATTACKER_CERT", keys["attacker"].cert_b64.encode())


def cases():
    return b_cases() + c_cases() + md_cases()
