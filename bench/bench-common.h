/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the benches: timing, memory, a temp order book. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "relay-core.h"

static inline double
bench_now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Resident memory in MiB, from /proc/self/statm. */
static inline double
bench_rss_mib (void)
{
  g_autofree char *text = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL) ||
      sscanf (text, "%lu %lu", &size, &resident) != 2)
    return 0;
  return resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* A temp folder for the book and the keys; removed by bench_cleanup(). */
static inline char *
bench_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("smm-relay-bench-XXXXXX", &error);
  g_autofree char *keys = NULL;

  if (dir == NULL)
    g_error ("%s", error->message);
  keys = g_build_filename (dir, "keys", NULL);
  g_setenv ("SMM_RELAY_KEYS", keys, TRUE);
  return dir;
}

static inline void
bench_cleanup (const char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
}

/* Runs the default main context until *flag is set. */
static inline void
bench_wait (gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}
