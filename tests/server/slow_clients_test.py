#!/usr/bin/env python3
"""`claimgate serve` against slow and greedy clients (issue 15), on loopback with short deadlines.

1. 20 slow-loris connections (one header byte a second) beside /healthz checks, each answered
   within 1 s, and a genuine signed login; the slow connections get 408 input.request_timeout
   and are closed at the head deadline, not before.
2. 2 million header lines (28 MB): refused 431 input.headers_too_large (or the connection is
   closed) while serve's resident memory grows by less than 60 MB.
3. 101 header lines, 17 KiB of header bytes, one 9 KiB line: 431; a 9 KiB request line: 414.
4. A body slower than --request-timeout: 408 at the deadline, connection closed.
5. Normal clients: keep-alive, Expect: 100-continue, a chunked login body, pipelining.
6. --max-connections: a full server still answers a new client (the oldest idle one goes).

usage: slow_clients_test.py CLAIMGATE_BIN   (prints "N passed, M failed"; exit 1 on any failure)
"""
import json
import os
import socket
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_support as S  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
HEADER_TIMEOUT = 6
REQUEST_TIMEOUT = 8
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", what, flush=True)


def info(what):
    print("info:", what, flush=True)


def connect(srv, timeout=30):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_all(sock, limit=1 << 20):
    """Everything until the server closes (or resets) the connection."""
    data = b""
    try:
        while len(data) < limit:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    return data


