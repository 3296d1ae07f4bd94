#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package from the committed state of this checkout (HEAD),
# in a fresh clone outside the tree, so nothing uncommitted and no build dir
# goes in: dpkg-buildpackage -us -uc -b writes ../*.deb next to the clone.
#   build-aux/build-deb.sh [OUTDIR]      (default /tmp/smm-relay-deb)
# Prints the path of the .deb on its last line.  DEB_BUILD_OPTIONS=nocheck
# skips the test suites that run at build time (see debian/rules).
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/smm-relay-deb}

rm -rf "$out"
mkdir -p "$out"
git clone --quiet --no-hardlinks "$src" "$out/smm-relay"
cd "$out/smm-relay"
echo "building the package from $(git rev-parse --short HEAD) in $out/smm-relay" >&2
dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1 || {
  tail -n 60 "$out/build.log" >&2
  echo "dpkg-buildpackage failed; the whole log is $out/build.log" >&2
  exit 1
}
deb=$(ls "$out"/smm-relay_*.deb | grep -v dbgsym | head -n 1)
ls "$out"/*.deb >&2
echo "$deb"
