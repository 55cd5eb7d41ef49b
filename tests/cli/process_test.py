#!/usr/bin/env python3
"""End-to-end tests of `claimgate process` as a process, on real databases.

1. Modes and codes: the example connections (flex, frontline, console, sendgrid) and their
   signed responses: exact decisions, error codes, provisioning actions and database contents.
2. Concurrency: 8 `claimgate process` processes x 200 distinct logins on one database at once:
   exactly 1600 audit rows, a valid chain, 1600 users, no storage.busy.
3. Crash safety: `process` killed with SIGKILL at random moments, many times; afterwards
   `audit verify` passes and every login that printed "accepted" is in the database.

usage: process_test.py CLAIMGATE_BIN [--quick]     (prints "N passed, M failed")
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
EXAMPLES = os.path.join(ROOT, "examples")
BIN = os.path.abspath(sys.argv[1])
QUICK = "--quick" in sys.argv
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", what, flush=True)


def run(db, *args, stdin=None):
    p = subprocess.run([BIN, "--db", db] + list(args), capture_output=True, text=True, input=stdin)
    return p.returncode, p.stdout, p.stderr


def process(db, conn, path, *extra):
    rc, out, err = run(db, "process", "--connection", conn, *extra, path)
    try:
        return rc, json.loads(out), err
    except ValueError:
        return rc, {}, err


def modes_and_codes(tmp):
    db = os.path.join(tmp, "modes.db")
    for p in ("flex", "frontline", "console", "sendgrid"):
        rc, _, err = run(db, "connection", "add", os.path.join(EXAMPLES, p, "connection.json"))
        check(rc == 0, "connection add %s: %s" % (p, err))
    rc, _, err = run(db, "connection", "add", os.path.join(EXAMPLES, "flex", "connection.json"))
    check(rc == 2 and "already exists" in err, "adding a connection twice is refused: %s" % err)
    r = lambda p, n: os.path.join(EXAMPLES, p, "responses", n)
    cases = [
        # (connection, file, extra args, exit, code or None, action)
        ("acme-flex", r("flex", "1-first-login.xml"), [], 0, None, "created"),
        ("acme-flex", r("flex", "2-returning-login.xml"), [], 0, None, "updated"),
        ("acme-flex", r("flex", "2-returning-login.xml"), [], 1, "replay.detected", "none"),
        ("acme-flex", r("flex", "3-rejected-no-role.xml"), [], 1, "rules.required_missing", "none"),
        ("acme-flex", r("frontline", "1-first-login.xml"), [], 1, "destination.mismatch", "none"),
        ("acme-frontline", r("frontline", "1-first-login.xml"), [], 0, None, "created"),
        ("acme-frontline", r("frontline", "3-rejected-other-domain.xml"), [], 1,
         "provisioning.domain_not_allowed", "none"),
        ("acme-console", r("console", "3-rejected-unknown-user.xml"), [], 1,
         "provisioning.unknown_user", "none"),
        ("acme-sendgrid", r("sendgrid", "3-rejected-new-user-sp-initiated.xml"),
         ["--in-response-to", "id-request-sg-3"], 1, "provisioning.sp_initiated_jit", "none"),
        ("acme-sendgrid", r("sendgrid", "2-returning-login-sp-initiated.xml"),
         ["--in-response-to", "id-request-other"], 1, "in_response_to.mismatch", "none"),
        ("acme-sendgrid", r("sendgrid", "1-first-login-idp-initiated.xml"), [], 0, None, "created"),
        ("acme-sendgrid", r("sendgrid", "2-returning-login-sp-initiated.xml"),
         ["--in-response-to", "id-request-sg-2"], 0, None, "updated"),
    ]
    for conn, path, extra, want_rc, want_code, want_action in cases:
        rc, out, err = process(db, conn, path, *extra)
        label = "%s %s" % (conn, os.path.basename(path))
        check(rc == want_rc, "%s: exit %s, want %s (%s)" % (label, rc, want_rc, err.strip()))
        check(out.get("error", {}).get("code") == want_code,
              "%s: code %s, want %s" % (label, out.get("error"), want_code))
        check(out.get("provisioning", {}).get("action") == want_action,
              "%s: action %s, want %s" % (label, out.get("provisioning"), want_action))
        check(("worker" in out) == (want_rc == 0), "%s: worker only when accepted" % label)
    # The returning flex login changed the name and added a role; image_url is on_create.
    rc, out, _ = run(db, "users", "show", "--connection", "acme-flex", "alice@acme.example")
    user = json.loads(out) if rc == 0 else {}
    attrs = user.get("attributes", {})
    check(attrs.get("full_name") == ["Alice Hargreaves"], "flex full_name updated: %s" % attrs)
    check(attrs.get("roles") == ["agent", "supervisor"], "flex roles updated: %s" % attrs)
    check(attrs.get("image_url") == ["https://img.acme.example/alice.png"],
          "image_url (on_create) survives a login without it: %s" % attrs)
    check(user.get("permissions") == ["agent"], "default permissions: %s" % user)
    # Console: an admin-made account signs in; a disabled account is refused.
    rc, _, err = run(db, "users", "add", "--connection", "acme-console", "--email",
                     "carol@acme.example", "carol@acme.example")
    check(rc == 0, "users add: %s" % err)
    rc, out, _ = process(db, "acme-console", r("console", "1-first-login.xml"))
    check(rc == 0 and out["provisioning"]["action"] == "updated", "console existing user: %s" % out)
    run(db, "users", "disable", "--connection", "acme-console", "carol@acme.example")
    rc, out, _ = process(db, "acme-console", r("console", "2-returning-login.xml"))
    check(rc == 1 and out.get("error", {}).get("code") == "provisioning.user_disabled",
          "disabled user refused: %s" % out.get("error"))
    # Every decision left one audit row, and the chain holds.
    rc, out, _ = run(db, "audit", "list", "--json", "--event", "login")
    rows = [json.loads(l) for l in out.splitlines() if l.strip()]
    check(len(rows) == len(cases) + 2, "one audit row per login: %d rows" % len(rows))
    rc, out, _ = run(db, "audit", "verify")
    check(rc == 0, "audit verify: %s" % out.strip())
    # Usage errors exit 2 and name what is at fault.
    rc, _, err = run(db, "process", "--connection", "nope", r("flex", "1-first-login.xml"))
    check(rc == 2 and "nope" in err, "unknown connection: %s" % err.strip())
    rc, _, err = run(db, "process", "--connection", "acme-flex", os.path.join(tmp, "missing.xml"))
    check(rc == 2 and "missing.xml" in err, "missing file: %s" % err.strip())
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        json.dump({"name": "x", "profile": "flex", "sp": {"entity_id": "e", "acs_url": "ftp://x"},
                   "idp": {"metadata_file": "../idp/metadata.xml"}}, f)
    rc, _, err = run(db, "connection", "add", bad)
    check(rc == 2 and "$.sp.acs_url" in err, "bad connection names the JSON path: %s" % err.strip())
    with open(bad, "w") as f:
        json.dump({"name": "x", "profile": "flex", "sp": {"entity_id": "e", "acs_url": "https://x/"},
                   "idp": {"metadata_file": os.path.join(EXAMPLES, "idp", "metadata.xml")},
                   "security": {"allow_sha_1": True}}, f)
    rc, _, err = run(db, "connection", "add", bad)
    check(rc == 2 and "$.security.allow_sha_1" in err, "a mistyped setting is refused: %s" % err.strip())


def rules_test_assertion():
    """`rules test --assertion` maps only what the verifier accepted."""
    base = ["rules", "test", "profile:flex", "--assertion",
            os.path.join(EXAMPLES, "flex", "responses", "1-first-login.xml"),
            "--idp-metadata", os.path.join(EXAMPLES, "idp", "metadata.xml"),
            "--acs-url", "https://sp.example/saml/acme-flex/acs"]
    p = subprocess.run([BIN] + base + ["--sp-entity-id", "https://sp.example/saml/acme-flex"],
                       capture_output=True, text=True)
    out = json.loads(p.stdout or "{}")
    check(p.returncode == 0 and out.get("worker", {}).get("roles") == ["agent"],
          "rules test --assertion maps the verified claims: %s %s" % (p.returncode, p.stdout))
    p = subprocess.run([BIN] + base + ["--sp-entity-id", "https://sp.example/other"],
                       capture_output=True, text=True)
    out = json.loads(p.stdout or "{}")
    check(p.returncode == 1 and out.get("error", {}).get("code") == "audience.mismatch",
          "rules test --assertion refuses what verify refuses: %s" % p.stdout)
    p = subprocess.run([BIN] + base, capture_output=True, text=True)
    check(p.returncode == 2 and "--sp-entity-id" in p.stderr,
          "rules test --assertion without the SP options is a usage error: %s" % p.stderr)


def bulk(tmp, n):
    out = os.path.join(tmp, "bulk")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "fixtures", "make_fixtures.py"),
                    "--bulk", str(n), out], check=True, capture_output=True)
    params = json.load(open(os.path.join(out, "params.json")))
    conn = os.path.join(out, "connection.json")
    with open(conn, "w") as f:
        json.dump({"name": "bulk", "profile": "sendgrid",
                   "sp": {"entity_id": params["sp_entity_id"], "acs_url": params["acs_url"]},
                   "idp": {"entity_id": params["idp_entity_id"], "certificates": ["cert.pem"]},
                   "provisioning": {"mode": "jit", "default_permissions": ["restricted"]}}, f)
    files = sorted(os.path.join(out, f) for f in os.listdir(out) if f.startswith("response-"))
    return conn, params, files


def concurrency(tmp, conn, params, files, workers, per_worker):
    db = os.path.join(tmp, "concurrent.db")
    rc, _, err = run(db, "connection", "add", conn)
    check(rc == 0, "bulk connection add: %s" % err)
    args = ["--now", params["now"], "--in-response-to", params["in_response_to"]]

    def worker(k):
        results = []
        for f in files[k * per_worker:(k + 1) * per_worker]:
            rc, out, err = process(db, "bulk", f, *args)
            results.append((rc, out.get("error", {}).get("code"), err))
        return results

    start = time.time()
    with ThreadPoolExecutor(workers) as pool:
        results = [r for rs in pool.map(worker, range(workers)) for r in rs]
    took = time.time() - start
    total = workers * per_worker
    accepted = sum(1 for rc, _, _ in results if rc == 0)
    codes = sorted(set(c for _, c, _ in results if c))
    check(accepted == total, "%d of %d concurrent logins accepted (codes %s)" % (accepted, total, codes))
    # One login row per login (`connection add` wrote a row of its own before them).
    rc, out, _ = run(db, "audit", "list", "--json", "--event", "login")
    check(len(out.splitlines()) == total, "%d audit rows, want %d" % (len(out.splitlines()), total))
    rc, out, _ = run(db, "audit", "verify")
    check(rc == 0, "audit chain after concurrency: %s" % out.strip())
    rc, out, _ = run(db, "users", "list", "--json")
    check(len(out.splitlines()) == total, "%d users, want %d" % (len(out.splitlines()), total))
    print("concurrency: %d processes x %d logins in %.1f s (%.0f logins/s)" %
          (workers, per_worker, took, total / took), flush=True)


def crash_loop(tmp, conn, params, files, rounds):
    db = os.path.join(tmp, "crash.db")
    run(db, "connection", "add", conn)
    rng = random.Random(20261123)
    printed_accepted, killed = [], 0
    for i, f in enumerate(files[:rounds]):
        p = subprocess.Popen([BIN, "--db", db, "process", "--connection", "bulk", "--now",
                              params["now"], "--in-response-to", params["in_response_to"], f],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(rng.uniform(0, 0.04))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        out, _ = p.communicate()
        if '"decision":"accepted"' in out:
            printed_accepted.append(json.loads(out)["subject"])
    rc, out, _ = run(db, "audit", "verify")
    check(rc == 0, "audit chain after %d kills: %s" % (killed, out.strip()))
    rc, out, _ = run(db, "users", "list", "--json")
    users = set(json.loads(l)["subject"] for l in out.splitlines() if l.strip())
    missing = [s for s in printed_accepted if s not in users]
    check(not missing, "logins printed accepted but missing after SIGKILL: %s" % missing[:5])
    check(killed > 0, "the loop killed at least one process (%d)" % killed)
    print("crash loop: %d runs, %d killed mid-flight, %d printed accepted, all present" %
          (rounds, killed, len(printed_accepted)), flush=True)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        modes_and_codes(tmp)
        rules_test_assertion()
        workers, per_worker, rounds = (8, 25, 20) if QUICK else (8, 200, 60)
        conn, params, files = bulk(tmp, workers * per_worker + rounds)
        concurrency(tmp, conn, params, files[:workers * per_worker], workers, per_worker)
        crash_loop(tmp, conn, params, files[workers * per_worker:], rounds)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
