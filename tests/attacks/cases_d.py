"""SECURITY.md sections D (parsing, differentials, text extraction) and E (resource abuse).

Mutations here are byte/text edits of genuinely signed documents: the parse-stage rule
must reject before any signature logic runs, or (D01/D02) the whole text must be read.
"""
import base64

import mut as M
from case import B, Case, G, S, accept, one_of, reject, same

EVIL = "alice@example.com.evil.test"
WHOLE = accept(EVIL)


def _sub(old, new, count=1):
    return M.replace(old, new, count)


def _bytes(fn):
    return lambda text: fn(text.encode("utf-8"))


def _in_root(fragment):
    """Inserts raw markup right after the Response start tag (outside signed content)."""
    def run(text):
        head, rest = text.split("\n", 1)
        end = rest.index(">") + 1
        return (head + "\n" + rest[:end] + fragment + rest[end:]).encode("utf-8")
    return run


def _on_root(attr_text):
    def run(text):
        head, rest = text.split("\n", 1)
        end = rest.index(">")
        return (head + "\n" + rest[:end] + " " + attr_text + rest[end:]).encode("utf-8")
    return run


def _after_decl(markup):
    def run(text):
        head, rest = text.split("\n", 1)
        return (head + "\n" + markup + rest).encode("utf-8")
    return run


def _nameid(new_inner):
    return _sub(">alice@example.com<", ">" + new_inner + "<")


