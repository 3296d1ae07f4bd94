#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds SMM Relay and starts it on the built-in demo provider, with the demo's
# own order book (your real one is never touched).
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/build.sh
exec env GSETTINGS_SCHEMA_DIR="$PWD/build/data" build/src/app/smm-relay --demo "$@"
