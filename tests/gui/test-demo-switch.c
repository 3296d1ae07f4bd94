/* SPDX-License-Identifier: GPL-3.0-or-later */
/* First run on an empty book: the orders page offers the demo, and app.demo
 * switches this very process to the demo book with its provider. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "relay-application.h"
#include "relay-window.h"

#define WAIT_MS 45000

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_until (gboolean (*cond) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint source = g_timeout_add (20, wake, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (source);
  return ok;
}

static RelayWindow *
get_window (RelayApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (RELAY_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
demo_has_rows (gpointer data)
{
  RelayApplication *app = data;
  RelayWindow *window = get_window (app);
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
  g_autofree char *dir = g_dir_make_tmp ("smm-relay-switch-XXXXXX", &error);
  g_autofree char *book = NULL;
  g_autofree char *demo_book = NULL;
  g_autoptr(RelayApplication) app = NULL;
  RelayWindow *window;

  g_assert_no_error (error);
  book = g_build_filename (dir, "orders.db", NULL);

  app = relay_application_new ();
  relay_application_set_book (app, FALSE, book, dir);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = get_window (app);
  g_assert_nonnull (window);
  g_assert_false (relay_application_get_demo (app));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "SMM Relay");
  g_assert_cmpstr (relay_orders_page_get_state (relay_window_get_orders_page (window)), ==,
                   "empty");

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  g_assert_true (relay_application_get_demo (app));
  g_assert_true (wait_until (demo_has_rows, app, WAIT_MS));

  window = get_window (app);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "SMM Relay — Demo");
  g_assert_cmpstr (relay_orders_page_get_state (relay_window_get_orders_page (window)), ==,
                   "orders");
  g_assert_nonnull (relay_application_get_sim_url (app));

  /* The real book stayed empty; the demo has its own beside it. */
  demo_book = g_build_filename (dir, "demo.db", NULL);
  g_assert_true (g_file_test (demo_book, G_FILE_TEST_EXISTS));
  {
    g_autoptr(RelayStore) real = relay_store_open (book, &error);
    RelayOrderQuery all = { 0 };

    g_assert_no_error (error);
    g_assert_cmpint (relay_store_count_orders (real, &all, NULL), ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/smm-relay-test", TRUE);

  g_test_add_func ("/application/switch-to-demo", test_switch);
  return g_test_run ();
}
