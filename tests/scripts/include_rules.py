#!/usr/bin/env python3
"""Layering check (DESIGN.md "Layout", STYLE.md §2): reads every #include of the sources and
fails when a folder includes one above it in the dependency graph

    cli -> server -> pipeline -> {engine, rules, storage} -> {crypto, base}
    fuzz -> server and everything below it (never cli)
    (inside engine: saml -> dsig -> xml; decode.{h,cc} at engine/ itself)

when a third-party header leaks outside the folders that adapt it, when a header includes
Botan or <sqlite3.h>, or when a *_internal.h header is included from another folder.

usage: include_rules.py SOURCE_DIR        (prints "N passed, M failed")
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)

# folder -> the folders of ours it may include besides itself: exactly the folders below it.
BELOW_ENGINE = {"base", "crypto"}
ALLOWED = {
    "base": {"include/claimgate"},  # claimgate/status.h is base's public half
    "crypto": {"base"},
    "engine/xml": BELOW_ENGINE,
    "engine/dsig": BELOW_ENGINE | {"engine/xml"},
    "engine/saml": BELOW_ENGINE | {"engine/xml", "engine/dsig"},
    "engine": BELOW_ENGINE,  # decode.{h,cc}
    "rules": {"base"},
    "storage": {"base", "crypto"},
}
ALLOWED["pipeline"] = (BELOW_ENGINE | {"engine", "engine/xml", "engine/dsig", "engine/saml",
                                       "rules", "storage", "include/claimgate"})
ALLOWED["include/claimgate"] = set()  # the installed headers include only each other
ALLOWED["server"] = ALLOWED["pipeline"] | {"pipeline"}
ALLOWED["cli"] = ALLOWED["server"] | {"server"}
# fuzz/ (libFuzzer targets) sits beside cli: it may include every library folder, not cli.
ALLOWED["fuzz"] = ALLOWED["cli"]
CHECKED = list(ALLOWED)

# third-party prefix -> the folders that may include it (tests, bench and fuzz may use any).
FREE = {"tests", "bench", "fuzz", "examples"}
THIRD_PARTY = {
    "botan/": {"engine/dsig", "crypto"},
    "sqlite3.h": {"storage"},
    "re2/": {"rules"},
    "nlohmann/": {"rules", "storage", "pipeline", "server", "cli"},
    "pugixml": {"engine/xml", "engine/dsig", "engine/saml", "pipeline"},
    "httplib": {"server"},
    "CLI/": {"cli"},
    "spdlog/": {"server", "cli"},
    "zlib.h": {"engine/saml", "server"},
}
OURS = ("base/", "crypto/", "engine/", "rules/", "storage/", "pipeline/", "server/", "cli/",
        "claimgate/", "tests/", "fuzz/")


def folder_of(path):
    """The layer a file belongs to: its folder, with rules/ and storage/ subfolders folded in."""
    d = os.path.dirname(path)
    for top in ("rules", "storage", "pipeline", "server", "cli", "crypto", "base", "fuzz"):
        if d == top or d.startswith(top + "/"):
            return top
    return d


def owner_of(include):
    if include.startswith("claimgate/"):
        return "include/claimgate"
    return folder_of(include)


def check_file(path):
    """Yields (ok, include, why) for every #include of `path`."""
    here = folder_of(path)
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    for inc in INCLUDE.findall(text):
        ok, why = True, ""
        if inc.startswith(OURS):
            there = owner_of(inc)
            if here == "base" and there == "include/claimgate" and inc != "claimgate/status.h":
                ok, why = False, "base includes only claimgate/status.h of the public headers"
            elif there != here and there not in ALLOWED.get(here, set()):
                ok, why = False, "%s may not include %s (it is not below it)" % (here, there)
            if inc.endswith("_internal.h") and there != here:
                ok, why = False, "internal header of another folder"
        for prefix, folders in THIRD_PARTY.items():
            if inc.startswith(prefix) and here not in folders and here not in FREE:
                ok, why = False, "%s is private to %s" % (prefix, sorted(folders))
        if inc.startswith("botan/") and path.endswith(".h"):
            ok, why = False, "no header includes Botan (STYLE C9)"
        if inc == "sqlite3.h" and path.endswith(".h"):
            ok, why = False, "headers forward-declare sqlite3 (STYLE C12)"
        yield ok, inc, why


def main():
    passed = failed = 0
    tops = sorted({f.split("/")[0] for f in CHECKED})
    for top in tops:
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if not f.endswith((".h", ".cc")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, f), ROOT)
                if folder_of(path) not in ALLOWED:
                    failed += 1
                    print("FAIL %s: folder %s is not in the layer table" % (path, folder_of(path)))
                    continue
                for ok, inc, why in check_file(path):
                    if ok:
                        passed += 1
                    else:
                        failed += 1
                        print("FAIL %s: #include %s: %s" % (path, inc, why))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
