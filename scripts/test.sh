#!/usr/bin/env bash
# Installs the dependencies, builds, and runs every test suite (CTest). Exit 0 only when all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --e2e
./scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 900
