#!/usr/bin/env python3
"""The hand-off over HTTP (DESIGN.md "Handing the login to the product"): `claimgate serve` with a
connection that has product.callback_url and --api-token-file, on a free loopback port.

An accepted ACS post answers 303 to the callback with claimgate_code (and relay_state); the code
is redeemed once with the API token (200 with the worker), a second time handoff.code_used; a
wrong or missing token is 401; 16 concurrent redeems of one code give exactly one 200; every
redeem with the token leaves a login.redeem audit row; a serve without --api-token-file answers
404. With --expiry it instead waits out one code's 60 seconds and expects handoff.code_expired.

usage: handoff_http_test.py CLAIMGATE_BIN [--expiry]   (prints "N passed, M failed")
"""
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_support as S  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
API_TOKEN = "api-token-for-handoff-tests-0123456789"
CALLBACK = "https://flex.acme.example/sso/callback"
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", what, flush=True)


def code_of(body):
    try:
        return (json.loads(body).get("error") or {}).get("code")
    except ValueError:
        return None


def write_files(tmp):
    """The flex example with product.callback_url (IdP path made absolute), and the API token."""
    with open(os.path.join(S.EXAMPLES, "flex", "connection.json")) as f:
        conn = json.load(f)
    conn["idp"]["metadata_file"] = os.path.join(S.EXAMPLES, "idp", "metadata.xml")
    conn["product"] = {"callback_url": CALLBACK}
    path = os.path.join(tmp, "flex-handoff.json")
    with open(path, "w") as f:
        json.dump(conn, f)
    token = os.path.join(tmp, "api-token")
    with open(token, "w") as f:
        f.write(API_TOKEN + "\n")
    return path, token


def login(srv, n, relay_state=None):
    """A fresh signed login of user n; returns (status, Location)."""
    answer = S.flex_response("ho-r%d" % n, "ho-a%d" % n, "handoff%d@acme.example" % n)
    st, h, _ = srv.post_acs("acme-flex", answer, relay_state=relay_state, json_accept=False)
    return st, h.get("location", "")


def code_in(location):
    q = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
    return (q.get("claimgate_code") or [""])[0], (q.get("relay_state") or [None])[0]


def redeem(srv, code, token=API_TOKEN):
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    return srv.request("POST", "/api/v1/logins/redeem", json.dumps({"code": code}), headers)


def audit_rows(srv, event):
    st, _, body = srv.request("GET", "/api/audit?limit=10000&event=" + event,
                              headers={"Authorization": "Bearer " + S.TOKEN})
    return json.loads(body) if st == 200 else []


def once_twice_tokens(srv):
    st, location = login(srv, 1, relay_state="https://flex.acme.example/queue")
    check(st == 303 and location.startswith(CALLBACK + "?claimgate_code="),
          "accepted login → 303 to the product callback: %d %s" % (st, location))
    code, relay = code_in(location)
    check(len(code) == 43, "a 256-bit URL-safe code: %r" % code)
    check(relay == "https://flex.acme.example/queue", "the allow-listed RelayState is passed on")
    for token in ["wrong-token-0123456789", API_TOKEN[:-1], None]:
        st, h, body = redeem(srv, code, token)
        check(st == 401 and code_of(body) == "input.unauthorized",
              "redeem with token %r: %d %s" % (token and token[:8], st, body))
    st, _, body = redeem(srv, code)
    j = json.loads(body) if st == 200 else {}
    check(st == 200 and j.get("subject") == "handoff1@acme.example" and
          j.get("connection") == "acme-flex", "redeemed once: %d %s" % (st, body[:300]))
    check(j.get("worker", {}).get("full_name") == "Test Liddell" and
          j.get("worker", {}).get("roles") == ["agent"] and j.get("permissions") == ["agent"],
          "the redeem answer has the worker and permissions: %s" % body[:300])
    check(isinstance(j.get("audit_id"), int) and isinstance(j.get("user_id"), int) and
          "not_on_or_after" in j and "session_index" in j and j.get("email"),
          "and the contract's other fields: %s" % sorted(j))
    login_rows = [r for r in audit_rows(srv, "login") if r["id"] == j.get("audit_id")]
    check(len(login_rows) == 1 and login_rows[0]["subject"] == "handoff1@acme.example",
          "audit_id is the login's audit row")
    st, _, body = redeem(srv, code)
    check(st == 400 and code_of(body) == "handoff.code_used", "twice: %d %s" % (st, body))
    st, _, body = redeem(srv, "A" * 43)
    check(st == 400 and code_of(body) == "handoff.unknown_code", "unknown: %d %s" % (st, body))
    st, _, body = srv.request("POST", "/api/v1/logins/redeem", "{", {
        "Content-Type": "application/json", "Authorization": "Bearer " + API_TOKEN})
    check(st == 400 and code_of(body) == "input.bad_request", "malformed body: %d %s" % (st, body))
    rows = audit_rows(srv, "login.redeem")
    check([r["error_code"] for r in rows] == ["", "handoff.code_used", "handoff.unknown_code"],
          "one login.redeem row per redeem with the token: %s" % [r["error_code"] for r in rows])
    check(rows and rows[0]["subject"] == "handoff1@acme.example" and
          rows[0]["connection"] == "acme-flex", "the row names the connection and subject")


def concurrent(srv):
    st, location = login(srv, 2)
    code, _ = code_in(location)
    results = [None] * 16
    barrier = threading.Barrier(16)

    def one(i):
        barrier.wait()
        st, _, body = redeem(srv, code)
        results[i] = (st, code_of(body))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [r for r in results if r[0] == 200]
    used = [r for r in results if r == (400, "handoff.code_used")]
    check(len(ok) == 1 and len(used) == 15, "16 concurrent redeems: one 200, 15 code_used: %s"
          % results)


def latency(srv):
    """Login then redeem, 30 times: the redeem's wall time as the product's backend sees it."""
    times = []
    for n in range(100, 130):
        _, location = login(srv, n)
        code, _ = code_in(location)
        t0 = time.perf_counter()
        st, _, _ = redeem(srv, code)
        times.append((time.perf_counter() - t0) * 1e3)
        check(st == 200, "redeem %d" % n)
    times.sort()
    print("redeem latency over 30 (new connection each, synchronous=FULL): p50 %.2f ms, max %.2f ms"
          % (statistics.median(times), times[-1]))


def without_api_token():
    srv = S.Server(BIN, connections=("flex",))
    try:
        st, _, body = redeem(srv, "A" * 43)
        check(st == 404 and code_of(body) == "input.not_found",
              "without --api-token-file: 404 %d %s" % (st, body))
        st, location = login(srv, 3)
        check(st == 200 and location == "", "the example connection (no callback) is unchanged")
    finally:
        srv.stop()
        srv.cleanup()


def expiry(srv):
    st, location = login(srv, 4)
    code, _ = code_in(location)
    check(st == 303 and code, "a code to let expire")
    time.sleep(61)
    st, _, body = redeem(srv, code)
    check(st == 400 and code_of(body) == "handoff.code_expired",
          "redeemed after 61 s: %d %s" % (st, body))


def main():
    tmp = tempfile.mkdtemp(prefix="cg-handoff-")
    conn, token = write_files(tmp)
    srv = S.Server(BIN, connections=(), extra_files=(conn,),
                   extra_args=("--api-token-file", token))
    try:
        if "--expiry" in sys.argv[2:]:
            expiry(srv)
        else:
            once_twice_tokens(srv)
            concurrent(srv)
            latency(srv)
            without_api_token()
    finally:
        check(srv.stop() == 0, "serve stops cleanly")
        srv.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
