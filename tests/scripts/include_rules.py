#!/usr/bin/env python3
"""Layering check (STYLE.md §2): reads every #include of the sources and fails when a folder
includes one it must not, when Botan/SQLite/nlohmann headers leak outside their adapter
folders, or when a *_internal.h header is included from another folder.

usage: include_rules.py SOURCE_DIR        (prints "N passed, M failed")
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)

# folder -> folders of ours it may include (base is implied for all but base itself).
ALLOWED = {
    "base": set(),
    "crypto": {"base"},
    "engine/xml": {"base"},
    "engine/dsig": {"base", "crypto", "engine/xml"},
    "engine/saml": {"base", "engine/xml", "engine/dsig"},
    "engine": {"base"},  # decode.{h,cc}
    "rules": {"base", "rules"},
    "storage": {"base", "crypto"},
    "pipeline": {"base", "engine/xml", "engine/dsig", "engine/saml", "engine",
                        "rules", "storage"},
}
# third-party prefix -> the folders that may include it
THIRD_PARTY = {
    "botan/": {"engine/dsig", "crypto"},
    "sqlite3.h": {"storage"},
    "re2/": {"rules"},
    "nlohmann/": {"rules", "storage", "pipeline", "cli", "tests", "bench", "server"},
    "pugixml": {"engine/xml", "engine/dsig", "engine/saml", "pipeline", "tests", "bench"},
}
OURS = ("base/", "crypto/", "engine/", "rules/", "storage/", "pipeline/", "cli/", "server/", "tests/")


def folder_of(path):
    d = os.path.dirname(path)
    if d.startswith("rules"):
        return "rules"
    if d.startswith("storage"):
        return "storage"
    return d


def owner_of(include):
    d = os.path.dirname(include)
    return "rules" if d.startswith("rules") else d


def main():
    passed = failed = 0
    for top in ("base", "crypto", "engine", "rules", "storage", "pipeline"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if not f.endswith((".h", ".cc")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, f), ROOT)
                here = folder_of(path)
                text = open(os.path.join(ROOT, path), encoding="utf-8").read()
                for inc in INCLUDE.findall(text):
                    ok, why = True, ""
                    if inc.startswith(OURS):
                        there = owner_of(inc)
                        if there != here and there not in ALLOWED.get(here, set()) | {"base"}:
                            ok, why = False, "%s may not include %s" % (here, there)
                        if here == "base" and there != "base":
                            ok, why = False, "base includes nothing of ours"
                        if inc.endswith("_internal.h") and there != here:
                            ok, why = False, "internal header of another folder"
                    for prefix, folders in THIRD_PARTY.items():
                        if inc.startswith(prefix) and here not in folders:
                            ok, why = False, "%s is private to %s" % (prefix, sorted(folders))
                        if inc.startswith("botan/") and path.endswith(".h"):
                            ok, why = False, "no header includes Botan (STYLE C9)"
                    if inc == "sqlite3.h" and path.endswith(".h"):
                        ok, why = False, "headers forward-declare sqlite3 (STYLE C12)"
                    if ok:
                        passed += 1
                    else:
                        failed += 1
                        print("FAIL %s: #include %s: %s" % (path, inc, why))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
