#!/usr/bin/env bash
# usage: install_test.sh BUILD_DIR SOURCE_DIR VERSION
# Installs BUILD_DIR into a temporary prefix and proves the package the way a product uses it.
# Prints one line per check and "N passed, M failed"; exit 1 on any failure.
set -uo pipefail
build=$1 src=$2 version=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $what"; fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit $?; }

if ! cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
  cat "$work/install.log"; failed=1; finish
fi
for f in include/claimgate/claimgate.h include/claimgate/status.h include/claimgate/version.h \
         lib/cmake/claimgate/claimgateConfig.cmake lib/cmake/claimgate/claimgateConfigVersion.cmake \
         lib/pkgconfig/claimgate.pc bin/claimgate; do
  check "installed $f" test -f "$prefix/$f"
done
check "installed libclaimgate.so" test -e "$prefix/lib/libclaimgate.so"
# No internal header is installed: the public API is include/claimgate and nothing else.
check "only claimgate/ headers installed" \
  test "$(cd "$prefix/include" && find . -name '*.h' | sort | tr '\n' ' ')" = \
       "./claimgate/claimgate.h ./claimgate/status.h ./claimgate/version.h "
# The library exports the API and hides its static libraries and their dependencies.
exported=$(nm -DC --defined-only "$prefix/lib/libclaimgate.so" | awk '$2 ~ /^[TW]$/' | cut -d' ' -f3-)
check "exports Engine::Open" grep -q 'claimgate::Engine::Open' <<<"$exported"
check "hides Botan, pugixml, storage internals" \
  test -z "$(grep -E 'Botan::|pugi::|claimgate::(storage|engine|dsig|xml|saml|rules|pipeline)::' <<<"$exported")"
check "claimgate --version" test "$("$prefix/bin/claimgate" --version)" = "claimgate $version"

# A product's own build: find_package(claimgate CONFIG REQUIRED) and nothing else.
if cmake -S "$src/examples/embed" -B "$work/embed" -DCMAKE_PREFIX_PATH="$prefix" \
      >"$work/embed.log" 2>&1 && cmake --build "$work/embed" >>"$work/embed.log" 2>&1; then
  passed=$((passed + 1))
else
  cat "$work/embed.log"; failed=$((failed + 1)); echo "FAIL examples/embed builds"; finish
fi
app=$work/embed/product_login
db=$work/claimgate.db
"$prefix/bin/claimgate" --db "$db" connection add "$src/examples/flex/connection.json" >/dev/null
response=$src/examples/flex/responses/1-first-login.xml

"$app" "$db" acme-flex "$response" >"$work/accepted.out"
check "flex example accepted (exit 0)" test $? = 0
check "decision JSON says accepted" grep -q '^{"decision":"accepted"' "$work/accepted.out"
check "product line names the subject" grep -q '^signed in: alice@acme.example as user 1' "$work/accepted.out"
# Decision::ToJson is the very JSON `claimgate process` prints: the same response on a fresh
# store through the CLI gives the same line.
"$prefix/bin/claimgate" --db "$work/cli.db" connection add "$src/examples/flex/connection.json" >/dev/null
"$prefix/bin/claimgate" --db "$work/cli.db" process --connection acme-flex "$response" >"$work/cli.out"
check "ToJson equals claimgate process" test "$(head -1 "$work/accepted.out")" = "$(cat "$work/cli.out")"

sed 's/alice@acme.example</mallory@acme.example</' "$response" >"$work/tampered.xml"
"$app" "$db" acme-flex "$work/tampered.xml" >"$work/tampered.out"
check "tampered copy refused (exit 1)" test $? = 1
check "tampered: signature.digest_mismatch" \
  grep -q '"code":"signature.digest_mismatch"' "$work/tampered.out"
check "tampered: product line" grep -q '^refused: signature.digest_mismatch' "$work/tampered.out"
"$app" "$db" nope "$response" >"$work/unknown.out"
check "unknown connection refused" grep -q '^refused: provisioning.unknown_connection' "$work/unknown.out"
"$app" "$work/no/such/dir/x.db" acme-flex "$response" 2>"$work/open.err" >/dev/null
check "unopenable store: exit 2" test $? = 2
check "unopenable store names storage.*" grep -q 'storage\.' "$work/open.err"

# The pkg-config file builds the same program.
if PKG_CONFIG_PATH="$prefix/lib/pkgconfig" c++ -o "$work/pc_login" "$src/examples/embed/main.cc" \
      $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs claimgate) 2>"$work/pc.log"; then
  LD_LIBRARY_PATH="$prefix/lib" "$work/pc_login" "$work/cli.db" acme-flex \
    "$src/examples/flex/responses/2-returning-login.xml" >"$work/pc.out"
  check "pkg-config build accepts the returning login" test $? = 0
else
  cat "$work/pc.log"; failed=$((failed + 1)); echo "FAIL pkg-config build"
fi
finish
