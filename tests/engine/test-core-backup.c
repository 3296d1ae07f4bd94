/* SPDX-License-Identifier: GPL-3.0-or-later */
/* relay_core_backup_async(): the window's backup runs off the main loop and gives a checked copy. */
#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>

#include "engine-test-util.h"

typedef struct
{
  guint ticks;
} Ticker;

static gboolean
tick (gpointer user_data)
{
  Ticker *ticker = user_data;

  ticker->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
test_backup_async (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autofree char *copy = g_build_filename (book->dir, "backup.db", NULL);
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  Ticker ticker = { 0 };
  guint tick_id;
  GStatBuf st;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("client %u", i);
      et_add_client (core, name);
    }

  /* The main loop keeps turning while the copy is made in a worker thread. */
  tick_id = g_timeout_add (1, tick, &ticker);
  relay_core_backup_async (core, copy, FALSE, NULL, et_async_ready, &async);
  g_assert_false (async.done);
  g_assert_true (relay_core_backup_finish (core, et_async_wait (&async), &error));
  g_assert_no_error (error);
  g_source_remove (tick_id);
  et_async_clear (&async);
  g_test_message ("main loop ticks during the backup: %u", ticker.ticks);

  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autoptr(RelayStore) restored = relay_store_open (copy, &error);
    g_autoptr(GPtrArray) clients = NULL;

    g_assert_no_error (error);
    clients = relay_store_list_clients (restored, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (clients->len, ==, 200);
  }

  /* A second backup to the same name is refused without overwrite... */
  relay_core_backup_async (core, copy, FALSE, NULL, et_async_ready, &async);
  g_assert_false (relay_core_backup_finish (core, et_async_wait (&async), &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  et_async_clear (&async);
  /* ...and done with it (the window's save dialog asked already). */
  relay_core_backup_async (core, copy, TRUE, NULL, et_async_ready, &async);
  g_assert_true (relay_core_backup_finish (core, et_async_wait (&async), &error));
  g_assert_no_error (error);
  et_async_clear (&async);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  g_test_add_func ("/engine/core-backup", test_backup_async);
  return g_test_run ();
}
