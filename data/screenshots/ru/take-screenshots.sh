#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes the Russian screenshots of the main pages (data/screenshots/ru/*.png)
# from the real window on the demo provider, under Xvfb.
#
#   meson setup BUILD -Dprefix=PREFIX && meson install -C BUILD   # ru .mo in PREFIX
#   localedef -i ru_RU -f UTF-8 ru_RU.UTF-8                       # if `locale -a` lacks it
#   data/screenshots/ru/take-screenshots.sh BUILD [OUTDIR]
#
# Needs xvfb-run, dbus-run-session, xdotool and ImageMagick's import.  The demo
# book lives in a throw-away HOME: no real order book is touched.
set -eu

if [ "${1:-}" = "--inner" ]; then
  build=$2
  out=$3
  app=$build/src/app/smm-relay

  shot () {
    # No tooltip, then a frame or two for the page to settle.
    xdotool mousemove 1279 799
    sleep "${2:-1.5}"
    import -window root "$out/$1.png"
    echo "screenshot: $out/$1.png"
  }

  "$app" --demo &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  win=$(xdotool search --sync --onlyvisible --pid $pid | head -1)
  xdotool windowsize "$win" 1280 800
  # The demo adds its provider, services, clients and a first batch of
  # orders; wait until that batch is done, so no toast covers the pages.
  sleep 60

  # New order, filled in (Ctrl+N puts the cursor in Link).
  xdotool key ctrl+n
  sleep 1
  xdotool type --delay 10 "https://www.instagram.com/acme.coffee/"
  xdotool key Tab
  xdotool type --delay 20 "1000"
  # Client: open the drop-down (its list has the focus on "No client") and
  # take the next one, Acme Coffee.
  xdotool mousemove 779 356 click 1
  sleep 0.8
  xdotool key Down Return
  shot new-order

  # Mass order with its preview: good lines and one below the minimum.
  xdotool key alt+3
  sleep 1
  xdotool mousemove 740 260 click 1
  for line in \
      "1 | https://www.instagram.com/acme.coffee/ | 500" \
      "12 | https://www.instagram.com/p/C8xYz12AbCd/ | 1000" \
      "2 | https://www.tiktok.com/@acmecoffee/video/7301234567890123456 | 5000" \
      "3 | https://www.youtube.com/watch?v=dQw4w9WgXcQ | 2000" \
      "6 | https://t.me/acmecoffee | 700" \
      "1 | https://www.instagram.com/acme.coffee/ | 20" \
      "4 | https://x.com/acmecoffee | 300"; do
    xdotool type --delay 5 "$line"
    xdotool key Return
  done
  xdotool key BackSpace
  # Client, at the bottom: the third one, Studio Lumen.
  xdotool mousemove 740 713 click 1
  sleep 0.8
  xdotool key Down Down Down Return
  shot mass-order 2

  # Send the good lines (Submit, bottom right; the confirmation's default
  # answer is Cancel, the next one sends), so the Orders page has fresh
  # orders on their way.
  xdotool mousemove 1235 759 click 1
  sleep 1
  xdotool key Tab Return
  sleep 6
  xdotool key alt+1
  shot orders 2
  xdotool key alt+4
  shot services
  xdotool key alt+5
  shot providers
  # Clients: pick the first client, for its ledger and statement.
  xdotool key alt+6
  sleep 1
  xdotool mousemove 300 219 click 1
  shot clients
  # Reports from the sidebar: the clients list keeps Alt+8 for itself.
  xdotool mousemove 100 341 click 1
  shot reports 3
  exit 0
fi

build=$(cd "${1:?usage: $0 BUILD [OUTDIR]}" && pwd)
out=$(cd "${2:-$(dirname "$0")}" && pwd)
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -m 700 "$home/run"

env -i PATH="$PATH" HOME="$home" XDG_RUNTIME_DIR="$home/run" \
  LANGUAGE=ru LANG=ru_RU.UTF-8 LC_ALL=ru_RU.UTF-8 \
  GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
  GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- sh "$0" --inner "$build" "$out"
