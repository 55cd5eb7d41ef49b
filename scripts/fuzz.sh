#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (-fsanitize=fuzzer,address,undefined; the
# build folder build-asan, shared with scripts/sanitize.sh) and runs each for SECONDS (default 60)
# from its seeds (fuzz/seeds/<target>, the examples, ../shared/corpus read in place), with its
# dictionary (fuzz/dicts). Exit 1 on any crash, leak or timeout (10 s per input); the input is kept
# in build-asan/fuzz/crashes/<target>/ (add it to fuzz/regressions/<target>/ once fixed). New
# inputs the fuzzer finds accumulate in build-asan/fuzz/corpus/<target>/ across runs.
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]     (FUZZ_JOBS=N runs N targets at a time)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-60}"
shift || true
ALL=(decode_parse c14n verify rules_load expression connection http_form)
if [ "$#" -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi
BUILD="${CLAIMGATE_ASAN_BUILD:-build-asan}"
CORPUS=../shared/corpus
JOBS="${FUZZ_JOBS:-1}"

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
  -DCLAIMGATE_FUZZ=ON -DCLAIMGATE_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]/%/_fuzz}"

# The read-only seed folders and the dictionary of each target.
seeds_of() {
  local t="$1" dirs=("fuzz/seeds/$1")
  case "$t" in
    decode_parse) dirs+=(examples/verify "$CORPUS") ;;
    c14n) dirs+=("$CORPUS/santuario" "$CORPUS/xmlsec/merlin-c14n-three" "$CORPUS/ssoready") ;;
    verify) dirs+=(examples/flex/responses examples/frontline/responses examples/console/responses
                   examples/sendgrid/responses "$CORPUS") ;;
    rules_load) dirs+=(rules/profiles examples/rules) ;;
  esac
  for d in "${dirs[@]}"; do [ -d "$d" ] && echo "$d"; done
}
dict_of() {
  case "$1" in
    decode_parse|c14n|verify) echo fuzz/dicts/xml_saml.dict ;;
    rules_load|expression) echo fuzz/dicts/rules.dict ;;
    connection) echo fuzz/dicts/connection.dict ;;
    http_form) echo fuzz/dicts/http_form.dict ;;
  esac
}

run_one() {
  local t="$1" work="$BUILD/fuzz/corpus/$1" crashes="$BUILD/fuzz/crashes/$1/" log="$BUILD/fuzz/$1.log"
  mkdir -p "$work" "$crashes"
  local seeds
  mapfile -t seeds < <(seeds_of "$t")
  # The first folder receives new inputs; the seed folders are only read.
  if "$BUILD/${t}_fuzz" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2560 -max_len=65536 \
       -dict="$(dict_of "$t")" -artifact_prefix="$crashes" -print_final_stats=1 \
       "$work" "${seeds[@]}" >"$log" 2>&1; then
    local last
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    echo "fuzz $t: ok, ${SECS}s: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" |
         awk '{print $2}') execs; $(echo "$last" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9/a-zA-Z]+')"
  else
    echo "fuzz $t: FAILED (crash, leak or timeout); input kept in $crashes; log $log" >&2
    grep -E 'ERROR|SUMMARY|fuzz check failed|Test unit written' "$log" | head -20 >&2
    return 1
  fi
}

failed=0
pids=()
for t in "${TARGETS[@]}"; do
  run_one "$t" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$JOBS" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit "$failed"
