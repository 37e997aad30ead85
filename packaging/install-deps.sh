#!/usr/bin/env bash
# Installs the Debian 12 packages Caracal Trace Console builds and tests with. Safe to run again.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-httpserver-dev qt6-websockets-dev libgl-dev
  qt6-qpa-plugins qt6-gtk-platformtheme fonts-dejavu-core
  nlohmann-json3-dev libsimdjson-dev libtomlplusplus-dev libssl-dev zlib1g-dev libzstd-dev liblzma-dev
  postgresql-15 libpq-dev openssl libqt6sql6-psql
  xvfb xauth jq time clang-format clang-14 libclang-rt-14-dev
  dpkg-dev file desktop-file-utils appstream python3 python3-jsonschema
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
