#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# What the main loop did instead of ticking: the stacks that
#   SMM_RELAY_BENCH_GAPS=stacks build-aux/run-bench.sh --only stall-paste 2> LOG
# wrote (taken 10, 14, 18 ms … into each long gap), with smm-relay's own
# frames resolved by addr2line (other libraries' frames as they came: their
# exported symbols only).
#
#   bench/stall-stacks.py LOG [MIN_MS]   (stacks taken MIN_MS or more into a gap; 14)
import re, subprocess, sys
log = open(sys.argv[1]).read().splitlines()
min_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 14
cache = {}
def res(binary, off):
    key = (binary, off)
    if key not in cache:
        out = subprocess.run(['addr2line', '-f', '-i', '-C', '-p', '-e', binary, off], capture_output=True, text=True).stdout.strip()
        cache[key] = out.replace('\n', ' <- ')
    return cache[key]
cur = None
for line in log:
    line = line.strip()
    if line.startswith('| '): line = line[2:]
    m = re.match(r'stack ([\d.]+) ms into a gap at (\d+) ms', line)
    if m:
        cur = [] if float(m.group(1)) >= min_ms else None
        if cur is not None: print('==', line)
        continue
    if cur is None: continue
    if line == 'end':
        for f in cur: print('   ', f)
        cur = None
        continue
    m = re.match(r'(\S+)\(([^)]*)\)\[(0x[0-9a-f]+)\]', line)
    if not m: continue
    binary, sym, addr = m.groups()
    name = binary.rsplit('/', 1)[-1]
    if 'smm-relay' in name and sym.startswith('+'):
        cur.append('smm-relay ' + res(binary, sym[1:]))
    else:
        cur.append(f'{name} {sym}')
