#!/usr/bin/env python3
"""The audit trail through the CLI, and an independent re-verification of `audit export`.

1. `process --now 2200-...` is checked at 2200 but its audit row is dated by the wall clock.
2. Every command that changes something writes one row naming its actor (`cli:<unix user>`,
   `idp` for logins); no-op changes write none; `user.add` keeps lists as JSON arrays.
3. `connection add|update|remove` rows; `remove` of a connection with users needs --force.
4. `audit verify` ends with `audit chain ok: N rows, head HEX`; `--expect-head` anchors it.
5. `audit export` lines re-verified here, in Python, from the documented encoding alone
   (README "The audit trail"): every hash recomputed, every link checked. An edited actor
   breaks both claimgate's verify and this one.

usage: audit_test.py CLAIMGATE_BIN      (prints "N passed, M failed")
"""
import datetime
import hashlib
import json
import os
import pwd
import re
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.normpath(os.path.join(HERE, "..", "..", "examples"))
BIN = os.path.abspath(sys.argv[1])
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", what, flush=True)


def run(db, *args):
    p = subprocess.run([BIN, "--db", db] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def rows_of(db, *filters):
    rc, out, err = run(db, "audit", "export", *filters)
    check(rc == 0, "audit export: %s" % err)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# ---- the independent verifier: only the README's encoding, no claimgate code ----------------
FIELDS = ["id", "time", "actor", "connection", "event", "decision", "error_code", "subject",
          "assertion_id", "issuer", "client_addr", "detail", "prev_hash"]


def encoding(row):
    out = b"claimgate-audit-v%d\n" % row["format"]
    for name in FIELDS:
        if name == "actor" and row["format"] < 2:
            continue
        value = str(row[name]).encode("utf-8")
        out += name.encode() + b"=" + str(len(value)).encode() + b":" + value + b"\n"
    return out


def reverify(rows, first_prev=None):
    """(ok, id of the first bad row or None). first_prev: the hash the first row must follow."""
    prev = first_prev if first_prev is not None else "0" * 64
    prev_id = rows[0]["id"] - 1 if rows else 0
    for row in rows:
        if row["id"] != prev_id + 1 or row["prev_hash"] != prev or row["format"] not in (1, 2):
            return False, row["id"]
        if hashlib.sha256(encoding(row)).hexdigest() != row["hash"]:
            return False, row["id"]
        prev, prev_id = row["hash"], row["id"]
    return True, None


def main():
    me = "cli:" + pwd.getpwuid(os.geteuid()).pw_name
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "audit.db")
        flex = os.path.join(EXAMPLES, "flex", "connection.json")
        rc, out, err = run(db, "connection", "add", flex)
        check(rc == 0, "connection add: %s" % err)

        # 1. --now moves the validity clock only.
        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        response = os.path.join(EXAMPLES, "flex", "responses", "1-first-login.xml")
        rc, out, _ = run(db, "process", "--connection", "acme-flex", "--now",
                         "2200-01-01T00:00:00Z", response)
        check(rc == 1 and json.loads(out)["error"]["code"].startswith("time."),
              "a response checked at 2200 is expired: %s" % out.strip())
        last = rows_of(db)[-1]
        after = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        check(last["event"] == "login" and last["time"][:10] in (today, after),
              "process --now 2200 writes today's date, not 2200: %s" % last["time"])
        check(last["actor"] == "idp", "a login's actor is idp: %s" % last["actor"])
        rc, out, err = run(db, "process", "--connection", "acme-flex", response)
        check(rc == 0, "the example login is accepted: %s" % err)
        # A refusal after verification names whose login it was, in the JSON and the row.
        no_role = os.path.join(EXAMPLES, "flex", "responses", "3-rejected-no-role.xml")
        rc, out, _ = run(db, "process", "--connection", "acme-flex", no_role)
        d = json.loads(out) if out.strip() else {}
        row = rows_of(db)[-1]
        check(rc == 1 and d.get("subject") and d.get("issuer"),
              "a refused decision names subject and issuer: %s" % out.strip())
        check(row["subject"] == d.get("subject") and row["issuer"] == d.get("issuer"),
              "... and so does its audit row: %s" % row)

        # 2. Admin rows, actors, arrays, no-op changes.
        rc, _, err = run(db, "users", "add", "--connection", "acme-flex", "--permission", "a",
                         "--permission", "b", "carol@acme.example")
        check(rc == 0, "users add: %s" % err)
        for want in (True, False):
            rc, out, err = run(db, "users", "disable", "--connection", "acme-flex",
                               "carol@acme.example")
            check(rc == 0 and json.loads(out).get("changed") is want,
                  "users disable (changed=%s): %s %s" % (want, out.strip(), err))
        rows = rows_of(db)
        events = [r["event"] for r in rows]
        check(events.count("user.disable") == 1, "disabling twice writes one row: %s" % events)
        add = [r for r in rows if r["event"] == "user.add"][0]
        check(json.loads(add["detail"])["permissions"] == ["a", "b"],
              "user.add permissions are an array: %s" % add["detail"])
        check(add["actor"] == me, "a command's actor is %s: %s" % (me, add["actor"]))
        check(rows[0]["event"] == "connection.add" and rows[0]["actor"] == me,
              "connection.add by %s: %s" % (me, rows[0]))

        # 3. connection update / remove.
        rc, out, _ = run(db, "connection", "update", flex)
        check(rc == 0 and "unchanged" in out, "an unchanged update: %s" % out.strip())
        check(len(rows_of(db)) == len(rows), "an unchanged update writes no row")
        with open(flex) as f:
            doc = json.load(f)
        doc["idp"]["metadata_file"] = os.path.join(EXAMPLES, "idp", "metadata.xml")
        doc["security"]["clock_skew_seconds"] = 60
        changed = os.path.join(tmp, "flex.json")
        with open(changed, "w") as f:
            json.dump(doc, f)
        rc, out, err = run(db, "connection", "update", changed)
        check(rc == 0 and "updated" in out, "connection update: %s %s" % (out, err))
        upd = rows_of(db)[-1]
        d = json.loads(upd["detail"]) if upd["event"] == "connection.update" else {}
        check(d.get("changed", {}).get("security.clock_skew_seconds") == {"old": 120, "new": 60},
              "connection.update says what changed: %s" % upd["detail"][:300])
        certs = d.get("idp_certificates_sha256", {})
        check(len(certs.get("old", [])) == 1 and certs.get("old") == certs.get("new"),
              "old and new certificate fingerprints: %s" % certs)

        # 4. verify and anchoring (before the removal, to anchor on an earlier head).
        rc, out, _ = run(db, "audit", "verify")
        m = re.search(r"audit chain ok: (\d+) rows, head ([0-9a-f]{64})\n$", out)
        check(rc == 0 and m is not None, "audit verify's last line: %r" % out)
        early_head = m.group(2) if m else ""
        check(m is not None and int(m.group(1)) == len(rows_of(db)), "verify counts every row")

        rc, out, err = run(db, "connection", "remove", "acme-flex")
        check(rc == 2 and "storage.in_use" in err, "remove with users needs --force: %s" % err)
        rc, out, err = run(db, "connection", "remove", "--force", "acme-flex")
        check(rc == 0, "connection remove --force: %s" % err)
        tail = rows_of(db)[-3:]
        check([r["event"] for r in tail] == ["user.remove", "user.remove", "connection.remove"],
              "each user's removal is audited: %s" % [r["event"] for r in tail])
        check(sorted(r["subject"] for r in tail[:2]) == ["alice@acme.example",
                                                         "carol@acme.example"],
              "user.remove names the users: %s" % [r["subject"] for r in tail])

        rc, out, _ = run(db, "audit", "verify", "--json")
        v = json.loads(out) if rc == 0 else {}
        all_rows = rows_of(db)
        check(v.get("ok") is True and v.get("rows") == len(all_rows)
              and v.get("head") == all_rows[-1]["hash"], "verify --json: %s" % out.strip())
        rc, out, _ = run(db, "audit", "verify", "--expect-head", early_head)
        check(rc == 0 and out.endswith("head %s\n" % all_rows[-1]["hash"]),
              "an earlier head anchors the chain: %s" % out.strip())
        rc, out, _ = run(db, "audit", "verify", "--expect-head", "ab" * 32)
        check(rc == 1 and "NOT ANCHORED" in out, "a made-up head fails: %s" % out.strip())
        rc, out, _ = run(db, "audit", "verify", "--json", "--expect-head", "ab" * 32)
        check(rc == 1 and json.loads(out)["ok"] is False, "... in JSON too: %s" % out.strip())
        rc, _, err = run(db, "audit", "verify", "--expect-head", "xyz")
        check(rc == 2 and "--expect-head" in err, "a malformed head is a usage error: %s" % err)

        # 5. Independent re-verification of the export.
        ok, bad = reverify(all_rows)
        check(ok, "the export re-verifies in Python (first bad row %s)" % bad)
        check(set(all_rows[0]) >= set(FIELDS) | {"format", "hash"},
              "every field is exported: %s" % sorted(all_rows[0]))
        since = all_rows[3]["time"]
        part = rows_of(db, "--since", since)
        first = part[0]["id"] if part else 0
        check(part and all(r["time"] >= since for r in part) and first <= all_rows[3]["id"],
              "--since exports from T on")
        ok, bad = reverify(part, first_prev=all_rows[first - 2]["hash"])
        check(ok, "a partial export re-verifies against the head kept before it (%s)" % bad)
        check(not reverify(part, first_prev="0" * 64)[0] or first == 1,
              "a partial export does not link to a wrong head")

        con = sqlite3.connect(db)
        con.execute("UPDATE audit SET actor = 'cli:mallory' WHERE id = 1")
        con.commit()
        con.close()
        rc, out, _ = run(db, "audit", "verify")
        check(rc == 1 and "BROKEN at row 1" in out, "an edited actor breaks the chain: %s" % out)
        check(reverify(rows_of(db)) == (False, 1), "... for the Python verifier too")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
