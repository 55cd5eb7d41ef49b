#!/usr/bin/env bash
# Installs everything claimgate needs to build and test on a fresh Debian 12 (minbase included):
# the toolchain, the libraries, and the tools the tests use as oracles (xmlsec1, libxml2, lxml).
# With --e2e (what scripts/test.sh passes) also what the browser end-to-end test needs: Debian's
# SimpleSAMLphp with apache2 and mod_php as the IdP, Debian's chromium, Node.js, and
# playwright-core (pinned in tests/e2e/package-lock.json, installed into tests/e2e/node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
E2E=0
for arg in "$@"; do
  case "$arg" in
    --e2e) E2E=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
PACKAGES=(
  g++ cmake make pkg-config ca-certificates openssl
  libpugixml-dev libbotan-2-dev libsqlite3-dev libspdlog-dev nlohmann-json3-dev
  libboost-test-dev libcli11-dev libcpp-httplib-dev zlib1g-dev libre2-dev
  xmlsec1 libxml2-utils python3 python3-lxml
  clang libclang-rt-14-dev clang-format
)
if [ "$E2E" = 1 ]; then
  PACKAGES+=(simplesamlphp apache2 libapache2-mod-php php-xml php-mbstring chromium fonts-dejavu-core)
  command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "claimgate: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ "$E2E" = 1 ] && [ ! -d tests/e2e/node_modules/playwright-core ]; then
  echo "claimgate: installing playwright-core for the browser test (npm ci in tests/e2e)" >&2
  npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
fi
