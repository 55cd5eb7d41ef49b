#!/usr/bin/python3
"""Attack suite for `claimgate verify` (SECURITY.md sections A-F, stateless rows).

Usage: run_attacks.py CLAIMGATE_BIN [--only SUBSTR] [--keep DIR] [--summary] [-v]
Generates keys and fixtures in a temp dir (xmlsec1 signs; nothing is committed), runs
`verify` once per case, asserts the exit code and the exact error.code (or, when accepted,
the subject and attributes), then checks the several-FILEs form. Prints one line per failure
and finally "N passed, M failed"; exits 1 on any failure.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))

import cases_a  # noqa: E402
import cases_b  # noqa: E402
import cases_d  # noqa: E402
import cases_f  # noqa: E402
from samlgen import builder as B  # noqa: E402
from samlgen import goods as G  # noqa: E402
from samlgen import keys as K  # noqa: E402
from samlgen import signer as S  # noqa: E402


def all_cases(keys):
    cases = cases_a.cases() + cases_b.cases() + cases_d.cases() + cases_f.cases()
    cases_b.fix_attacker_cert(cases, keys)
    names = collections.Counter(c.name for c in cases)
    dups = [n for n, k in names.items() if k > 1]
    if dups:
        raise SystemExit("duplicate case names: %s" % dups)
    return cases


def generate(cases, keys, workdir):
    """Signs every document the cases need (batched) and writes each case's input file."""
    bases = {"okta": G.okta(), "entra": G.entra(), "resp": G.response_only()}
    specs, index = [], {}
    for case in cases:
        for d in case.docs:
            spec = bases[d] if isinstance(d, str) else d
            if id(spec) not in index:
                index[id(spec)] = len(specs)
                specs.append(spec)
    texts = S.sign_docs(specs, keys, workdir)
    errors = []
    for i, case in enumerate(cases):
        docs = [bases[d] if isinstance(d, str) else d for d in case.docs]
        case.dummy = any(d.dummy for d in docs)
        try:
            data = case.post(*[texts[index[id(d)]] for d in docs])
        except Exception as e:  # a broken mutation is a failure of this suite, not skipped
            errors.append("%s: mutation failed: %r" % (case.name, e))
            case.path = None
            continue
        case.path = os.path.join(workdir, "case-%03d.xml" % i)
        with open(case.path, "wb") as f:
            f.write(data)
    return errors


def cert_path(case, keys, workdir):
    if case.cert in keys:
        return keys[case.cert].cert_path
    path = os.path.join(workdir, "cert-%s.pem" % case.cert)
    with open(path, "wb") as f:
        f.write(b"" if case.cert == "empty" else b"-----BEGIN CERTIFICATE-----\nnot a "
                b"certificate\n-----END CERTIFICATE-----\n")
    return path


def arg_path(arg, keys, workdir):
    """"@cert:NAME" is a key's certificate, "@md:KIND" an IdP metadata file made for it."""
    if arg.startswith("@cert:"):
        return keys[arg[len("@cert:"):]].cert_path
    if arg.startswith("@md:"):
        path = os.path.join(workdir, "metadata-%s.xml" % arg[len("@md:"):])
        with open(path, "w") as f:
            f.write(cases_b.metadata(arg[len("@md:"):], keys))
        return path
    return arg


def command(binary, case, keys, workdir, files):
    args = [binary, "verify"]
    if case.cert is not None:
        args += ["--idp-cert", cert_path(case, keys, workdir)]
    if case.entity_id:
        args += ["--idp-entity-id", B.IDP]
    extra = [arg_path(a, keys, workdir) for a in case.args]
    args += ["--sp-entity-id", B.SP, "--acs-url", B.ACS, "--now", case.now] + extra
    return args + files


