/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quitting while orders are being sent: the window goes at once, the app
 * waits for the requests in flight to answer, and no order is left
 * "sending" (which the next start would put in review).  Quitting (or
 * closing the window) while a mass order's lines are being recorded: the
 * app waits for them to be in the book. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "engine-book-lock.h"
#include "engine-test-util.h"
#include "gui-test-util.h"
#include "relay-mass-order-page.h"
#include "relay-application-private.h"
#include "relay-core.h"
#include "relay-dispatcher.h"
#include "relay-sim.h"

#define N_ORDERS 3

static gboolean
app_ready (gpointer data)
{
  RelayApplication *app = data;
  RelayCore *core = relay_application_get_core (app);

  g_autoptr(GPtrArray) services = NULL;

  if (core == NULL || app->sim == NULL || !relay_application_get_ready (app) ||
      relay_dispatcher_is_running (relay_core_get_dispatcher (core)))
    return FALSE;
  services = relay_store_list_services (relay_core_get_store (core), NULL);
  return services != NULL && services->len > 0;
}

/* One of the demo's services that orders go to at once, and a quantity it takes. */
static gint64
pick_service (RelayStore *store, gint64 *quantity)
{
  g_autoptr(GPtrArray) services = relay_store_list_services (store, NULL);

  g_assert_nonnull (services);
  for (guint i = 0; i < services->len; i++)
    {
      RelayServiceRow *service = g_ptr_array_index (services, i);

      if (service->manual || service->primary == NULL || service->primary->removed)
        continue;
      *quantity = MAX (service->primary->min, 1000);
      if (service->primary->max > 0)
        *quantity = MIN (*quantity, service->primary->max);
      return service->id;
    }
  g_assert_not_reached ();
}

static gboolean
add_arrived (gpointer data)
{
  RelayApplication *app = data;

  return relay_sim_get_n_requests (app->sim, "add") > GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (app), "adds"));
}

static gboolean
window_gone (gpointer data)
{
  return gt_get_window (RELAY_APPLICATION (data)) == NULL;
}

static void
test_quit_waits_for_sends (void)
{
  GtApp f = { 0 };
  RelayCore *core;
  RelayStore *store;
  RelayDispatcher *dispatcher;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayWindow *window;
  gint64 service_id, quantity = 0;

  gt_app_start (&f, TRUE, "smm-relay-quit-XXXXXX");
  g_assert_true (gt_wait_until (app_ready, f.app, 20000));
  core = relay_application_get_core (f.app);
  store = relay_core_get_store (core);
  dispatcher = relay_core_get_dispatcher (core);
  service_id = pick_service (store, &quantity);

  /* Every answer takes 800 ms: the quit comes while the adds are out. */
  relay_sim_set_latency (f.app->sim, 800, 800);
  for (guint i = 0; i < N_ORDERS; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      draft->service_id = service_id;
      draft->link = i == 0 ? "https://www.instagram.com/p/QuitOne/"
                  : i == 1 ? "https://www.instagram.com/p/QuitTwo/"
                           : "https://www.instagram.com/p/QuitThree/";
      draft->quantity = quantity;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (store, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  g_object_set_data (G_OBJECT (f.app), "adds",
                     GUINT_TO_POINTER (relay_sim_get_n_requests (f.app->sim, "add")));
  relay_dispatcher_send_async (dispatcher, (const gint64 *) ids->data, ids->len, NULL, NULL, NULL);
  g_assert_true (gt_wait_until (add_arrived, f.app, 10000));

  g_action_group_activate_action (G_ACTION_GROUP (f.app), "quit", NULL);
  /* Not gone yet: hidden, and the run goes on until its answers are in. */
  window = gt_get_window (f.app);
  g_assert_nonnull (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (relay_dispatcher_is_running (dispatcher));
  /* A second quit (Ctrl+Q again) changes nothing. */
  g_action_group_activate_action (G_ACTION_GROUP (f.app), "quit", NULL);
  g_assert_nonnull (gt_get_window (f.app));

  g_assert_true (gt_wait_until (window_gone, f.app, 15000));
  g_assert_false (relay_dispatcher_is_running (dispatcher));
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) row = relay_store_get_order (store, g_array_index (ids, gint64, i),
                                                            &error);

      g_assert_no_error (error);
      g_assert_nonnull (row);
      g_test_message ("order %" G_GINT64_FORMAT ": %s", row->id,
                      relay_order_status_to_string (row->status));
      g_assert_cmpint (row->status, !=, RELAY_ORDER_SENDING);
      g_assert_cmpint (row->status, !=, RELAY_ORDER_NEEDS_REVIEW);
    }
  gt_app_stop (&f);
}

/* ---- quitting while a mass order is recorded ---- */

#define N_LINES 300

static GtkWidget *
find_child (GtkWidget *widget, const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUILDABLE (child) &&
          g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (child)), id) == 0)
        return child;
      if ((found = find_child (child, id)) != NULL)
        return found;
    }
  return NULL;
}

