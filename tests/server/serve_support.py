"""Shared by serve_test.py and bench/serve_load.py: start `claimgate serve` on a free loopback
port with a temp database, talk HTTP to it, and sign fresh example responses (xmlsec1 with the
public example IdP key, as scripts/make_examples.py does)."""
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
EXAMPLES = os.path.join(ROOT, "examples")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import make_examples  # noqa: E402  (response templates and the xmlsec1 signer)

TOKEN = "admin-token-for-tests-0123456789"
FLEX_SP = "https://sp.example/saml/acme-flex"
FLEX_ACS = FLEX_SP + "/acs"


def flex_response(rid, aid, subject, in_response_to=None, last_name="Liddell"):
    """A flex login for `subject`, Assertion and Response signed, as text."""
    attrs = [("email", [subject]), ("firstName", ["Test"]), ("lastName", [last_name]),
             ("roles", ["agent"]), ("department", ["Support"])]
    xml = make_examples.response(rid, aid, FLEX_SP, FLEX_ACS, subject, attrs, in_response_to)
    xml = make_examples.sign(xml, "Assertion")
    xml = xml.replace("<!--S-->", make_examples.SIG.format(id=rid))
    return make_examples.sign(xml, "Response")


def write_console_connection(tmp):
    """The console example with IdP-initiated sign-on refused, paths made absolute."""
    path = os.path.join(tmp, "console-sp-only.json")
    with open(os.path.join(EXAMPLES, "console", "connection.json")) as f:
        text = f.read()
    text = text.replace('"allow_idp_initiated": true', '"allow_idp_initiated": false')
    text = text.replace("../idp/", os.path.join(EXAMPLES, "idp") + "/")
    with open(path, "w") as f:
        f.write(text)
    return path


class Server:
    """`claimgate serve` on 127.0.0.1 (any free port) over a fresh database in a temp folder."""

    def __init__(self, binary, connections=("flex",), extra_files=(), threads=8, extra_args=()):
        self.bin = binary
        self.tmp = tempfile.mkdtemp(prefix="cg-serve-")
        self.db = os.path.join(self.tmp, "claimgate.db")
        for c in connections:
            self.cli("connection", "add", os.path.join(EXAMPLES, c, "connection.json"))
        for path in extra_files:
            self.cli("connection", "add", path)
        token_file = os.path.join(self.tmp, "token")
        with open(token_file, "w") as f:
            f.write(TOKEN + "\n")
        self.log = open(os.path.join(self.tmp, "serve.log"), "w+")
        self.proc = subprocess.Popen(
            [binary, "--db", self.db, "serve", "--listen", "127.0.0.1:0", "--threads",
             str(threads), "--admin-token-file", token_file, "--log-json"] + list(extra_args),
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if "listening on http://" not in line:
            self.stop()
            raise RuntimeError("serve did not start: %r" % line)
        self.port = int(line.strip().rsplit(":", 1)[1])

    def cli(self, *args):
        p = subprocess.run([self.bin, "--db", self.db] + list(args), capture_output=True,
                           text=True)
        if p.returncode != 0:
            raise RuntimeError("claimgate %s: %s" % (" ".join(args), p.stderr))
        return p.stdout

    def request(self, method, path, body=None, headers=None):
        """(status, headers dict with lower-case names, body text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read().decode("utf-8", "replace")
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            conn.close()

    def post_acs(self, connection, saml_response, relay_state=None, json_accept=True,
                 cookie=None):
        form = {"SAMLResponse": saml_response}
        if relay_state is not None:
            form["RelayState"] = relay_state
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie is not None:
            headers["Cookie"] = cookie
        if json_accept:
            headers["Accept"] = "application/json"
        return self.request("POST", "/saml/%s/acs" % connection, urllib.parse.urlencode(form),
                            headers)

    def stop(self):
        """SIGTERM, then wait; returns the exit code (None if it had to be killed)."""
        rc = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        else:
            rc = self.proc.returncode
        self.proc.stdout.close()
        self.log.close()
        return rc

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
