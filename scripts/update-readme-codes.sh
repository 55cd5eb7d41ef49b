#!/usr/bin/env bash
# Rewrites the README's generated tables from the code, so they can never drift: the error codes
# (base/error_codes.def, `claimgate error-codes --markdown`), the expression functions and the
# alias table (rules/, `claimgate rules functions|aliases --markdown`). Run after adding a code,
# a function or an alias; base_tests and rules_tests check the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/claimgate}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ echo "| code | meaning |"; echo "|---|---|"; "$bin" error-codes --markdown; } > "$tmp/error-codes"
"$bin" rules functions --markdown > "$tmp/rules-functions"
"$bin" rules aliases --markdown > "$tmp/rules-aliases"
for table in error-codes rules-functions rules-aliases; do
  awk -v rows="$tmp/$table" -v begin="<!-- $table:begin -->" -v end="<!-- $table:end -->" '
    $0 == begin { print; while ((getline line < rows) > 0) print line; skip = 1; next }
    $0 == end   { skip = 0 }
    !skip { print }
  ' README.md > README.md.new
  mv README.md.new README.md
done
