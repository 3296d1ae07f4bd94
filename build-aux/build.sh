#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, configures (once) and builds SMM Relay in ./build.
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build