/* The line the page gives as its example: one of the demo's services, a
 * link it takes and a quantity in its limits. */
static char *
example_line (GtkWidget *page)
{
  GtkWidget *label = find_child (page, "example_label");
  const char *text, *start, *end;

  g_assert_nonnull (label);
  text = gtk_label_get_label (GTK_LABEL (label));
  start = strstr (text, "“");
  g_assert_nonnull (start);
  start += strlen ("“");
  end = strstr (start, "”");
  g_assert_nonnull (end);
  return g_strndup (start, (gsize) (end - start));
}

/* The orders in the book at @path, read on a connection of its own. */
static gint64
count_orders (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM orders", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* Presses Submit (and Send when the page asks) until the lines are being
 * recorded: a catalog change just before (the start-up balance, recorded
 * off the main loop) has the page plan the lines again first, and Send of a
 * question asked meanwhile only asks again. */
static gboolean
submit_until_recording (gpointer data)
{
  GtkWidget *page = data;
  GtkWidget *confirm = find_child (page, "confirm_box");
  GtkWidget *send = find_child (page, "confirm_send_button");
  GtkWidget *submit = find_child (page, "submit_button");

  if (relay_mass_order_page_get_recording (RELAY_MASS_ORDER_PAGE (page)))
    return TRUE;
  if (confirm != NULL && gtk_widget_get_visible (confirm))
    {
      if (gtk_widget_get_sensitive (send))
        g_signal_emit_by_name (send, "clicked");
    }
  else if (gtk_widget_get_sensitive (submit))
    g_signal_emit_by_name (submit, "clicked");
  return relay_mass_order_page_get_recording (RELAY_MASS_ORDER_PAGE (page));
}

static void
quit_while_recording (gboolean close_window)
{
  GtApp f = { 0 };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *line = NULL;
  g_autofree char *path = NULL;
  GtkWidget *page, *submit;
  EtBookLock *lock;
  gint64 n_before;

  gt_app_start (&f, TRUE, "smm-relay-quit-XXXXXX");
  g_assert_true (gt_wait_until (app_ready, f.app, 20000));
  relay_window_show_page (f.window, "mass-order");
  page = gtk_stack_get_child_by_name (relay_window_get_stack (f.window), "mass-order");
  g_assert_true (RELAY_IS_MASS_ORDER_PAGE (page));
  line = example_line (page);
  g_test_message ("%u × %s", N_LINES, line);
  for (guint i = 0; i < N_LINES; i++)
    g_string_append_printf (text, "%s\n", line);
  relay_mass_order_page_set_text (RELAY_MASS_ORDER_PAGE (page), text->str);
  submit = find_child (page, "submit_button");
  g_assert_true (gt_wait_until (widget_sensitive, submit, 20000));
  path = g_build_filename (f.dir, "demo.db", NULL);
  n_before = count_orders (path);

  /* Another writer holds the book: the lines wait on the core's worker.
   * Held until released below (30 s is only a safety limit): a time limit
   * of 3 s ran out on loaded runs, and the lines went in while "held". */
  lock = et_book_lock_take (path, 30000);
  g_assert_true (gt_wait_until (submit_until_recording, page, 20000));

  if (close_window)
    gtk_window_close (GTK_WINDOW (f.window));
  else
    g_action_group_activate_action (G_ACTION_GROUP (f.app), "quit", NULL);
  gt_spin (300);
  /* Not gone while the lines are not in the book: hidden, waiting. */
  g_assert_nonnull (gt_get_window (f.app));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gt_get_window (f.app))));
  g_assert_cmpint (count_orders (path), ==, n_before);

  et_book_lock_release (lock);
  g_assert_true (gt_wait_until (window_gone, f.app, 20000));
  /* Gone once every line is an order (sent now or at the next start). */
  g_assert_cmpint (count_orders (path), ==, n_before + N_LINES);
  gt_app_stop (&f);
}

