#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds SMM Relay in its own folder (optimised) and runs smm-relay-bench:
# every row of the performance table, one line each with its target, the
# baseline measured in the same run and PASS or MISS, then a summary line.
# Exits 0 only when every row passes.  The window rows run the real smm-relay
# under Xvfb.  The 1,000,000-order book is generated once and cached in
# $BENCH_BUILD/bench/cache (a second run starts at once).
#
#   build-aux/run-bench.sh [--orders N] [--skip-window] [--only ROW,ROW...] [--repeat N]
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."

dir=${BENCH_BUILD:-build-bench}
if [ ! -d "$dir" ]; then
  meson setup "$dir" --buildtype=debugoptimized
fi
ninja -C "$dir" bench/smm-relay-bench src/app/smm-relay data/gschemas.compiled >/dev/null \
  || ninja -C "$dir"
# The window rows need a display: without one, the script runs itself again
# under Xvfb.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$self" "$@"
fi
# A desktop session has its D-Bus session bus (and the portals it starts)
# running before any app: without one, GLib would autolaunch a new bus for
# every window row and the rows would time that, not the app.  One bus for
# the whole run, started inside the display so that the services it starts
# (the portals) reach it as on a desktop; its chatter goes to the build
# folder.
bus_pid=
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-daemon >/dev/null; then
  bus_info=$(dbus-daemon --session --fork --print-address=1 --print-pid=1 \
               2>>"$dir/bench/dbus.log")
  export DBUS_SESSION_BUS_ADDRESS=$(echo "$bus_info" | sed -n 1p)
  bus_pid=$(echo "$bus_info" | sed -n 2p)
  trap '[ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null' EXIT
fi
status=0
"$dir/bench/smm-relay-bench" "$@" || status=$?
exit $status
