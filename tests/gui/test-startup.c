/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 10, the first rows of a big book: opening the window computes only
 * what it shows.  The hidden Clients page reads no client's order counts or
 * balance, the hidden Services page no catalog and the hidden Reports page
 * asks for no report until each is first shown; then each shows the book as
 * it is at that moment (changes made while it was hidden included), and the
 * Orders page's client filter lists every client from the start. */
#include "config.h"

#include <adwaita.h>

#include "gui-test-util.h"
#include "relay-client-item.h"
#include "relay-clients-page.h"
#include "relay-orders-page.h"
#include "relay-reports-page.h"
#include "relay-services-page.h"

#define WAIT_MS 30000

static gboolean
first_rows (gpointer data)
{
  RelayWindow *window = data;
  RelayOrdersPage *page = relay_window_get_orders_page (window);

  return gtk_widget_get_mapped (GTK_WIDGET (page)) && relay_orders_page_get_model (page) != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (relay_orders_page_get_model (page))) == 0;
}

static GListModel *
clients_model (GtkWidget *clients_page)
{
  GtkWidget *view = (GtkWidget *) gtk_widget_get_template_child (clients_page, RELAY_TYPE_CLIENTS_PAGE,
                                                   "clients_view");

  g_assert_nonnull (view);
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)));
}

static gboolean
clients_listed (gpointer data)
{
  return g_list_model_get_n_items (clients_model (data)) == 2;
}

/* The providers the Services page offers. */
static guint
n_services_providers (GtkWidget *services_page)
{
  GtkWidget *dropdown = (GtkWidget *) gtk_widget_get_template_child (services_page,
                                                                     RELAY_TYPE_SERVICES_PAGE,
                                                                     "provider_drop_down");
  GListModel *model;

  g_assert_nonnull (dropdown);
  model = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  return model != NULL ? g_list_model_get_n_items (model) : 0;
}

static gboolean
two_providers (gpointer data)
{
  return n_services_providers (data) == 2;
}

static gboolean
report_loaded (gpointer data)
{
  RelayReportsPage *page = data;

  return !relay_reports_page_get_loading (page) && relay_reports_page_get_report (page) != NULL;
}

/* The balance of the listed client called @name. */
static gint64
listed_balance (GtkWidget  *clients_page,
                const char *name)
{
  GListModel *model = clients_model (clients_page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayClientItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (relay_client_item_get_row (item)->name, name) == 0)
        return relay_client_item_get_row (item)->balance;
    }
  g_assert_not_reached ();
}

/* Acme Agency is listed with a balance of -6.00 (@data: the Clients page). */
static gboolean
acme_topped_up (gpointer data)
{
  GListModel *model = clients_model (data);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayClientItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (relay_client_item_get_row (item)->name, "Acme Agency") == 0)
        return relay_client_item_get_row (item)->balance == -6000000;
    }
  return FALSE;
}

static gboolean
filter_lists (GtkWidget  *orders_page,
              const char *name)
{
  GtkWidget *dropdown = (GtkWidget *) gtk_widget_get_template_child (orders_page, RELAY_TYPE_ORDERS_PAGE,
                                                       "client_dropdown");
  GListModel *names;

  g_assert_nonnull (dropdown);
  names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  for (guint i = 0; names != NULL && i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), name) == 0)
      return TRUE;
  return FALSE;
}

