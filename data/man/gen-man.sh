#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes a man page from a program's --help with help2man, the same on every
# machine: the default paths in --help are spelt ~/.local/share and
# ~/.config, and an "Exit status:" heading of --help becomes the EXIT STATUS
# section.  Usage: gen-man.sh HELP2MAN OUTPUT PROGRAM [HELP2MAN OPTION…]
set -eu
help2man=$1 output=$2 program=$3
shift 3
env -u SMM_RELAY_DB -u SMM_RELAY_KEYS HOME=/nonexistent \
    XDG_DATA_HOME='~/.local/share' XDG_CONFIG_HOME='~/.config' LC_ALL=C.UTF-8 \
    "$help2man" --locale=C.UTF-8 --no-info --no-discard-stderr "$@" "$program" > "$output.tmp"
sed -e 's/^\.SS "Exit status:"$/.SH "EXIT STATUS"/' "$output.tmp" > "$output"
rm -f "$output.tmp"
