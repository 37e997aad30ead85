#!/usr/bin/env bash
# Builds the .deb from a build tree, unpacks it into a temporary root with dpkg -x, and checks what a Debian
# desktop user gets: the installed programs run and find their data, the desktop entry and AppStream metadata
# validate, icons, man pages and the copyright file are where they belong, and Depends names the Qt plugins.
#   check-package.sh BUILD_DIR VERSION
set -euo pipefail
build=$1
version=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/out/*.deb)
echo "built $(basename "$deb")"
dpkg-deb -f "$deb" Version | grep -qx "$version" || fail "package version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in qt6-qpa-plugins libqt6widgets6 libqt6core6 libsimdjson14; do
  grep -q "$dep" <<< "$depends" || fail "Depends lacks $dep: $depends"
done
dpkg -x "$deb" "$work/root"
root="$work/root/usr"

"$root/bin/caracal-trace" --version | grep -qx "caracal-trace $version" || fail "caracal-trace --version"
sample="$root/share/caracal-console/sample/caracal-sample.jsonl"
stats=$("$root/bin/caracal-trace" stats --format json "$sample")
grep -q '"events":4000' <<< "$stats" || fail "stats of the installed sample: $stats"
env -u DISPLAY "$root/bin/caracal-console" --version | grep -q "caracal-console $version" || fail "caracal-console --version"
# The installed console finds the installed sample, not the build tree's.
found=$(env -u DISPLAY "$root/bin/caracal-console" --sample-path)
[ "$(readlink -f "$found")" = "$(readlink -f "$sample")" ] || fail "console looks for its sample at $found"

desktop-file-validate "$root/share/applications/caracal-console.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/share/metainfo/run.caracal.TraceConsole.metainfo.xml" || fail "appstreamcli validate"
for f in share/icons/hicolor/scalable/apps/caracal-console.svg share/icons/hicolor/48x48/apps/caracal-console.png \
         share/icons/hicolor/256x256/apps/caracal-console.png share/doc/caracal-console/copyright \
         share/caracal-console/catalog/troubleshooting.json share/caracal-console/catalog/deny-reasons.json; do
  [ -s "$root/$f" ] || fail "missing $f"
done
for page in caracal-trace caracal-console; do
  zcat "$root/share/man/man1/$page.1.gz" | grep -q "^.TH ${page^^} 1" || fail "man page $page"
done
echo "package checks passed"