def status_and_code(raw):
    """(status, the X-Claimgate-Code header, the JSON body's code) of a raw response."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ")[1])
    except (IndexError, ValueError):
        return None, None, None
    header = dict(l.split(": ", 1) for l in lines[1:] if ": " in l).get("X-Claimgate-Code")
    try:
        code = json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        code = None
    return status, header, code


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def healthz_ms(srv):
    start = time.monotonic()
    st, _, body = srv.request("GET", "/healthz")
    return (time.monotonic() - start) * 1e3 if st == 200 and body == "ok\n" else None


def slow_loris(srv):
    results = {}
    start = time.monotonic()

    def loris(i):
        s = connect(srv, timeout=HEADER_TIMEOUT + 10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nAccept: application/json\r\nHost: x\r\nX-Slow: ")
        got = b""
        try:
            while True:  # one byte a second until the server answers or closes
                s.settimeout(1.0)
                try:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    got += chunk
                    continue
                except socket.timeout:
                    pass
                s.sendall(b"a")
        except (BrokenPipeError, ConnectionResetError):
            pass
        results[i] = (time.monotonic() - start, got)
        s.close()

    threads = [threading.Thread(target=loris, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    latencies = []
    genuine = None
    while time.monotonic() - start < HEADER_TIMEOUT - 1:
        latencies.append(healthz_ms(srv))
        if genuine is None:
            st, _, body = srv.post_acs("acme-flex", S.flex_response("sl-r1", "sl-a1",
                                                                    "slow@acme.example"))
            genuine = (st, body[:200])
        time.sleep(0.2)
    open_during = sum(1 for i in range(20) if i not in results)
    for t in threads:
        t.join()
    worst = max((l for l in latencies if l is not None), default=None)
    info("healthz under 20 slow-loris connections: %d checks, worst %.1f ms" %
         (len(latencies), worst or -1))
    check(None not in latencies and worst < 1000,
          "every healthz answered within 1 s: %s" % latencies)
    check(open_during == 20, "the slow connections stayed open while checked (%d)" % open_during)
    check(genuine and genuine[0] == 200 and '"accepted"' in genuine[1],
          "a genuine login during the attack is accepted: %s" % (genuine,))
    ends = sorted(r[0] for r in results.values())
    info("slow-loris connections closed after %.1f-%.1f s (head deadline %d s)" %
         (ends[0], ends[-1], HEADER_TIMEOUT))
    check(ends[0] >= HEADER_TIMEOUT - 0.5 and ends[-1] < HEADER_TIMEOUT + 3,
          "closed at the head deadline: %s" % ends)
    answers = [status_and_code(r[1]) for r in results.values()]
    check(all(a == (408, "input.request_timeout", "input.request_timeout") for a in answers),
          "each got 408 input.request_timeout: %s" % answers[:3])


def header_flood(srv):
    healthz_ms(srv)
    before = rss_kb(srv.proc.pid)
    s = connect(srv)
    line = b"X-Flood: 1\r\n"
    block = line * 10000
    sent = [0]

    def send():
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nAccept: application/json\r\n")
            for _ in range(200):  # 2 million lines, 24 MB
                s.sendall(block)
                sent[0] += len(block)
            s.sendall(b"\r\n")
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass

    t = threading.Thread(target=send)
    t.start()
    raw = read_all(s)
    t.join()
    s.close()
    after = rss_kb(srv.proc.pid)
    status = status_and_code(raw)
    info("2 million header lines: %s after %d bytes sent; serve RSS %d -> %d kB" %
         (status, sent[0], before, after))
    check(status == (431, "input.headers_too_large", "input.headers_too_large") or raw == b"",
          "the flood is refused with 431 input.headers_too_large: %r" % raw[:120])
    check(after - before < 60 * 1024, "RSS grew by %d kB" % (after - before))
    check(healthz_ms(srv) is not None, "healthz after the flood")


def header_limits(srv):
    many = "".join("X-H%d: v\r\n" % i for i in range(101))
    cookie = "".join("Cookie: c%d=%s\r\n" % (i, "x" * 5000) for i in range(4))
    cases = [
        ("101 header lines", "GET /healthz HTTP/1.1\r\nAccept: application/json\r\n" + many,
         431, "input.headers_too_large"),
        ("17 KiB of header lines", "GET /healthz HTTP/1.1\r\nAccept: application/json\r\n" + cookie,
         431, "input.headers_too_large"),
        ("one 9 KiB line", "GET /healthz HTTP/1.1\r\nAccept: application/json\r\nX-Big: " +
         "b" * 9000 + "\r\n", 431, "input.headers_too_large"),
        ("a 9 KiB request line", "GET /healthz?" + "q" * 9000 + " HTTP/1.1\r\n", 414,
         "input.bad_request"),
        ("two Content-Lengths", "POST /saml/acme-flex/acs HTTP/1.1\r\nContent-Length: 1\r\n"
         "Content-Length: 2\r\n", 400, "input.bad_request"),
    ]
    for what, head, want_status, want_code in cases:
        s = connect(srv)
        s.sendall((head + "\r\n").encode())
        st, header, _ = status_and_code(read_all(s))
        s.close()
        check((st, header) == (want_status, want_code),
              "%s: %s %s (want %d %s)" % (what, st, header, want_status, want_code))
    few = "".join("X-H%d: v\r\n" % i for i in range(98))  # 98 + Host + Accept-Encoding
    st, _, body = srv.request("GET", "/healthz", headers=dict(
        l.split(": ") for l in few.strip().split("\r\n")))
    check(st == 200, "100 header lines are fine: %d" % st)


def slow_body(srv):
    s = connect(srv, timeout=REQUEST_TIMEOUT + 10)
    start = time.monotonic()
    s.sendall(b"POST /saml/acme-flex/acs HTTP/1.1\r\nAccept: application/json\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
    got = b""
    try:
        while True:
            s.settimeout(1.0)
            try:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
                continue
            except socket.timeout:
                pass
            s.sendall(b"SAMLResponse=AAAA"[:10])
    except (BrokenPipeError, ConnectionResetError):
        pass
    took = time.monotonic() - start
    s.close()
    info("slow body cut after %.1f s (request deadline %d s)" % (took, REQUEST_TIMEOUT))
    check(status_and_code(got) == (408, "input.request_timeout", "input.request_timeout"),
          "slow body answered 408: %r" % got[:100])
    check(REQUEST_TIMEOUT - 0.5 <= took < REQUEST_TIMEOUT + 3, "cut at the deadline: %.1f s" % took)


def normal_clients(srv):
    # Keep-alive: several requests on one connection.
    s = connect(srv)
    for _ in range(3):
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        resp = b""
        while b"ok\n" not in resp:
            chunk = s.recv(4096)
            if not chunk:
                break
            resp += chunk
        check(resp.startswith(b"HTTP/1.1 200") and resp.endswith(b"ok\n"),
              "keep-alive request answered: %r" % resp[:60])
    # Pipelining: two requests in one write, two answers in order.
    s.sendall(b"GET /healthz HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
    both = read_all(s)
    s.close()
    check(both.startswith(b"HTTP/1.1 200") and b"HTTP/1.1 404" in both,
          "pipelined requests answered in order: %r" % both[:40])
    # Expect: 100-continue, as curl sends for larger bodies.
    form = urllib.parse.urlencode({"SAMLResponse": S.flex_response(
        "sl-r2", "sl-a2", "expect@acme.example")}).encode()
    s = connect(srv)
    s.sendall(b"POST /saml/acme-flex/acs HTTP/1.1\r\nAccept: application/json\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n"
              b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(form))
    interim = s.recv(4096)
    check(interim.startswith(b"HTTP/1.1 100"), "100 Continue first: %r" % interim[:40])
    s.sendall(form)
    resp = read_all(s)
    s.close()
    final = resp[resp.find(b"HTTP/1.1 2"):]
    check(final.startswith(b"HTTP/1.1 200") and b'"accepted"' in final,
          "the login after 100-continue is accepted: %r" % resp[:80])
    # A chunked body.
    form = urllib.parse.urlencode({"SAMLResponse": S.flex_response(
        "sl-r3", "sl-a3", "chunked@acme.example")}).encode()
    body = b"".join(b"%x\r\n%s\r\n" % (len(form[i:i + 3000]), form[i:i + 3000])
                    for i in range(0, len(form), 3000)) + b"0\r\n\r\n"
    s = connect(srv)
    s.sendall(b"POST /saml/acme-flex/acs HTTP/1.1\r\nAccept: application/json\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" + body)
    resp = read_all(s)
    s.close()
    check(resp.startswith(b"HTTP/1.1 200") and b'"accepted"' in resp,
          "a chunked login is accepted: %r" % resp[:80])


def admission():
    srv = S.Server(BIN, connections=("flex",), threads=2,
                   extra_args=["--max-connections", "16", "--header-timeout", "30"])
    try:
        idle = [connect(srv) for _ in range(40)]  # open, say nothing
        for s in idle:
            s.settimeout(0.01)
        time.sleep(0.3)
        latencies = [healthz_ms(srv) for _ in range(5)]
        worst = max((l for l in latencies if l is not None), default=None)
        info("healthz with 40 idle connections on a 16-connection server: worst %.1f ms" %
             (worst or -1))
        check(None not in latencies and worst < 1000,
              "a full server still answers new clients: %s" % latencies)
        closed = 0
        for s in idle:
            try:
                closed += s.recv(1) == b""
            except socket.timeout:
                pass
            except ConnectionResetError:
                closed += 1
            s.close()
        check(closed >= 24, "the oldest idle connections made room: %d of 40 closed" % closed)
    finally:
        check(srv.stop() == 0, "admission server stops cleanly")
        srv.cleanup()


def main():
    srv = S.Server(BIN, connections=("flex",), threads=8,
                   extra_args=["--header-timeout", str(HEADER_TIMEOUT),
                               "--request-timeout", str(REQUEST_TIMEOUT)])
    try:
        slow_loris(srv)
        header_flood(srv)
        header_limits(srv)
        slow_body(srv)
        normal_clients(srv)
    finally:
        rc = srv.stop()
        check(rc == 0, "SIGTERM stops serve cleanly (exit %r)" % rc)
        with open(os.path.join(srv.tmp, "serve.log")) as f:
            lines = [json.loads(l) for l in f.read().splitlines() if l.startswith("{")]
        timeouts = [l for l in lines if l.get("code") == "input.request_timeout"]
        check(len(timeouts) == 21 and all(l["status"] == 408 for l in timeouts),
              "each timeout has its log line: %d" % len(timeouts))
        srv.cleanup()
    admission()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
