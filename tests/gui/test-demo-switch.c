/* SPDX-License-Identifier: GPL-3.0-or-later */
/* First run on an empty book: the orders page offers the demo, and app.demo
 * switches this very process to the demo book with its provider. */
#include "config.h"

#include <gtk/gtk.h>

#include "gui-test-util.h"

#define WAIT_MS 45000

static gboolean
demo_has_rows (gpointer data)
{
  RelayApplication *app = data;
  RelayWindow *window = gt_get_window (app);
  RelayOrderListModel *model;

  if (window == NULL || !relay_application_get_ready (app))
    return FALSE;
  model = relay_orders_page_get_model (relay_window_get_orders_page (window));
  return model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

static void
test_switch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_book = NULL;
  GtApp fixture = { 0 };
  RelayApplication *app;
  RelayWindow *window;

  gt_app_start (&fixture, FALSE, "smm-relay-switch-XXXXXX");
  app = fixture.app;
  window = fixture.window;
  g_assert_false (relay_application_get_demo (app));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "SMM Relay");
  g_assert_cmpstr (relay_orders_page_get_state (relay_window_get_orders_page (window)), ==,
                   "empty");

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  g_assert_true (relay_application_get_demo (app));
  g_assert_true (gt_wait_until (demo_has_rows, app, WAIT_MS));

  window = gt_get_window (app);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "SMM Relay — Demo");
  g_assert_cmpstr (relay_orders_page_get_state (relay_window_get_orders_page (window)), ==,
                   "orders");
  g_assert_nonnull (relay_application_get_sim_url (app));

  /* The real book stayed empty; the demo has its own beside it. */
  demo_book = g_build_filename (fixture.dir, "demo.db", NULL);
  g_assert_true (g_file_test (demo_book, G_FILE_TEST_EXISTS));
  {
    g_autoptr(RelayStore) real = relay_store_open (fixture.book, &error);
    RelayOrderQuery all = { 0 };

    g_assert_no_error (error);
    g_assert_cmpint (relay_store_count_orders (real, &all, NULL), ==, 0);
  }

  gt_app_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  gt_init (&argc, &argv);

  g_test_add_func ("/application/switch-to-demo", test_switch);
  return g_test_run ();
}
