#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds SMM Relay and runs the whole test suite, the window tests under Xvfb;
# then builds it again with AddressSanitizer and UndefinedBehaviorSanitizer in
# ./build-asan (no window) and runs every non-window suite there, so a memory
# error, a leak or undefined behaviour fails the run.
# Ends with the line "N passed, N failed" (both runs together).
#   SMM_RELAY_TEST_PASSES="plain asan"   which runs to do (default both)
#   SMM_RELAY_ASAN_BUILD=build-asan       where the sanitizer build goes
set -uo pipefail
cd "$(dirname "$0")/.."

passes=${SMM_RELAY_TEST_PASSES:-plain asan}
asan_build=${SMM_RELAY_ASAN_BUILD:-build-asan}
passed=0
failed=0
status=0

# Adds the counts of the meson test summary in $1 to passed/failed; $2 is
# meson's exit status.
count_log () {
  local log=$1 rc=$2 ok xfail fail xpass timeout p f
  count () { awk -v key="$1" -F: '$1 == key { gsub(/ /, "", $2); print $2 }' "$log" | tail -n 1; }
  ok=$(count "Ok"); xfail=$(count "Expected Fail"); fail=$(count "Fail")
  xpass=$(count "Unexpected Pass"); timeout=$(count "Timeout")
  p=$(( ${ok:-0} + ${xfail:-0} ))
  f=$(( ${fail:-0} + ${xpass:-0} + ${timeout:-0} ))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1   # meson failed before it could count (a build error in a test)
  fi
  passed=$(( passed + p )); failed=$(( failed + f ))
  [ "$rc" -eq 0 ] || status=$rc
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [[ " $passes " == *" plain "* ]]; then
  if build-aux/build.sh; then
    xvfb-run -a -s "-screen 0 1280x800x24" \
      meson test -C build --print-errorlogs --num-processes 2 "$@" 2>&1 | tee "$log"
    count_log "$log" "${PIPESTATUS[0]}"
  else
    failed=$(( failed + 1 )); status=1
  fi
fi

if [[ " $passes " == *" asan "* ]]; then
  echo "== The same tests with AddressSanitizer and UndefinedBehaviorSanitizer ($asan_build)"
  # Leaks are checked for real; tests/lsan.supp names, each narrowly, the
  # leaks of the Debian libraries below us (reproduced without our code).
  # GLib and libsoup have no frame pointers: only the slow unwinder sees the
  # library frames the suppressions name (16 frames are enough and cost half
  # of the default 30).
  # intercept_tls_get_addr=0: gcc 12's LeakSanitizer reads a bogus dynamic
  # TLS range of glibc 2.36 threads and its tracer dies of SIGSEGV at exit
  # ("Tracer caught signal 11"; provider-client, 3 runs of 3); without the
  # interception it scans the static TLS and stacks as before.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:fast_unwind_on_malloc=0:malloc_context_size=16:intercept_tls_get_addr=0}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
  export G_SLICE=always-malloc   # GLib 2.74: every g_slice block seen by ASan
  if { [ -f "$asan_build/build.ninja" ] ||
       meson setup "$asan_build" -Db_sanitize=address,undefined -Db_lundef=false \
         -Dgui=disabled; } &&
     ninja -C "$asan_build"; then
    # Compiled code only (the data suite checks files, the same in both runs);
    # the speed measurements are left to the plain run, since ASan with the
    # slow unwinder makes every allocation several times slower.
    asan_skip="-s /store/catalog/speed -s /mass-parse/many-lines -s /mass-parse/linear"
    asan_skip+=" -s /provider/client/fake/main-loop-responsive"
    meson test -C "$asan_build" --print-errorlogs --num-processes 2 --timeout-multiplier 3 \
      --no-suite gui --no-suite app --no-suite data \
      --test-args "$asan_skip" "$@" 2>&1 | tee "$log"
    count_log "$log" "${PIPESTATUS[0]}"
  else
    failed=$(( failed + 1 )); status=1
  fi
fi

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] || [ "$status" -ne 0 ] || status=1
exit "$status"
