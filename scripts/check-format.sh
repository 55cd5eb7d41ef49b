#!/usr/bin/env bash
# The C++ sources follow .clang-format (Google style, 100 columns): checks every tracked *.h and
# *.cc with clang-format (exit 1 and the offending files when one differs). With --fix, rewrites
# them in place instead: run it after a merge, and commit the result on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
FIX=0
case "${1:-}" in
  --fix) FIX=1 ;;
  "") ;;
  *) echo "usage: scripts/check-format.sh [--fix]" >&2; exit 2 ;;
esac
command -v clang-format >/dev/null || { echo "check-format: clang-format not found" >&2; exit 2; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.h' '*.cc')
else
  mapfile -t files < <(find . -path ./build\* -prune -o -path '*/node_modules' -prune -o \
                            \( -name '*.h' -o -name '*.cc' \) -print | sed 's|^\./||' | sort)
fi
if [ "$FIX" = 1 ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
# One clang-format run; --Werror reports "FILE:LINE:COL: error: code should be clang-formatted".
mapfile -t bad < <(clang-format --dry-run --Werror "${files[@]}" 2>&1 |
                   sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' |
                   sort -u)
if [ "${#bad[@]}" -gt 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} C++ files differ from .clang-format:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "fix with: scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} C++ files follow .clang-format"
