"""The Case record and the expectation helpers shared by the case lists.

Contract: a Case names its SECURITY.md row, the documents it needs (DocSpecs signed by the
runner, or names of shared bases), a post(*signed_texts) -> bytes mutation, verify
arguments, and an expectation: reject(code), accept(subject, attrs), usage() (exit 2), or
one_of(...) when SECURITY.md leaves two answers equally correct (the why says which).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from samlgen import builder as B  # noqa: E402,F401
from samlgen import goods as G  # noqa: E402,F401
from samlgen import signer as S  # noqa: E402,F401


class Case:
    def __init__(self, name, row, docs, post, expect, why, args=(), cert="idp",
                 entity_id=True, now=B.NOW):
        self.name = name
        self.row = row
        self.docs = docs if isinstance(docs, list) else [docs]
        self.post = post
        self.expect = expect if isinstance(expect, list) else [expect]
        self.why = why
        self.args = list(args)
        self.cert = cert
        self.entity_id = entity_id  # pass --idp-entity-id IDP
        self.now = now
        self.stdin = False


def reject(code):
    return ("reject", code)


def accept(subject="alice@example.com", attrs=None):
    return ("accept", subject, attrs)


def usage(*stderr_needles):
    """Exit 2; stderr must contain every needle (the option, file or code at fault)."""
    return ("usage", stderr_needles)


def one_of(*alternatives):
    return list(alternatives)


def same(text):
    return text.encode("utf-8")
