#!/usr/bin/env python3
"""The exit-code table (cli/exit_codes.h, README "Exit codes") command by command, and the bad
input of issue 15 that used to crash the CLI or get through.

  0  done / accepted      1  rejected / verification failed      2  could not do it
  128+N  stopped by signal N (verify FILE...)

usage: exit_codes_test.py CLAIMGATE_BIN      (prints "N passed, M failed"; exit 1 on failure)
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
EXAMPLES = os.path.join(ROOT, "examples")
BIN = os.path.abspath(sys.argv[1])
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", what, flush=True)


def run(*args, stdin=None, user=None):
    cmd = [BIN] + list(args)
    if user is not None:
        cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user, "--clear-groups"] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True, input=stdin)
    return p.returncode, p.stdout, p.stderr


def ex(*parts):
    return os.path.join(EXAMPLES, *parts)


VERIFY = ["verify", "--idp-metadata", ex("idp", "metadata.xml"),
          "--sp-entity-id", "https://sp.example/saml/acme",
          "--acs-url", "https://sp.example/saml/acme/acs"]


def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)
    return path


def table(tmp):
    """One row per (command, situation): the exit code and a word of the message."""
    db = os.path.join(tmp, "t.db")
    good = ex("verify", "okta-response.xml")
    tampered = write(os.path.join(tmp, "tampered.xml"),
                     open(good).read().replace("alice@acme.example<", "mallory@acme.example<"))
    empty_db = write(os.path.join(tmp, "empty.db"), "")
    big = write(os.path.join(tmp, "big.json"),
                '{"subject":"a","attributes":{"x":[1e999]}}')
    attrs = write(os.path.join(tmp, "attrs.json"),
                  '{"subject":"a@acme.example","attributes":{"roles":["agent"],'
                  '"email":["a@acme.example"],"firstName":["A"],"lastName":["B"]}}')
    no_role = write(os.path.join(tmp, "no-role.json"),
                    '{"subject":"a@acme.example","attributes":{"email":["a@acme.example"]}}')
    c14n_bad = write(os.path.join(tmp, "doctype.xml"), '<!DOCTYPE r><r/>')
    flex = ex("flex", "responses", "1-first-login.xml")
    D = ["--db", db]
    rows = [
        # (args, exit, needle in stdout+stderr)
        (["error-codes"], 0, "signature.digest_mismatch"),
        (["--db", "", "users", "list"], 2, "--db"),
        (["--db", os.path.join(tmp, "absent.db"), "users", "list"], 2, "storage.open"),
        (["--db", empty_db, "users", "list"], 2, "storage.not_claimgate"),
        (["--db", empty_db, "process", "--connection", "acme-flex", flex], 2,
         "storage.not_claimgate"),
        (["--db", tmp, "users", "list"], 2, "is a directory"),
        (D + ["connection", "add", ex("flex", "connection.json")], 0, "added"),
        (D + ["connection", "add", ex("flex", "connection.json")], 2, "already exists"),
        (D + ["connection", "add", tmp], 2, "is a directory"),
        (D + ["connection", "update", ex("console", "connection.json")], 2, "does not exist"),
        (D + ["connection", "list"], 0, "acme-flex"),
        (D + ["connection", "show", "acme-flex"], 0, "acme-flex"),
        (D + ["connection", "show", "nope"], 2, "provisioning.unknown_connection"),
        (D + ["connection", "remove", "nope"], 2, "storage.not_found"),
        (D + ["process", "--connection", "acme-flex", flex], 0, '"accepted"'),
        (D + ["process", "--connection", "acme-flex", flex], 1, "replay.detected"),
        (D + ["process", "--connection", "nope", flex], 2, "nope"),
        (D + ["process", "--connection", "acme-flex", os.path.join(tmp, "missing.xml")], 2,
         "missing.xml: no such file"),
        (D + ["process", "--connection", "acme-flex", tmp], 2, "is a directory"),
        # "+00:00" names UTC as "Z" does (base/civil_time.h): not a usage error.
        (D + ["process", "--connection", "acme-flex", "--now", "2020-09-25T16:00:00+00:00",
              ex("flex", "responses", "2-returning-login.xml")], 1, "time.issue_instant"),
        (D + ["process", "--connection", "acme-flex", "--now", "2026-01-01T00:01:00+00:00",
              ex("flex", "responses", "2-returning-login.xml")], 0, '"accepted"'),
        (D + ["process", "--connection", "acme-flex", "--now", "yesterday", flex], 2, "--now"),
        (D + ["users", "list"], 0, "alice@acme.example"),
        (D + ["users", "list", "--connection", "nope"], 2, "provisioning.unknown_connection"),
        (D + ["users", "show", "--connection", "acme-flex", "alice@acme.example"], 0, "agent"),
        (D + ["users", "show", "--connection", "acme-flex", "nobody"], 2, "storage.not_found"),
        (D + ["users", "show", "--connection", "nope", "x"], 2, "provisioning.unknown_connection"),
        (D + ["users", "add", "--connection", "nope", "x"], 2, "provisioning.unknown_connection"),
        (D + ["users", "add", "--connection", "acme-flex", "alice@acme.example"], 2,
         "provisioning.user_exists"),
        (D + ["users", "add", "--connection", "acme-flex", "--email", "notanemail", "n1"], 2,
         "storage.invalid_argument"),
        (D + ["users", "add", "--connection", "acme-flex", "--email", "n@evil.example", "n2"], 2,
         "provisioning.domain_not_allowed"),
        (D + ["users", "add", "--connection", "acme-flex", "--email", "ALICE@acme.example", "n3"],
         2, "provisioning.email_in_use"),
        (D + ["users", "add", "--connection", "acme-flex", "--permission", "", "n4"], 2,
         "storage.invalid_argument"),
        (D + ["users", "add", "--connection", "acme-flex", "--permission", "flex admin", "n5"], 2,
         "white space"),
        (D + ["users", "add", "--connection", "acme-flex", "--email", "bob@acme.example",
              "--permission", "agent", "bob@acme.example"], 0, "created"),
        (D + ["users", "disable", "--connection", "acme-flex", "nobody"], 2, "storage.not_found"),
        (D + ["users", "grant", "--connection", "acme-flex", "nobody", "agent"], 2,
         "storage.not_found"),
        (D + ["users", "grant", "--connection", "acme-flex", "bob@acme.example", "a b"], 2,
         "storage.invalid_argument"),
        (D + ["users", "grant", "--connection", "acme-flex", "bob@acme.example", "admin"], 0,
         "granted"),
        (D + ["audit", "list"], 0, "login"),
        (D + ["audit", "list", "--since", "tuesday"], 2, "--since"),
        (D + ["audit", "verify"], 0, "audit chain ok"),
        (D + ["sp-metadata", "--connection", "acme-flex"], 0, "EntityDescriptor"),
        (D + ["sp-metadata", "--connection", "nope"], 2, "nope"),
        (D + ["login-url", "--connection", "nope"], 2, "nope"),
        (VERIFY + [good], 0, '"accepted"'),
        (VERIFY + ["--now", "2026-01-01T00:00:00+00:00", good], 0, '"accepted"'),
        (VERIFY + [tampered], 1, "signature.digest_mismatch"),
        (VERIFY + [os.path.join(tmp, "missing.xml")], 2, "input.unreadable"),
        (VERIFY + [tmp], 2, "is a directory"),
        (VERIFY[:2] + [tmp] + VERIFY[3:] + [good], 2, "is a directory"),
        (["verify", "--idp-cert", ex("idp", "example-idp.pem"), good], 2, "--sp-entity-id"),
        (["rules", "check", ex("rules", "reference.json")], 0, "ok"),
        (["rules", "check", ex("rules", "broken.json")], 2, "rules."),
        (["rules", "check", tmp], 2, "is a directory"),
        (["rules", "check", os.path.join(tmp, "missing.json")], 2, "no such file"),
        (["rules", "test", "profile:flex", "--attributes", attrs], 0, '"accepted"'),
        (["rules", "test", "profile:flex", "--attributes", no_role], 1, "rules.required_missing"),
        (["rules", "test", "profile:flex", "--attributes", big], 2,
         "$.attributes.x[0]: a number out of range"),
        (["rules", "test", "profile:flex", "--attributes", tmp], 2, "is a directory"),
        (["c14n", good], 0, "Response"),
        (["c14n", c14n_bad], 1, "xml.doctype_forbidden"),
        (["c14n", os.path.join(tmp, "missing.xml")], 2, "no such file"),
        (["c14n", tmp], 2, "is a directory"),
    ]
    for args, want, needle in rows:
        rc, out, err = run(*args)
        label = " ".join(a.replace(tmp, "TMP").replace(EXAMPLES, "EX") for a in args)
        check(rc == want, "%s: exit %s, want %s (%s)" % (label, rc, want, (err or out).strip()[:300]))
        check(needle in out + err, "%s: %r not in %r" % (label, needle, (out + err)[:300]))
        check(rc < 128, "%s: no crash (exit %s)" % (label, rc))
    # The audit chain, once edited, is a verdict of "no" (1), not an error.
    import sqlite3
    with sqlite3.connect(db) as c:
        c.execute("UPDATE audit SET subject = 'x' WHERE id = 1")
    rc, out, _ = run("--db", db, "audit", "verify")
    check(rc == 1 and "BROKEN" in out, "edited audit chain: exit %s %s" % (rc, out))


def connection_files(tmp):
    """Connection files that crashed `connection add` or weakened a check."""
    db = os.path.join(tmp, "c.db")
    md = ex("idp", "metadata.xml")

    def conn(name, extra):
        doc = ('{"name": "%s", "profile": "flex", "sp": {"entity_id": "https://sp.example/%s",'
               ' "acs_url": "https://sp.example/%s/acs"}, "idp": {"metadata_file": "%s"}%s}'
               % (name, name, name, md, extra))
        return write(os.path.join(tmp, name + ".json"), doc)

    der = os.path.join(tmp, "idp.der")
    subprocess.run(["openssl", "x509", "-in", ex("idp", "example-idp.pem"), "-outform", "der",
                    "-out", der], check=True)
    der_conn = write(os.path.join(tmp, "der.json"), json.dumps({
        "name": "der", "profile": "console",
        "sp": {"entity_id": "https://sp.example/der", "acs_url": "https://sp.example/der/acs"},
        "idp": {"entity_id": "http://www.okta.com/exkexample", "certificates": [der]}}))
    cases = [
        (conn("big", ', "rules": {"version": 1, "extends": "flex", "x": 1e999}'),
         "$.rules.x: a number out of range"),
        (conn("dup", ', "provisioning": {"attribute_policy": {"roles": "always", "roles": "never"}}'),
         "$.provisioning.attribute_policy.roles: this key appears twice"),
        (conn("both", ', "rules": {"version": 1, "extends": "flex"}, "rules_file": "x.json"'),
         "not both"),
        (conn("policy", ', "provisioning": {"attribute_policy": {"role": "always"}}'),
         "$.provisioning.attribute_policy.role"),
        (conn("domain", ', "provisioning": {"enforced_domains": ["@acme.example"]}'),
         "$.provisioning.enforced_domains[0]"),
        (conn("perm", ', "provisioning": {"default_permissions": [""]}'),
         "$.provisioning.default_permissions[0]"),
        (conn("relay", ', "relay_state_allow_list": ["*"]'), "$.relay_state_allow_list[0]"),
        (conn("idpinit", ', "provisioning": {"mode": "jit-idp-initiated"},'
                         ' "security": {"allow_idp_initiated": false}'),
         "$.security.allow_idp_initiated"),
        (der_conn, "$.idp.certificates[0]: %s is not a PEM certificate" % der),
    ]
    md_is_dir = write(os.path.join(tmp, "mddir.json"), open(conn("mddir", "")).read().replace(md, tmp))
    cases.append((md_is_dir, "$.idp.metadata_file: %s: is a directory" % tmp))
    for path, needle in cases:
        rc, out, err = run("--db", db, "connection", "add", path)
        name = os.path.basename(path)
        check(rc == 2, "connection add %s: exit %s, want 2 (%s)" % (name, rc, err.strip()[:300]))
        check("provisioning.bad_connection" in err and needle in err and path in err,
              "connection add %s: %r not in %r" % (name, needle, err[:400]))
    # Issue 15, replay across connections: a second connection with the same SP entity ID and
    # ACS URL would accept the same response once more. Refused, naming the first.
    first = ex("flex", "connection.json")
    twin = write(os.path.join(tmp, "twin.json"),
                 open(first).read().replace('"acme-flex"', '"acme-flex-2"')
                 .replace("../idp/metadata.xml", md))
    rc, _, err = run("--db", db, "connection", "add", first)
    check(rc == 0, "connection add flex: %s" % err)
    rc, _, err = run("--db", db, "connection", "add", twin)
    check(rc == 2 and "provisioning.sp_conflict" in err and "'acme-flex'" in err,
          "a second connection with the same SP is refused: %s %s" % (rc, err))
    rc, out, _ = run("--db", db, "process", "--connection", "acme-flex-2",
                     ex("flex", "responses", "1-first-login.xml"))
    check(rc == 2, "the refused twin does not exist: %s" % rc)


def bulk_verify(tmp):
    """verify FILE...: each line names its input, unreadable files get their own line and the
    run goes on, lines are whole when interrupted."""
    good = ex("verify", "okta-response.xml")
    tampered = write(os.path.join(tmp, "t.xml"),
                     open(good).read().replace("alice@acme.example<", "mallory@acme.example<"))
    missing = os.path.join(tmp, "missing.xml")
    rc, out, err = run(*(VERIFY + [good, missing, tmp, tampered, good]))
    lines = [json.loads(l) for l in out.splitlines()]
    check(rc == 2, "bulk with an unreadable file exits 2: %s" % rc)
    lines += [{}] * (5 - len(lines))
    check([l.get("input") for l in lines] == [good, missing, tmp, tampered, good],
          "every line names its input, in order: %s" % [l.get("input") for l in lines])
    check([l.get("decision") for l in lines] == ["accepted", "error", "error", "rejected",
                                                 "accepted"],
          "decisions: %s" % [l.get("decision") for l in lines])
    check(lines[1].get("error", {}).get("code") == "input.unreadable"
          and "no such file" in lines[1]["error"]["message"], "missing: %s" % lines[1])
    check("is a directory" in lines[2].get("error", {}).get("message", ""), "dir: %s" % lines[2])
    rc, out, _ = run(*(VERIFY + [good, tampered]))
    check(rc == 1, "bulk with a rejection exits 1: %s" % rc)
    rc, out, err = run(*(VERIFY + ["--progress", good, good]))
    check(rc == 0 and "2/2 inputs, 2 accepted" in err, "--progress: %s %r" % (rc, err))
    # SIGINT in the middle of a long run: the current line is finished, then the run stops.
    os.symlink(good, os.path.join(tmp, "g.xml"))
    n = 40000
    p = subprocess.Popen([BIN] + VERIFY + ["g.xml"] * n, cwd=tmp, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    lines = out.split("\n")
    check(lines[-1] == "", "output ends with a whole line")
    parsed = 0
    for l in lines[:-1]:
        try:
            parsed += json.loads(l)["decision"] == "accepted"
        except ValueError:
            check(False, "a half-written line: %r" % l[:100])
            break
    check(p.returncode == 128 + signal.SIGINT, "SIGINT exit %s" % p.returncode)
    check(0 < parsed < n, "stopped early with whole lines: %d of %d" % (parsed, n))
    check("interrupted after %d of %d" % (parsed, n) in err, "says where it stopped: %r" % err)


def read_only(tmp):
    """An archived copy or an auditor without write access: read commands work, writing
    commands fail with storage.read_only (exit 2), never a "rejected login"."""
    if os.geteuid() != 0:
        user = None  # permissions apply to us
    elif shutil.which("setpriv"):
        user = 65534  # root ignores file permissions: run as nobody
    else:
        print("SKIP read_only: root without setpriv")
        return
    ro = os.path.join(tmp, "ro")
    os.mkdir(ro)
    db = os.path.join(ro, "ro.db")
    run("--db", db, "connection", "add", ex("flex", "connection.json"))
    run("--db", db, "process", "--connection", "acme-flex", ex("flex", "responses", "1-first-login.xml"))
    # A clean close leaves no -wal/-shm: an archived copy is the file alone.
    check(not os.path.exists(db + "-wal"), "closed database has no -wal file")
    os.chmod(db, 0o444)
    os.chmod(ro, 0o555)
    os.chmod(tmp, 0o755)
    os.chmod(os.path.dirname(tmp), 0o755)  # mkdtemp made it 0700
    try:
        for args, needle in [(["connection", "list"], "acme-flex"),
                             (["users", "list"], "alice@acme.example"),
                             (["audit", "verify"], "audit chain ok"),
                             (["audit", "list"], "login"),
                             (["users", "show", "--connection", "acme-flex", "alice@acme.example"],
                              "agent"),
                             (["connection", "show", "acme-flex"], "acme-flex"),
                             (["sp-metadata", "--connection", "acme-flex"], "EntityDescriptor")]:
            rc, out, err = run("--db", db, *args, user=user)
            check(rc == 0 and needle in out, "read-only %s: exit %s %s" % (args, rc, err.strip()))
        rc, out, err = run("--db", db, "process", "--connection", "acme-flex",
                           ex("flex", "responses", "2-returning-login.xml"), user=user)
        check(rc == 2 and "storage.read_only" in err and '"rejected"' not in out,
              "read-only process: exit %s out=%r err=%r" % (rc, out[:200], err.strip()))
        rc, _, err = run("--db", db, "users", "disable", "--connection", "acme-flex",
                         "alice@acme.example", user=user)
        check(rc == 2 and "storage.read_only" in err, "read-only users disable: %s %s" % (rc, err))
        check(not os.path.exists(db + "-wal") and not os.path.exists(db + "-shm"),
              "nothing was written next to the read-only database")
    finally:
        os.chmod(ro, 0o755)
        os.chmod(db, 0o644)


def main():
    tmp = tempfile.mkdtemp(prefix="cg-exit-")
    try:
        for step in (table, connection_files, bulk_verify, read_only):
            d = os.path.join(tmp, step.__name__)
            os.mkdir(d)
            step(d)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
