#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages SMM Relay needs to build, test and run, if any
# is missing.  Uses apt-get as root (through sudo when run as a user).
set -euo pipefail

packages=(
  meson ninja-build pkg-config gcc libc6-dev
  libgtk-4-dev libgtk-4-bin libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev
  gettext desktop-file-utils appstream
  xvfb xauth librsvg2-common adwaita-icon-theme dbus-x11 at-spi2-core
  libglib2.0-bin libglib2.0-dev-bin fonts-dejavu-core
  libsecret-1-dev gnome-keyring dbus
  yelp-tools itstool help2man bash-completion locales
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# The Russian tests (format, cli-locale, the window in ru) need the locale.
ensure_ru_locale () {
  if ! locale -a 2>/dev/null | grep -qix 'ru_RU.utf8'; then
    if [ "$(id -u)" -eq 0 ]; then
      localedef -i ru_RU -f UTF-8 ru_RU.UTF-8
    elif command -v sudo >/dev/null 2>&1; then
      sudo localedef -i ru_RU -f UTF-8 ru_RU.UTF-8
    else
      echo "The ru_RU.UTF-8 locale is missing: the Russian tests will be skipped." >&2
    fi
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  ensure_ru_locale
  exit 0
fi

echo "Installing: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "These Debian packages are missing and I am not root: ${missing[*]}" >&2
  echo "Run this script as root once, or install them with apt-get." >&2
  exit 1
fi
"${as_root[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
ensure_ru_locale
