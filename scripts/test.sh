#!/usr/bin/env bash
# Installs the dependencies, builds, and runs every test suite (CTest); then the C++ suites again
# under ASan+UBSan (scripts/sanitize.sh, build-asan), every fuzz target for 30 s
# (scripts/fuzz.sh 30) and the clang-format check (scripts/check-format.sh). Prints each phase's
# time. Exit 0 only when all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
phase() {
  local name="$1" start=$SECONDS
  shift
  echo "== test.sh: $name" >&2
  "$@"
  echo "== test.sh: $name took $((SECONDS - start)) s" >&2
}
ctest_all() {
  (cd build && ctest --output-on-failure -j"$(nproc)" --timeout 900)
}
phase "install-deps" ./scripts/install-deps.sh --e2e
phase "format check" ./scripts/check-format.sh
phase "build" ./scripts/build.sh
phase "ctest" ctest_all
phase "sanitizers (ASan+UBSan build and C++ suites)" ./scripts/sanitize.sh
phase "fuzz (30 s per target, one per core)" env FUZZ_JOBS="$(nproc)" ./scripts/fuzz.sh 30
echo "== test.sh: all passed in $SECONDS s" >&2
