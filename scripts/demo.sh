#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the main job on the embedded default database.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
./build/claimgate error-codes
