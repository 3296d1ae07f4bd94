/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every fuzz harness shares: the libFuzzer entry point, and a check that
 * is never compiled out (G_DISABLE_ASSERT does not touch it). */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* abort() (not g_error(), which traps) so that libFuzzer saves the input. */
#define FUZZ_FAIL(...) \
  G_STMT_START { \
    g_printerr ("%s:%d: ", __FILE__, __LINE__); \
    g_printerr (__VA_ARGS__); \
    g_printerr ("\n"); \
    abort (); \
  } G_STMT_END

#define FUZZ_CHECK(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      FUZZ_FAIL ("fuzz check failed: %s", #expr); \
  } G_STMT_END

/* Called once by each harness on its first input: GLib criticals and warnings
 * (a g_return_if_fail hit by hostile input) count as crashes.  GLib stops on
 * them with SIGTRAP; build-aux/run-fuzz.sh sets ASAN_OPTIONS=handle_sigtrap=1
 * so that libFuzzer saves those inputs too. */
static inline void
fuzz_setup (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&done, 1);
    }
}

G_END_DECLS