static void
test_hidden_pages_wait (void)
{
  g_autoptr(GError) error = NULL;
  GtApp fixture = { 0 };
  RelayStore *store;
  RelayWindow *window;
  GtkWidget *clients_page;
  GtkWidget *reports_page;
  GtkWidget *services_page;
  gint64 acme;
  gint64 bolt;

  gt_app_make_dir (&fixture, "smm-relay-startup-XXXXXX");

  /* A book with two clients, one of whom paid. */
  {
    g_autoptr(RelayCore) core = relay_core_new (fixture.book, NULL, &error);

    g_assert_no_error (error);
    store = relay_core_get_store (core);
    acme = relay_store_add_client (store, "Acme Agency", &error);
    g_assert_no_error (error);
    bolt = relay_store_add_client (store, "Bolt Media", &error);
    g_assert_no_error (error);
    relay_store_add_payment (store, acme, 5000000, "Bank transfer", &error);
    g_assert_no_error (error);
    /* A provider that answers nothing (nothing is sent to it here). */
    relay_store_add_provider (store, "Sim", "http://127.0.0.1:9/", NULL, &error);
    g_assert_no_error (error);
  }

  gt_app_start (&fixture, FALSE, NULL);
  window = fixture.window;
  store = relay_core_get_store (relay_application_get_core (fixture.app));
  clients_page = gtk_stack_get_child_by_name (relay_window_get_stack (window), "clients");
  reports_page = gtk_stack_get_child_by_name (relay_window_get_stack (window), "reports");
  services_page = gtk_stack_get_child_by_name (relay_window_get_stack (window), "services");
  g_assert_true (RELAY_IS_SERVICES_PAGE (services_page));
  g_assert_true (RELAY_IS_CLIENTS_PAGE (clients_page));
  g_assert_true (RELAY_IS_REPORTS_PAGE (reports_page));

  /* The window opens on the orders (none yet); the filter knows both clients. */
  g_assert_true (gt_wait_until (first_rows, window, WAIT_MS));
  g_assert_true (filter_lists (GTK_WIDGET (relay_window_get_orders_page (window)), "Acme Agency"));
  g_assert_true (filter_lists (GTK_WIDGET (relay_window_get_orders_page (window)), "Bolt Media"));

  /* The hidden pages read nothing: no client list (counts, balances), no report. */
  gt_spin (200);
  g_assert_false (gtk_widget_get_mapped (clients_page));
  g_assert_cmpuint (g_list_model_get_n_items (clients_model (clients_page)), ==, 0);
  g_assert_false (gtk_widget_get_mapped (reports_page));
  g_assert_null (relay_reports_page_get_report (RELAY_REPORTS_PAGE (reports_page)));
  g_assert_false (relay_reports_page_get_loading (RELAY_REPORTS_PAGE (reports_page)));
  g_assert_false (gtk_widget_get_mapped (services_page));
  g_assert_cmpuint (n_services_providers (services_page), ==, 0);

  /* The book changes while they are hidden: still nothing read. */
  relay_store_add_payment (store, bolt, 2500000, "Prepaid", &error);
  g_assert_no_error (error);
  gt_spin (200);
  g_assert_cmpuint (g_list_model_get_n_items (clients_model (clients_page)), ==, 0);

  /* Shown, the Clients page lists both with their balances as they are now. */
  relay_window_show_page (window, "clients");
  g_assert_true (gt_wait_until (clients_listed, clients_page, WAIT_MS));
  g_assert_cmpint (listed_balance (clients_page, "Acme Agency"), ==, -5000000);
  g_assert_cmpint (listed_balance (clients_page, "Bolt Media"), ==, -2500000);

  /* Shown, the Reports page asks for its report. */
  relay_window_show_page (window, "reports");
  g_assert_true (gt_wait_until (report_loaded, reports_page, WAIT_MS));
  g_assert_cmpint (relay_reports_page_get_report (RELAY_REPORTS_PAGE (reports_page))->orders, ==, 0);

  /* Hidden again, the Clients page follows the book once shown again. */
  relay_window_show_page (window, "orders");
  relay_store_add_payment (store, acme, 1000000, "Top-up", &error);
  g_assert_no_error (error);
  relay_window_show_page (window, "clients");
  /* Read when shown, which may take more than a frame on a loaded machine
   * (a fixed 100 ms failed once with 2 cores shared by four builds). */
  gt_wait_until (acme_topped_up, clients_page, WAIT_MS);
  g_assert_cmpint (listed_balance (clients_page, "Acme Agency"), ==, -6000000);

  /* The Services page reads its providers and catalog when shown, with a
   * provider added while it was hidden. */
  relay_store_add_provider (store, "Other", "http://127.0.0.1:9/", NULL, &error);
  g_assert_no_error (error);
  gt_spin (100);
  g_assert_cmpuint (n_services_providers (services_page), ==, 0);
  relay_window_show_page (window, "services");
  g_assert_true (gt_wait_until (two_providers, services_page, WAIT_MS));

  gt_app_stop (&fixture);
}

/* The refresh the window starts with waits for the window's first frames
 * (they were 20-40 ms each with the refresh's own start in them): it starts
 * after the first frame is painted, and not long after. */
typedef struct
{
  gint64 first_paint;   /* monotonic µs */
  gint64 first_sync;
} StartTimes;

static void
on_after_paint (GdkFrameClock *clock, StartTimes *times)
{
  if (times->first_paint == 0)
    times->first_paint = g_get_monotonic_time ();
}

static void
on_syncing (RelayApplication *app, GParamSpec *pspec, StartTimes *times)
{
  if (times->first_sync == 0 && relay_application_get_syncing (app))
    times->first_sync = g_get_monotonic_time ();
}

static gboolean
synced_once (gpointer data)
{
  return ((StartTimes *) data)->first_sync != 0;
}

static void
test_first_refresh_after_first_frame (void)
{
  g_autoptr(GError) error = NULL;
  GtApp fixture = { 0 };
  StartTimes times = { 0 };

  gt_app_make_dir (&fixture, "smm-relay-startup-XXXXXX");
  {
    g_autoptr(RelayCore) core = relay_core_new (fixture.book, NULL, &error);

    g_assert_no_error (error);
    relay_store_add_provider (relay_core_get_store (core), "Sim", "http://127.0.0.1:9/", NULL, &error);
    g_assert_no_error (error);
  }
  gt_app_start (&fixture, FALSE, NULL);
  /* The book is ready and the window shown, its first frame not painted yet. */
  g_assert_true (relay_application_get_ready (fixture.app));
  g_assert_false (relay_application_get_syncing (fixture.app));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (fixture.window)), "after-paint",
                    G_CALLBACK (on_after_paint), &times);
  g_signal_connect (fixture.app, "notify::syncing", G_CALLBACK (on_syncing), &times);

  g_assert_true (gt_wait_until (synced_once, &times, WAIT_MS));
  g_assert_cmpint (times.first_paint, !=, 0);
  /* Half a second after the first frame (the old code started it before). */
  g_assert_cmpint (times.first_sync - times.first_paint, >=, 400 * 1000);

  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (GTK_WIDGET (fixture.window)), &times);
  g_signal_handlers_disconnect_by_data (fixture.app, &times);
  gt_app_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  gt_init (&argc, &argv);

  g_test_add_func ("/startup/hidden-pages-wait", test_hidden_pages_wait);
  g_test_add_func ("/startup/first-refresh-after-first-frame", test_first_refresh_after_first_frame);
  return g_test_run ();
}