def run(binary, case, keys, workdir):
    stdin = None
    files = [case.path]
    if case.stdin:
        with open(case.path, "rb") as f:
            stdin = f.read()
        files = ["-"]
    try:
        proc = subprocess.run(command(binary, case, keys, workdir, files), input=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    except subprocess.TimeoutExpired:
        return None, None, "timeout"
    out = proc.stdout.decode("utf-8", "replace").strip()
    try:
        doc = json.loads(out) if out else None
    except ValueError:
        doc = None
    return proc.returncode, doc, proc.stderr.decode("utf-8", "replace").strip()[-1000:]


def matches(exp, rc, doc, err=""):
    if exp[0] == "usage":
        return rc == 2 and all(n in err for n in exp[1])
    if doc is None or not isinstance(doc, dict):
        return False
    if exp[0] == "reject":
        return (rc == 1 and doc.get("decision") == "rejected"
                and (doc.get("error") or {}).get("code") == exp[1])
    if rc != 0 or doc.get("decision") != "accepted" or doc.get("subject") != exp[1]:
        return False
    attrs = doc.get("attributes") or {}
    return all(attrs.get(k) == v for k, v in (exp[2] or {}).items())


def describe(rc, doc, err):
    if rc is None:
        return "TIMEOUT"
    if isinstance(doc, dict):
        code = (doc.get("error") or {}).get("code")
        return "rc=%s %s%s" % (rc, doc.get("decision"), " " + code if code else
                               " subject=%r" % doc.get("subject"))
    return "rc=%s no JSON (stderr: %s)" % (rc, err.splitlines()[-1] if err else "")


def check_multi(binary, cases, keys, workdir):
    """The several-FILEs form: one JSON object per line, in order."""
    failures = []
    goods = [c for c in cases if c.name.startswith("good.") and c.path and not c.args and
             c.cert == "idp" and not c.stdin and c.expect[0][0] == "accept"]
    bad = next(c for c in cases if c.name == "a13.stripped.okta")
    for label, batch, want_rc in (("all good", goods, 0),
                                  ("mixed", [goods[0], bad, goods[1]], 1)):
        proc = subprocess.run(command(binary, goods[0], keys, workdir, [c.path for c in batch]),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        lines = proc.stdout.decode("utf-8", "replace").strip().split("\n")
        ok = proc.returncode == want_rc and len(lines) == len(batch)
        for c, line in zip(batch, lines):
            try:
                doc = json.loads(line)
            except ValueError:
                doc = None
            ok = ok and matches(c.expect[0], 0 if c is not bad else 1, doc)
        if not ok:
            failures.append("FAIL multi-file (%s, %d files): rc=%s, %d lines" % (
                label, len(batch), proc.returncode, len(lines)))
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--only")
    ap.add_argument("--keep")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    workdir = tempfile.mkdtemp(prefix="cg-attacks-")
    try:
        keys = K.make_keys(os.path.join(workdir, "keys"))
        cases = all_cases(keys)
        if args.only:
            cases = [c for c in cases if args.only in c.name]
        failures = generate(cases, keys, workdir)
        runnable = [c for c in cases if c.path]
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda c: run(args.binary, c, keys, workdir), runnable))
        passed = 0
        for case, (rc, doc, err) in zip(runnable, results):
            if rc is not None and any(matches(e, rc, doc, err) for e in case.expect):
                passed += 1
                if args.verbose:
                    print("ok   %s: %s" % (case.name, describe(rc, doc, err)))
                continue
            want = " or ".join(" ".join(str(x) for x in e[:2] if x) for e in case.expect)
            failures.append("FAIL %s [%s]: expected %s; got %s -- %s%s" % (
                case.name, case.row, want, describe(rc, doc, err), case.why,
                " [xmlsec1 could not sign: dummy values]" if case.dummy else ""))
        if not args.only:
            multi = check_multi(args.binary, runnable, keys, workdir)
            failures += multi
            passed += 2 - len(multi)
        for f in failures:
            print(f)
        if args.summary:
            rows = collections.Counter(c.row for c in cases)
            print("cases per row: " + ", ".join("%s=%d" % kv for kv in sorted(rows.items())))
            print("dummy-valued (xmlsec1 could not sign): " +
                  ", ".join(c.name for c in cases if getattr(c, "dummy", False)))
        print("%d passed, %d failed" % (passed, len(failures)))
        return 1 if failures else 0
    finally:
        if args.keep:
            shutil.copytree(workdir, args.keep, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
