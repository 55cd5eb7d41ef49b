#!/usr/bin/env bash
# Rewrites the README's error-code table from the registry (base/error_codes.def), so the
# table can never drift from the code. Run after adding a code; base_tests checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/claimgate}
rows=$("$bin" error-codes --markdown)
awk -v rows="$rows" '
  /<!-- error-codes:begin -->/ { print; print "| code | meaning |"; print "|---|---|"; print rows; skip=1; next }
  /<!-- error-codes:end -->/   { skip=0 }
  !skip { print }
' README.md > README.md.new
mv README.md.new README.md
