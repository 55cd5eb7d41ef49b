#!/usr/bin/env bash
# Builds every C++ test suite with AddressSanitizer + UndefinedBehaviorSanitizer (clang, -O1, any
# report fatal) in its own folder, build-asan (shared with scripts/fuzz.sh; benchmarks are not
# built), and runs them: the CTest label "cpp" (the Boost.Test suites and the fuzz regression
# replays; the Python and browser tests run once, in ./build). Exit 0 only when all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${CLAIMGATE_ASAN_BUILD:-build-asan}"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
  -DCLAIMGATE_FUZZ=ON -DCLAIMGATE_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
cd "$BUILD"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest -L '^cpp$' --output-on-failure -j"$(nproc)" --timeout 900
