#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test against a real Secret Service: a private D-Bus session (its own
# bus daemon, gone with the test) with gnome-keyring, whose login keyring is
# created and unlocked with the password "test" — no prompt, no desktop.
# HOME and the XDG folders are a fresh DIR, never the user's keyring.
#
# Usage: run-with-keyring.sh DIR PROGRAM [ARGUMENT…]
set -eu

dir=$1
shift
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "Bail out! $tool is missing (Debian: apt-get install dbus gnome-keyring)"
    exit 1
  fi
done

rm -rf "$dir"
mkdir -p "$dir/config" "$dir/data" "$dir/cache" "$dir/runtime"
chmod 700 "$dir" "$dir/runtime"
HOME=$dir
XDG_CONFIG_HOME=$dir/config
XDG_DATA_HOME=$dir/data
XDG_CACHE_HOME=$dir/cache
XDG_RUNTIME_DIR=$dir/runtime
export HOME XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR
# No display: nothing may try to show a prompt.  No outside keyring or bus.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SMM_RELAY_KEYS

# --daemonize returns once the daemon is on the bus; it exits when the bus
# goes away at the end of dbus-run-session.
exec dbus-run-session -- sh -c '
  if ! printf %s test | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  then
    echo "Bail out! gnome-keyring-daemon did not start"
    exit 1
  fi
  exec "$@"' run-with-keyring "$@"
