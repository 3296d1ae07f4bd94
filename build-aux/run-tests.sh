#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds SMM Relay and runs the whole test suite, the window tests under Xvfb.
# Ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

build-aux/build.sh || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
xvfb-run -a -s "-screen 0 1280x800x24" \
  meson test -C build --print-errorlogs --num-processes 2 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

count () { awk -v key="$1" -F: '$1 == key { gsub(/ /, "", $2); print $2 }' "$log" | tail -n 1; }
ok=$(count "Ok"); xfail=$(count "Expected Fail"); fail=$(count "Fail")
xpass=$(count "Unexpected Pass"); timeout=$(count "Timeout")
passed=$(( ${ok:-0} + ${xfail:-0} ))
failed=$(( ${fail:-0} + ${xpass:-0} + ${timeout:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # meson failed before it could count (a build error in a test)
fi
rm -f "$log"
echo "${passed} passed, ${failed} failed"
exit "$status"
