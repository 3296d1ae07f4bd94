#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the .deb (build-deb.sh), runs lintian on it, unpacks it into a
# temporary root with dpkg -x and checks what an installed SMM Relay needs:
# smm-relay-cli --version runs from that root, and the package holds the
# programs, the desktop file, the icons, the schema, the metainfo, the man
# pages and the bash completion.  Not part of the CI test run (it takes
# minutes); run it by hand:  build-aux/check-deb.sh [OUTDIR]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/smm-relay-deb}
app_id=io.github.smmrelay.SmmRelay
fail=0

deb=$("$here/build-deb.sh" "$out" | tail -n 1)
echo "package: $deb ($(du -k "$deb" | cut -f1) KiB; installed size $(dpkg-deb -f "$deb" Installed-Size) KiB)"

echo "lintian:"
if command -v lintian >/dev/null; then
  lintian --info --display-info --pedantic --tag-display-limit 0 "$out"/smm-relay_*.changes || fail=1
  lintian_count=$(lintian "$out"/smm-relay_*.changes 2>/dev/null | grep -c '^[EW]:' || true)
  echo "lintian: $lintian_count errors and warnings"
  [ "$lintian_count" -eq 0 ] || fail=1
else
  echo "  (lintian is not installed)"
fi

root=$(mktemp -d /tmp/smm-relay-root.XXXXXX)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"

check () {
  if [ -e "$root/$1" ]; then
    echo "ok    /$1"
  else
    echo "MISSING /$1"
    fail=1
  fi
}
check usr/bin/smm-relay
check usr/bin/smm-relay-cli
check usr/bin/smm-relay-sim
check usr/share/applications/$app_id.desktop
check usr/share/metainfo/$app_id.metainfo.xml
check usr/share/glib-2.0/schemas/$app_id.gschema.xml
check usr/share/icons/hicolor/scalable/apps/$app_id.svg
check usr/share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
check usr/share/man/man1/smm-relay.1.gz
check usr/share/man/man1/smm-relay-cli.1.gz
check usr/share/man/man1/smm-relay-sim.1.gz
check usr/share/bash-completion/completions/smm-relay-cli
check usr/share/doc/smm-relay/copyright
# The help, in English and in each language of help/LINGUAS.
check usr/share/help/C/$app_id/index.page
for lang in $(grep -v '^#' "$here/../help/LINGUAS" 2>/dev/null); do
  check "usr/share/help/$lang/$app_id/index.page"
done

# The desktop file starts the installed program by its name, with the icon.
desktop="$root/usr/share/applications/$app_id.desktop"
if [ -f "$desktop" ]; then
  desktop-file-validate "$desktop" && echo "ok    desktop file validates" || fail=1
  grep -q "^Exec=smm-relay\b" "$desktop" && grep -q "^Icon=$app_id$" "$desktop" \
    && echo "ok    Exec=smm-relay, Icon=$app_id" || { echo "BAD   Exec/Icon in the desktop file"; fail=1; }
fi
# The schema compiles where it is installed.
glib-compile-schemas --strict --dry-run "$root/usr/share/glib-2.0/schemas" \
  && echo "ok    schema compiles" || fail=1
# The man page is a man page.
if man -l "$root/usr/share/man/man1/smm-relay-cli.1.gz" 2>/dev/null | grep -q "EXIT STATUS"; then
  echo "ok    smm-relay-cli(1) has an EXIT STATUS section"
else
  echo "BAD   smm-relay-cli(1)"; fail=1
fi

# The programs run from the unpacked root (no library of ours to find: the
# core is linked in statically).
version=$(LD_LIBRARY_PATH="$root/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)" \
          "$root/usr/bin/smm-relay-cli" --version) || fail=1
echo "ok    $root/usr/bin/smm-relay-cli --version: $version"
case $version in
  "smm-relay-cli "[0-9]*) ;;
  *) echo "BAD   version line"; fail=1 ;;
esac
db="$root/check.db"
"$root/usr/bin/smm-relay-cli" --db "$db" client add "Check" >/dev/null &&
  "$root/usr/bin/smm-relay-cli" --db "$db" backup "$root/check-backup.db" >/dev/null &&
  [ "$("$root/usr/bin/smm-relay-cli" --db "$root/check-backup.db" client list --names)" = Check ] &&
  echo "ok    the installed CLI writes a book and backs it up" || { echo "BAD   CLI run"; fail=1; }

# Translations: one .mo per language of po/LINGUAS.
for lang in $(grep -v '^#' "$here/../po/LINGUAS" 2>/dev/null); do
  check "usr/share/locale/$lang/LC_MESSAGES/smm-relay.mo"
done

# The window starts as its desktop file says, from the unpacked root, with
# the schema compiled there (what the package's trigger does on install):
# still running after 6 s under Xvfb = started.
if command -v xvfb-run >/dev/null; then
  glib-compile-schemas "$root/usr/share/glib-2.0/schemas"
  exec_line=$(sed -n 's/^Exec=//p' "$desktop" | head -n 1 | sed 's/ %[a-zA-Z]//g')
  mkdir -p "$root/home"
  set +e
  HOME="$root/home" GSETTINGS_SCHEMA_DIR="$root/usr/share/glib-2.0/schemas" \
    XDG_DATA_DIRS="$root/usr/share:/usr/share" PATH="$root/usr/bin:$PATH" \
    GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1 \
    timeout 6 xvfb-run -a -s "-screen 0 1280x800x24" \
    dbus-run-session -- $exec_line --db "$root/window.db" >"$root/window.log" 2>&1
  status=$?
  set -e
  if [ "$status" -eq 124 ] && [ -f "$root/window.db" ]; then
    echo "ok    '$exec_line' (the desktop file's Exec) started the window"
  else
    echo "BAD   the window did not stay up (exit $status):"; tail -n 20 "$root/window.log"; fail=1
  fi
fi

if [ "$fail" -ne 0 ]; then
  echo "check-deb: FAILED"
  exit 1
fi
echo "check-deb: all good"
