/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window follows what another process writes to its book: orders that a
 * second connection (the CLI, cron) adds show in the Orders page's list
 * within about two seconds, with nothing done in the window. */
#include "config.h"

#include <gtk/gtk.h>

#include "gui-test-util.h"
#include "relay-orders-page.h"

static gint64 client_id;

static char *
fill_order (guint i, RelayOrderDraft *draft, gpointer data)
{
  draft->client_id = client_id;
  draft->quantity = 1000;
  /* Due tomorrow: nothing in the window (its dispatcher) touches them. */
  draft->scheduled_at = g_get_real_time () / G_USEC_PER_SEC + 86400;
  return g_strdup_printf ("https://www.instagram.com/p/Watch%s%u/", (const char *) data, i);
}

typedef struct
{
  RelayWindow *window;
  guint        n;
} Wanted;

static gboolean
shows_n_orders (gpointer data)
{
  Wanted *wanted = data;
  RelayOrdersPage *page = relay_window_get_orders_page (wanted->window);
  RelayOrderListModel *model = relay_orders_page_get_model (page);

  return model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) == wanted->n;
}

static void
test_other_process_orders (void)
{
  GtApp fixture = { 0 };
  g_autoptr(RelayStore) other = NULL;
  g_autoptr(GArray) ids = NULL;
  Wanted wanted = { 0 };
  gint64 start;

  gt_app_make_dir (&fixture, "smm-relay-watch-XXXXXX");
  other = gt_book_open (fixture.dir);
  client_id = gt_book_add_catalog (other);
  ids = gt_book_add_orders (other, 3, fill_order, "a");
  g_clear_pointer (&ids, g_array_unref);

  gt_app_start (&fixture, FALSE, NULL);
  wanted.window = fixture.window;
  wanted.n = 3;
  g_assert_true (gt_wait_until (shows_n_orders, &wanted, 10000));

  /* Another connection — as another process would — records two more. */
  ids = gt_book_add_orders (other, 2, fill_order, "b");
  start = g_get_monotonic_time ();
  wanted.n = 5;
  g_assert_true (gt_wait_until (shows_n_orders, &wanted, 4000));
  g_test_message ("shown after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);

  g_clear_object (&other);
  gt_app_stop (&fixture);
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  g_test_add_func ("/book-watch/other-process-orders", test_other_process_orders);
  return g_test_run ();
}
