/* SPDX-License-Identifier: GPL-3.0-or-later */
/* relay_core_submit_mass_order_async() cancelled while its thread records:
 * the caller is told the truth.  Either nothing is in the book and it says
 * "cancelled", or the orders are recorded and it gets their ids, with
 * ::orders-changed on the main thread, so that nobody submits the same lines
 * a second time believing the first submit did nothing. */
#include "engine-test-util.h"

#include <sqlite3.h>

#define SERVICE 1
#define PSID "103"

static void
on_orders_changed (RelayStore *store, GArray *ids, gpointer data)
{
  *(guint *) data += ids != NULL ? ids->len : 0;
}

static gint64
count_orders (RelayStore *store)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (store), "SELECT COUNT(*) FROM orders",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_cancel_while_recording (void)
{
  const guint n = 50;
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelaySim) sim = et_sim_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RelayMassPlan) plan = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = relay_sim_dup_url (sim);
  RelayStore *store = relay_core_get_store (core);
  sqlite3 *locker = NULL;
  EtAsync async = { 0 };
  guint n_changed = 0;
  gint64 provider_id, client_id, n_before;
  gulong handler;

  provider_id = et_add_provider (core, "Sim", url);
  et_map (core, SERVICE, provider_id, PSID, 0, NULL, FALSE);
  client_id = et_add_client (core, "Client");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%d | https://www.instagram.com/p/Cancel%u/ | %u\n",
                            SERVICE, i, 100 + i);
  plan = relay_core_plan_mass_order (core, text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->n_good, ==, n);
  n_before = count_orders (store);

  /* Another connection holds the write lock: the thread waits in the book
   * (busy timeout) after it has started, and the caller cancels meanwhile. */
  g_assert_cmpint (sqlite3_open (relay_store_get_path (store), &locker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (locker, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  handler = g_signal_connect (store, "orders-changed", G_CALLBACK (on_orders_changed), &n_changed);
  relay_core_submit_mass_order_async (core, plan, client_id, cancellable, et_async_ready, &async);
  et_spin (1000);
  g_cancellable_cancel (cancellable);
  g_assert_cmpint (sqlite3_exec (locker, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (locker);

  ids = relay_core_submit_mass_order_finish (core, et_async_wait (&async), &error);
  et_async_clear (&async);
  g_signal_handler_disconnect (store, handler);

  if (ids == NULL)
    {
      /* Cancelled before anything was written. */
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_test_message ("cancelled before the thread wrote");
      g_assert_cmpint (count_orders (store), ==, n_before);
      g_assert_cmpuint (n_changed, ==, 0);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (ids->len, ==, n);
      g_assert_cmpint (count_orders (store), ==, n_before + n);
      g_assert_cmpuint (n_changed, ==, n);
    }
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  g_test_add_func ("/engine/mass-cancel/while-recording", test_cancel_while_recording);
  return g_test_run ();
}
