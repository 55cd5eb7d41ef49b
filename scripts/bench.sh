#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): verifies N distinct xmlsec1-signed Okta-shaped responses
# in one process and prints the time per response split by stage, then the logins through the
# store, the refusal time of crafted unsigned inputs against a control, and the rules and store
# alone. Run after ./scripts/build.sh.
#   ./scripts/bench.sh [N]      (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 tests/fixtures/make_fixtures.py --bulk "$n" "$dir/bulk" >&2
p() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$dir/bulk/params.json" "$1"; }
./build/verify_bench --cert "$dir/bulk/cert.pem" --sp-entity-id "$(p sp_entity_id)" \
  --acs-url "$(p acs_url)" --idp-entity-id "$(p idp_entity_id)" --now "$(p now)" --rounds 3 \
  "$dir/bulk"
for sync in "" --normal; do
  ./build/login_bench $sync --cert "$dir/bulk/cert.pem" --idp-entity-id "$(p idp_entity_id)" \
    --sp-entity-id "$(p sp_entity_id)" --acs-url "$(p acs_url)" --now "$(p now)" \
    --in-response-to "$(p in_response_to)" "$dir/bulk"
done
./build/hostile_bench --cert examples/idp/example-idp.pem
for b in rules_bench storage_bench; do
  if [ -x "build/$b" ]; then "build/$b"; fi
done
