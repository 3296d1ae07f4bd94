#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds SMM Relay and runs the benches; each prints its figures with the
# baseline measured in the same run (compare ratios, not seconds).
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/build.sh
for bench in "build/bench/bench-sync 2000 40" "build/bench/bench-mass 10000" \
             "build/bench/bench-order-book ${ORDERS:-1000000}"; do
  echo
  $bench
done
