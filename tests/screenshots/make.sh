#!/bin/sh
# Remakes the README's screenshots from the offscreen application: docs/screenshots/*.png.
#   tests/screenshots/make.sh [BUILD_DIR]      (default: build)
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build}
nice -n 10 cmake --build "$build" --target caracal-screenshots
# A 1920x1080 screen, so the windows keep the size they open with on a desktop.
config=$(mktemp)
trap 'rm -f "$config"' EXIT
printf '{"screens":[{"name":"s","x":0,"y":0,"width":1920,"height":1080,"logicalDpi":96,"logicalBaseDpi":96,"dpr":1}]}' >"$config"
QT_QPA_PLATFORM="offscreen:configfile=$config" "$build/tests/screenshots/caracal-screenshots" "$repo/docs/screenshots"
