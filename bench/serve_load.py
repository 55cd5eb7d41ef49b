#!/usr/bin/env python3
"""Bounded load test of `claimgate serve` on loopback (figures, not pass/fail — but it fails if a
post is not accepted or the audit trail does not hold exactly one row per post).

Signs N distinct flex logins with the public example IdP key (xmlsec1, Assertion signature, as
the flex connection requires), starts `serve` on a free port over a fresh database, posts them
all to /saml/acme-flex/acs from C concurrent keep-alive clients, and reports requests per second
and p50/p99 latency; then counts the audit rows (`audit verify`) and the users.

usage: /usr/bin/python3 bench/serve_load.py BUILD/claimgate [N=500] [CLIENTS=8]
"""
import http.client
import json
import os
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "server"))
import serve_support as S  # noqa: E402
import make_examples  # noqa: E402


def signed(i):
    subject = "load%05d@acme.example" % i
    attrs = [("email", [subject]), ("firstName", ["Load"]), ("lastName", ["User%05d" % i]),
             ("roles", ["agent"]), ("department", ["Support"])]
    xml = make_examples.response("load-r%05d" % i, "load-a%05d" % i, S.FLEX_SP, S.FLEX_ACS,
                                 subject, attrs, sig_placeholder="")
    return urllib.parse.urlencode({"SAMLResponse": make_examples.sign(xml, "Assertion")})


def client(port, bodies):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    out = []
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    for body in bodies:
        t = time.perf_counter()
        conn.request("POST", "/saml/acme-flex/acs", body, headers)
        r = conn.getresponse()
        data = r.read()
        out.append((time.perf_counter() - t, r.status, data))
    conn.close()
    return out


def main():
    binary = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        bodies = list(pool.map(signed, range(n)))
    print("signed %d responses in %.1f s (xmlsec1)" % (n, time.perf_counter() - t), flush=True)
    srv = S.Server(binary, connections=("flex",), threads=clients)
    try:
        shards = [bodies[i::clients] for i in range(clients)]
        t = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            results = [r for shard in pool.map(lambda b: client(srv.port, b), shards) for r in shard]
        wall = time.perf_counter() - t
    finally:
        rc = srv.stop()
    lat = sorted(r[0] for r in results)
    bad = [r for r in results if r[1] != 200]
    audit = json.loads(srv.cli("audit", "verify", "--json"))
    users = srv.cli("users", "list", "--json").strip().splitlines()
    srv.cleanup()
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    print("posts %d  clients %d  server threads %d  wall %.2f s" % (n, clients, clients, wall))
    print("throughput %.0f req/s  p50 %.2f ms  p99 %.2f ms  max %.2f ms" %
          (n / wall, pct(0.50), pct(0.99), lat[-1] * 1000))
    print("not accepted %d  audit rows %s (chain %s)  users %d  serve exit %s" %
          (len(bad), audit.get("rows"), "ok" if audit.get("ok") else "BROKEN", len(users), rc))
    if bad:
        print("first refusal:", bad[0][1], bad[0][2][:300])
    ok = not bad and audit.get("rows") == n and audit.get("ok") and len(users) == n and rc == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