/* ---- a balance that comes back while another writer holds the book ---- */

typedef struct
{
  gboolean              done;
  RelayProviderBalance *balance;
  GError               *error;
} Refreshed;

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Refreshed *refreshed = user_data;

  refreshed->balance = relay_core_refresh_balance_finish (RELAY_CORE (source), result,
                                                          &refreshed->error);
  refreshed->done = TRUE;
}

static gboolean
refresh_idle (gpointer data)
{
  RelayApplication *app = data;

  return !relay_application_get_syncing (app) &&
         !relay_dispatcher_is_running (relay_core_get_dispatcher (relay_application_get_core (app)));
}

static gboolean
balance_asked (gpointer data)
{
  RelayApplication *app = data;

  return relay_sim_get_n_requests (app->sim, "balance") >
         GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (app), "balances"));
}

static gboolean
refreshed_done (gpointer data)
{
  return ((Refreshed *) data)->done;
}

/* The balance that came back while the book was held was written on the
 * main loop, which waited for the lock (up to the 5 s busy timeout, then
 * the write was lost): a quit while a mass order was recorded waited with
 * it, and gui/quit saw the lines go in while "held" (324 == 24).  Now it is
 * written on a worker: the main loop keeps running, the refresh completes
 * once the other writer lets go, and the balance is in the book. */
static void
test_balance_while_book_held (void)
{
  GtApp f = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(GError) error = NULL;
  Refreshed refreshed = { 0 };
  EtGap gap = { 0 };
  gint64 longest;
  RelayCore *core;
  RelayStore *store;
  EtBookLock *lock;
  gint64 provider_id, started;

  gt_app_start (&f, TRUE, "smm-relay-quit-XXXXXX");
  g_assert_true (gt_wait_until (app_ready, f.app, 20000));
  core = relay_application_get_core (f.app);
  store = relay_core_get_store (core);
  providers = relay_store_list_providers (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (providers->len, >, 0);
  provider_id = ((RelayProviderRow *) g_ptr_array_index (providers, 0))->id;
  /* No refresh of the app's own meanwhile: the window hidden, the last one over. */
  gtk_widget_set_visible (GTK_WIDGET (f.window), FALSE);
  g_assert_true (gt_wait_until (refresh_idle, f.app, 20000));

  path = g_build_filename (f.dir, "demo.db", NULL);
  lock = et_book_lock_take (path, 30000);
  started = g_get_real_time () / G_USEC_PER_SEC;
  g_object_set_data (G_OBJECT (f.app), "balances",
                     GUINT_TO_POINTER (relay_sim_get_n_requests (f.app->sim, "balance")));
  et_gap_start (&gap, 10);
  relay_core_refresh_balance_async (core, provider_id, NULL, on_refreshed, &refreshed);
  g_assert_true (gt_wait_until (balance_asked, f.app, 10000));
  /* The reply comes and waits for the book; the main loop does not. */
  gt_spin (1000);
  longest = et_gap_stop (&gap);
  g_test_message ("longest gap of the main loop while the book was held: %" G_GINT64_FORMAT
                  " ms", longest / 1000);
  g_assert_cmpint (longest, <, 2 * G_USEC_PER_SEC);
  g_assert_false (refreshed.done);

  et_book_lock_release (lock);
  g_assert_true (gt_wait_until (refreshed_done, &refreshed, 10000));
  g_assert_no_error (refreshed.error);
  g_assert_nonnull (refreshed.balance);
  row = relay_store_get_provider (store, provider_id, &error);
  g_assert_no_error (error);
  g_assert_true (row->has_balance);
  g_assert_cmpint (row->balance, ==, refreshed.balance->balance);
  g_assert_cmpint (row->balance_at, >=, started);
  relay_provider_balance_free (refreshed.balance);
  gt_app_stop (&f);
}

static void
test_quit_waits_for_recording (void)
{
  quit_while_recording (FALSE);
}

static void
test_close_waits_for_recording (void)
{
  quit_while_recording (TRUE);
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  g_test_add_func ("/quit/waits-for-sends", test_quit_waits_for_sends);
  g_test_add_func ("/quit/waits-for-recording", test_quit_waits_for_recording);
  g_test_add_func ("/quit/close-waits-for-recording", test_close_waits_for_recording);
  g_test_add_func ("/quit/balance-while-book-held", test_balance_while_book_held);
  return g_test_run ();
}
