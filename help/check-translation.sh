#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-translation.sh LANG.po PAGE...
# Fails unless every message itstool finds in the help pages today has a
# translation in LANG.po that is neither empty nor fuzzy: a paragraph added or
# changed in help/C/ shows up here until it is translated (the pages built
# from the .po would otherwise carry it in English).
set -eu
po=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
itstool -o "$tmp/help.pot" "$@"
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po" "$tmp/help.pot"
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/merged.po" 2>&1)
own=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1)
echo "$po against the pages: $stats"
echo "$po itself: $own"
case "$stats $own" in
  *fuzzy*|*untranslated*|*error*)
    echo "Not translated yet:"
    msgattrib --untranslated --no-obsolete "$tmp/merged.po" | sed -n 's/^\(#: .*\)/  \1/p; s/^msgid "\(.\+\)"$/  \1/p' | head -40
    msgattrib --only-fuzzy --no-obsolete "$po" | sed -n 's/^msgid "\(..*\)/  fuzzy: \1/p' | head -20
    exit 1 ;;
esac
