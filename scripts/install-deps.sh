#!/usr/bin/env bash
# Installs everything claimgate needs to build and test on a fresh Debian 12 (minbase included):
# the toolchain, the libraries, and the tools the tests use as oracles (xmlsec1, libxml2, lxml).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
PACKAGES=(
  g++ cmake make pkg-config ca-certificates openssl
  libpugixml-dev libbotan-2-dev libsqlite3-dev libspdlog-dev nlohmann-json3-dev
  libboost-test-dev libcli11-dev libcpp-httplib-dev zlib1g-dev
  xmlsec1 libxml2-utils python3 python3-lxml
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "claimgate: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
