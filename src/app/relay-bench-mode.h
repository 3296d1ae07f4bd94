/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's timing mode: with SMM_RELAY_BENCH=SCENARIO in the environment
 * (and SMM_RELAY_DB naming the book), the real window measures itself, prints
 * `bench NAME VALUE UNIT` lines on stderr and quits.  Scenarios: first-rows,
 * filter, sort, search, memory, stall-sync, stall-paste, stall-catalog (see
 * relay-bench-mode.c and README's Performance section). */
#pragma once

#include "relay-window.h"

G_BEGIN_DECLS

/* Whether SMM_RELAY_BENCH asks for the timing mode. */
gboolean relay_bench_mode_wanted (void);
/* Starts the scenario on @window (just presented, showing @app's book). */
void     relay_bench_mode_start  (RelayApplication *app,
                                  RelayWindow      *window);

G_END_DECLS
