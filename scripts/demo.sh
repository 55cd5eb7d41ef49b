#!/usr/bin/env bash
# The main job, on a fresh Debian 12 machine: installs the dependencies, builds, then runs
# claimgate end to end on the embedded default database ./claimgate.db — the four example
# connections (flex, frontline, console, sendgrid), a first login, a returning login with a
# changed attribute and a refused login for each — and prints the users and the audit trail.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh >&2
./scripts/build.sh
B=./build/claimgate
if [ -e claimgate.db ]; then
  keep="claimgate.db.bak-$(date -u +%Y%m%dT%H%M%SZ)"
  echo "demo: ./claimgate.db exists; moving it to ./$keep and starting fresh" >&2
  for f in claimgate.db claimgate.db-wal claimgate.db-shm; do [ -e "$f" ] && mv "$f" "${f/claimgate.db/$keep}"; done
fi

# process EXPECTED-EXIT CONNECTION FILE [--in-response-to ID]: one login, printed compactly.
process() {
  local want=$1 conn=$2 file=$3; shift 3
  local out rc=0
  out=$($B process --connection "$conn" "$@" "$file") || rc=$?
  printf '%-15s %-40s exit %s  %s\n' "$conn" "$(basename "$file")" "$rc" \
    "$(/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); p=d.get("provisioning",{}); print(d["decision"], d.get("error",{}).get("code",""), p.get("action",""), json.dumps(d.get("worker",{}), sort_keys=True))' "$out")"
  if [ "$rc" != "$want" ]; then echo "demo: expected exit $want" >&2; exit 1; fi
}

echo "== connections"
for p in flex frontline console sendgrid; do $B connection add "examples/$p/connection.json"; done
$B connection list
echo
echo "== the console connection admits existing users only: an admin adds carol first"
$B users add --connection acme-console --email carol@acme.example --permission developer carol@acme.example
echo
echo "== logins (first, returning with a changed attribute, refused)"
process 0 acme-flex      examples/flex/responses/1-first-login.xml
process 0 acme-flex      examples/flex/responses/2-returning-login.xml
process 1 acme-flex      examples/flex/responses/3-rejected-no-role.xml
process 1 acme-flex      examples/flex/responses/2-returning-login.xml   # the same assertion again: replay
process 0 acme-frontline examples/frontline/responses/1-first-login.xml
process 0 acme-frontline examples/frontline/responses/2-returning-login.xml
process 1 acme-frontline examples/frontline/responses/3-rejected-other-domain.xml
process 0 acme-console   examples/console/responses/1-first-login.xml
process 0 acme-console   examples/console/responses/2-returning-login.xml
process 1 acme-console   examples/console/responses/3-rejected-unknown-user.xml
process 0 acme-sendgrid  examples/sendgrid/responses/1-first-login-idp-initiated.xml
process 0 acme-sendgrid  examples/sendgrid/responses/2-returning-login-sp-initiated.xml --in-response-to id-request-sg-2
process 1 acme-sendgrid  examples/sendgrid/responses/3-rejected-new-user-sp-initiated.xml --in-response-to id-request-sg-3
echo
echo "== users"
$B users list
echo
echo "== audit trail"
$B audit list
echo
$B audit verify