def d_cases():
    split = G.entra(nameid=EVIL)
    split_okta = G.okta(nameid=EVIL)
    c = [Case("d01.comment_in_nameid", "D01", split,
              _sub(">alice@example.com.evil.test<", ">alice@example.com<!---->.evil.test<"),
              WHOLE, "the value is the whole text: alice@example.com.evil.test"),
         Case("d01.comment_in_nameid.okta", "D01", split_okta,
              _sub(">alice@example.com.evil.test<", ">alice@example.com<!--x-->.evil.test<"),
              WHOLE, "both signatures stay valid (c14n drops comments); whole text read"),
         Case("d01.comment_in_attribute_value", "D01", "entra", _sub(">Alice<", ">Al<!---->ice<"),
              accept(attrs={"firstName": ["Alice"]}), "attribute value read whole"),
         Case("d02.cdata_in_nameid", "D02", split,
              _sub(">alice@example.com.evil.test<",
                   ">alice@example.com<![CDATA[.evil.test]]><"),
              WHOLE, "CDATA joins the text: alice@example.com.evil.test"),
         Case("d02.cdata_whole_nameid", "D02", "entra",
              _nameid("<![CDATA[alice@example.com]]>"), accept(), "CDATA-only value"),
         Case("d02.cdata_in_attribute_value", "D02", "entra",
              _sub(">Alice<", ">Al<![CDATA[i]]>ce<"), accept(attrs={"firstName": ["Alice"]}),
              "attribute value read whole"),
         Case("d03.pi_in_nameid", "D03", split,
              _sub(">alice@example.com.evil.test<", ">alice@example.com<?x .evil.test?><"),
              reject("xml.pi_forbidden"), "PI split (xml-crypto/OneUptime)"),
         Case("d03.pi_before_root", "D03", "entra",
              _after_decl('<?xml-stylesheet href="x.xsl"?>'), reject("xml.pi_forbidden"),
              "PI in the prolog"),
         Case("d03.pi_in_attribute_value", "D03", "entra", _sub(">Alice<", ">Al<?p?>ice<"),
              reject("xml.pi_forbidden"), "PI inside an AttributeValue"),
         Case("d04.doctype_quote_differential", "D04", "entra",
              _after_decl("<!DOCTYPE response SYSTEM 'x\"><!--'>"),
              reject("xml.doctype_forbidden"), "CVE-2025-25291 DOCTYPE"),
         Case("d05.attlist_default_xmlns", "D05", "entra", _after_decl(
             '<!DOCTYPE Response [<!ATTLIST Signature xmlns CDATA #FIXED '
             '"http://www.w3.org/2000/09/xmldsig#">]>'), reject("xml.doctype_forbidden"),
              "CVE-2025-25292 ATTLIST"),
         Case("d06.internal_entity", "D06", split,
              lambda t: _after_decl('<!DOCTYPE r [<!ENTITY e ".evil.test">]>')(
                  t.replace(">alice@example.com.evil.test<", ">alice@example.com&e;<", 1)
              ), reject("xml.doctype_forbidden"), "entity in NameID"),
         Case("d06.doctype_after_root", "D06", "entra",
              lambda t: (t.rstrip("\n") + "<!DOCTYPE r>").encode("utf-8"),
              one_of(reject("xml.doctype_forbidden"), reject("xml.root"),
                     reject("xml.malformed")),
              "a DOCTYPE after the root is both a DTD and junk after the root")]
    for name, frag in (("colon_element", "<:a/>"), ("colon_colon", "<x::b/>"),
                       ("trailing_colon", "<a:/>"), ("two_colons", "<a:b:c/>")):
        c.append(Case("d07.%s" % name, "D07", "entra", _in_root(frag), reject("xml.bad_name"),
                      "element name %s is not a QName" % frag))
    for name, attr in (("colon_attr", ':attr="z"'), ("colon_only", ':="value"'),
                       ("double_colon_attr", '::attr="x"')):
        c.append(Case("d07.%s" % name, "D07", "entra", _on_root(attr), reject("xml.bad_name"),
                      "attribute name %s is not a QName" % attr))
    forged = ('<saml:Assertion xmlns:saml="urn:attacker" ID="_forged"><saml:Subject><saml:'
              'NameID>%s</saml:NameID></saml:Subject></saml:Assertion>' % M.FORGED)
    c += [Case("d08a.assertion_in_attacker_namespace", "D08", "entra",
               lambda t: t.replace("<samlp:Status>", forged + "<samlp:Status>", 1).encode(),
               one_of(accept(), reject("saml.structure")),
               "urn:attacker:Assertion is not an Assertion: never read; the stranger may be "
               "ignored or refused as structure"),
          Case("d08c.subject_rebound_to_other_namespace", "D08", S.DocSpec(
              G.p(shape="okta"), S.sig_spec(), None, raw=B.build(G.p(shape="okta")).replace(
                  "<saml2:Subject>", '<saml2:Subject xmlns:saml2="urn:x">')),
               same, reject("saml.structure"),
               "re-signed: Subject/NameID are urn:x names, so the Assertion has no Subject"),
          Case("d08d.empty_prefixed_declaration", "D08", "entra", _on_root('xmlns:ds=""'),
               reject("xml.namespace"), "xmlns:ds=\"\" is illegal in Namespaces 1.0"),
          Case("d08.undeclared_prefix", "D08", "entra", _in_root("<foo:bar/>"),
               reject("xml.namespace"), "undeclared prefix"),
          Case("d08.rebind_xml_prefix", "D08", "entra", _on_root('xmlns:xml="urn:x"'),
               reject("xml.namespace"), "xml prefix rebound"),
          Case("d08.declare_xmlns_prefix", "D08", "entra", _on_root('xmlns:xmlns="urn:x"'),
               reject("xml.namespace"), "xmlns prefix declared"),
          Case("d08.xml_uri_other_prefix", "D08", "entra",
               _on_root('xmlns:p="http://www.w3.org/XML/1998/namespace"'),
               reject("xml.namespace"), "the xml namespace bound to another prefix")]
    c += [Case("d09.duplicate_id_attribute", "D09", "entra",
               _sub('ID="_a0a1b2c3d4"', 'ID="_evil" ID="_a0a1b2c3d4"'),
               reject("xml.duplicate_attribute"), "ID twice on the Assertion"),
          Case("d09.duplicate_format", "D09", "entra",
               _sub("<NameID Format=", '<NameID Format="a" Format='),
               reject("xml.duplicate_attribute"), "Format twice on NameID"),
          Case("d09.duplicate_expanded_name", "D09", "entra",
               _on_root('xmlns:a1="urn:u" xmlns:b1="urn:u" a1:ID="x1" b1:ID="x2"'),
               reject("xml.duplicate_attribute"), "a1:ID and b1:ID expand to the same name"),
          Case("d09.duplicate_xmlns", "D09", "entra",
               _on_root('xmlns:s="urn:u1" xmlns:s="urn:u2"'),
               reject("xml.duplicate_attribute"), "xmlns:s declared twice")]
    for name, inner, code in (("nul_ref", "alice@example.com&#0;.evil", "xml.bad_reference"),
                              ("ctrl_ref", "alice&#1;@example.com", "xml.bad_reference"),
                              ("surrogate_ref", "alice&#xD800;", "xml.bad_reference"),
                              ("beyond_unicode_ref", "alice&#x110000;", "xml.bad_reference"),
                              ("fffe_ref", "alice&#xFFFE;", "xml.bad_reference"),
                              ("unknown_entity", "alice&foo;", "xml.bad_reference"),
                              ("bare_ampersand", "A & B", "xml.bad_reference"),
                              ("amp_without_semicolon", "A &amp B", "xml.bad_reference"),
                              ("raw_ctrl_char", "alice\x01", "xml.invalid_char"),
                              ("raw_form_feed", "alice\x0c", "xml.invalid_char"),
                              ("raw_fffe", "alice\ufffe", "xml.invalid_char")):
        row = "D12" if "amp" in name else "D10"
        c.append(Case("d10.%s" % name, row, "entra", _nameid(inner), reject(code),
                      "NameID %r" % inner))
    c += [Case("d10.char_refs_decoded_in_nameid", "D10", "entra",
               _nameid("&#97;lice&#x40;example.com"), accept(),
               "char refs change nothing under c14n: the signature holds and the value is "
               "decoded (alice@example.com), never the raw reference text"),
          Case("d10.char_refs_decoded_in_attribute", "D10", "entra",
               _sub(">Alice<", ">Al&#105;ce<"), accept(attrs={"firstName": ["Alice"]}),
               "same in an AttributeValue"),
          Case("d10.escapes_rewritten_equivalently", "D10",
               G.entra(attributes=[("firstName", ["A&<>\"'"])]),
               _sub("A&amp;&lt;&gt;\"'<", "A&#38;&#60;>&quot;&apos;<"),
               accept(attrs={"firstName": ["A&<>\"'"]}),
               "other spellings of the same characters: same c14n, same decoded value")]
    c.append(Case("d10.nul_in_id", "D10", "entra",
                  _sub('ID="_a0a1b2c3d4"', 'ID="_a0a1b2c3d4&#0;x"'),
                  reject("xml.bad_reference"), "&#0; inside an ID"))
    for name, bad in (("byte_ff", b"\xff"), ("overlong_slash", b"\xc0\xaf"),
                      ("encoded_surrogate", b"\xed\xa0\x80"), ("above_10ffff", b"\xf4\x90\x80\x80"),
                      ("truncated_sequence", b"\xe6\xbc")):
        c.append(Case("d10.utf8_%s" % name, "D10", "entra",
                      _bytes(lambda b, bad=bad: b.replace(b">alice@", b">alice" + bad + b"@", 1)),
                      reject("input.bad_utf8"), "invalid UTF-8 %r in NameID" % bad))
    c += [Case("d11.utf16le_bom", "D11", "entra",
               lambda t: b"\xff\xfe" + t.replace("UTF-8", "UTF-16").encode("utf-16-le"),
               reject("input.bad_utf8"), "UTF-16LE BOM"),
          Case("d11.utf16be_bom", "D11", "entra",
               lambda t: b"\xfe\xff" + t.replace("UTF-8", "UTF-16").encode("utf-16-be"),
               reject("input.bad_utf8"), "UTF-16BE BOM"),
          Case("d11.utf16le_doctype_no_bom", "D11", "entra",
               lambda t: ("<!DOCTYPE r>" + t.split("\n", 1)[1]).encode("utf-16-le"),
               one_of(reject("input.bad_utf8"), reject("xml.invalid_char")),
               "UTF-16 without BOM: NUL bytes are not XML characters"),
          Case("d11.latin1_declaration", "D11", "entra",
               _sub('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
               reject("xml.bad_declaration"), "non-UTF-8 encoding declared"),
          Case("d11.utf16_declaration_utf8_bytes", "D11", "entra",
               _sub('encoding="UTF-8"', 'encoding="UTF-16"'), reject("xml.bad_declaration"),
               "UTF-16 declared over UTF-8 bytes")]
    c += [Case("d12.junk_after_root", "D12", "entra", lambda t: (t + "junk").encode(),
               reject("xml.root"), "text after the root"),
          Case("d12.junk_before_root", "D12", "entra", _after_decl("junk"),
               reject("xml.root"), "text before the root"),
          Case("d12.element_after_root", "D12", "entra", lambda t: (t + "<x/>").encode(),
               reject("xml.root"), "second top-level element"),
          Case("d12.two_declarations", "D12", "entra",
               _after_decl('<?xml version="1.0"?>'), reject("xml.bad_declaration"),
               "two XML declarations"),
          Case("d12.declaration_not_first", "D12", "entra", lambda t: (" " + t).encode(),
               reject("xml.bad_declaration"), "whitespace before the declaration"),
          Case("d12.version_1_1", "D12", "entra", _sub('version="1.0"', 'version="1.1"'),
               reject("xml.bad_declaration"), "XML 1.1"),
          Case("d12.lt_in_attribute", "D12", "entra", _on_root("x='1<2'"),
               reject("xml.bad_attribute_value"), "raw < in an attribute value"),
          Case("d12.cdata_end_in_text", "D12", "entra", _nameid("x]]>y"),
               reject("xml.bad_text"), "]]> in character data"),
          Case("d12.double_hyphen_comment", "D12", "entra", _in_root("<!-- a -- b -->"),
               reject("xml.malformed"), "-- inside a comment"),
          Case("d12.unclosed", "D12", "entra", lambda t: t[:t.rindex("</")].encode(),
               reject("xml.malformed"), "root never closed"),
          Case("d12.mismatched_tag", "D12", "entra", _sub("</NameID>", "</NameId>"),
               reject("xml.malformed"), "end tag does not match"),
          Case("d12.empty_input", "D12", "entra", lambda t: b"", reject("input.empty"),
               "nothing posted"),
          Case("d12.whitespace_input", "D12", "entra", lambda t: b" \r\n\t ",
               reject("input.empty"), "whitespace only"),
          Case("d12.comment_only_document", "D12", "entra", lambda t: b"<!-- x -->",
               reject("xml.root"), "no element at all")]
    return c


def e_cases():
    pad = "<!--%s-->" % ("x" * (1100 * 1024))
    deep = "<p:Extensions xmlns:p=\"%s\">%s%s</p:Extensions>" % (B.NS_P, "<a>" * 100000,
                                                                 "</a>" * 100000)
    attrs = "<x %s/>" % " ".join('a%d="1"' % i for i in range(50000))
    nsdecl = "<x %s/>" % " ".join('xmlns:n%d="urn:%d"' % (i, i) for i in range(10000))
    return [
        Case("e01.xxe_file", "E01", "entra", lambda t: _after_decl(
            '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>')(
                t.replace(">Alice<", ">&x;<", 1)), reject("xml.doctype_forbidden"), "XXE"),
        Case("e02.billion_laughs", "E02", "entra", _after_decl(
            '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
                '<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10)
                for i in range(1, 10)) + "]>"), reject("xml.doctype_forbidden"), "XEE"),
        Case("e03.oversize_xml", "E03", "entra", _in_root(pad), reject("input.too_large"),
             "1.1 MiB of raw XML"),
        Case("e03.oversize_base64", "E03", "entra",
             lambda t: base64.b64encode(b" " * (8 * 1024 * 1024)),
             reject("input.too_large"), "8 MiB base64 POST: cap before decoding"),
        Case("e03.base64_junk", "E03", "entra",
             lambda t: base64.b64encode(t.encode())[:400] + b"*!*" +
             base64.b64encode(t.encode())[400:], reject("input.bad_base64"),
             "non-alphabet characters"),
        Case("e03.base64_bad_padding", "E03", "entra",
             lambda t: base64.b64encode(t.encode()).rstrip(b"=") + b"=A=",
             reject("input.bad_base64"), "padding in the middle"),
        Case("e04.deep_nesting", "E04", "entra", _in_root(deep), reject("xml.limit"),
             "100,000 nested elements"),
        Case("e04.many_attributes", "E04", "entra", _in_root(attrs), reject("xml.limit"),
             "50,000 attributes on one element"),
        Case("e04.many_namespace_declarations", "E04", "entra", _in_root(nsdecl),
             reject("xml.limit"), "10,000 namespace declarations on one element"),
    ]


def cases():
    return d_cases() + e_cases()
