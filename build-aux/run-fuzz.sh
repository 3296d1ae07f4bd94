#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer harnesses of fuzz/ (clang, ASan + UBSan) in ./build-fuzz
# and runs each for SECONDS (default 600), one after the other, on one core.
#   build-aux/run-fuzz.sh [SECONDS] [TARGET...]      targets: mass link money reply
#   FUZZ_KEEP_GOING=1 goes on after a crash; FUZZ_BUILD_DIR=DIR builds elsewhere.
# New inputs that reach new code go to build-fuzz/corpus/<target> (the seeds in
# fuzz/corpus/<target> are only read); a crash is written to
# build-fuzz/crashes/<target>/ — copy it to fuzz/regressions/<target>/ and it is
# replayed by `meson test --suite fuzz` in every build from then on.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(mass link money reply)
build=$(realpath -m "${FUZZ_BUILD_DIR:-build-fuzz}")

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzzing=true -Dgui=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized || exit 1
fi
ninja -C "$build" "${targets[@]/#/fuzz/fuzz-}" || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:handle_sigtrap=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LC_ALL=C.UTF-8

root=$(pwd)
status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  crashes="$build/crashes/$target"
  log="$build/fuzz-$target.log"
  mkdir -p "$corpus" "$crashes"
  echo "== fuzz-$target for ${seconds} s (log: $log)"
  # With -jobs, libFuzzer writes the run's own words to fuzz-0.log in the
  # current directory: run it in a directory of its own.
  # FUZZ_KEEP_GOING=1: go on after a crash (a known open one) and save each.
  if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
    mode=(-fork=1 -ignore_crashes=1 -ignore_ooms=0)
  else
    mode=(-jobs=1 -workers=1)
  fi
  (cd "$build/crashes" &&
   nice -n 19 "$build/fuzz/fuzz-$target" -max_total_time="$seconds" "${mode[@]}" \
     -max_len=8192 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
     -artifact_prefix="$crashes/" "$corpus" "$root/fuzz/corpus/$target" >"$log" 2>&1)
  rc=$?
  if [ -f "$build/crashes/fuzz-0.log" ]; then
    cat "$build/crashes/fuzz-0.log" >>"$log"
    rm -f "$build/crashes/fuzz-0.log"
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$')
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
  if [ -z "$execs" ]; then   # fork mode prints "#EXECS: cov: … time: SECONDSs"
    last=$(grep -E '^#[0-9]+: cov' "$log" | tail -n 1)
    execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
    elapsed=$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<<"$last")
    [ -n "$execs" ] && [ -n "$elapsed" ] && [ "$elapsed" -gt 0 ] && speed=$(( execs / elapsed ))
  fi
  n_crashes=$(find "$crashes" -type f | wc -l)
  echo "fuzz-$target: ${execs:-?} execs, ${speed:-?} exec/s, ${cov:-cov: ?}, ${n_crashes} crash file(s), exit ${rc}"
  [ "$rc" -eq 0 ] && [ "$n_crashes" -eq 0 ] || status=1
done
exit "$status"
