/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayApplication: the book, the demo provider, the refresh and notifications. */
#include "config.h"

#include "relay-application-private.h"
#include "relay-bench-mode.h"
#include "relay-demo.h"
#include "relay-dispatcher.h"
#include "relay-file-key-store.h"
#include "relay-format.h"
#include "relay-notifier.h"
#include "relay-sync.h"

#include <errno.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#define DEMO_SPEED 2.0
#define MIN_REFRESH_INTERVAL 5
#define DEMO_REFRESH_INTERVAL 5

G_DEFINE_FINAL_TYPE (RelayApplication, relay_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_CORE,
  PROP_DEMO,
  PROP_READY,
  PROP_SYNCING,
  PROP_UPDATED_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the demo book with the built-in demo provider"), NULL },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the order book at PATH"), N_("PATH") },
  /* Tests: where the demo book, its keys and the simulator's state live. */
  { "demo-dir", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, NULL, NULL, NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

RelayApplication *
relay_application_new (void)
{
  return g_object_new (RELAY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/smmrelay/SmmRelay",
                       NULL);
}

/* ---- the updated text and the timers ---- */

static void
set_updated_text (RelayApplication *self,
                  char             *text)
{
  if (g_strcmp0 (self->updated_text, text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->updated_text);
  self->updated_text = text;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_TEXT]);
}

static void
update_text (RelayApplication *self)
{
  gint64 last = 0;
  g_autofree char *ago = NULL;

  if (self->core != NULL)
    last = relay_sync_get_last_run (relay_core_get_sync (self->core));

  if (self->core == NULL)
    set_updated_text (self, g_strdup (""));
  else if (self->n_running > 0)
    set_updated_text (self, g_strdup (_("Updating…")));
  else if (self->demo && !self->ready)
    set_updated_text (self, g_strdup (_("Preparing the demo…")));
  else if (last == 0)
    set_updated_text (self, g_strdup (_("Not updated yet")));
  else
    {
      ago = relay_format_ago (last, g_get_real_time () / G_USEC_PER_SEC);
      /* Translators: "Updated 12 s ago", "Updated just now" */
      set_updated_text (self, g_strdup_printf (_("Updated %s"), ago));
    }
}

static gboolean
tick (gpointer data)
{
  update_text (RELAY_APPLICATION (data));
  return G_SOURCE_CONTINUE;
}

static guint
refresh_interval (RelayApplication *self)
{
  guint interval = MAX (g_settings_get_uint (self->settings, "refresh-interval"),
                        MIN_REFRESH_INTERVAL);

  /* The demo provider runs twice as fast as life: keep up with it. */
  if (self->demo)
    interval = MIN (interval, DEMO_REFRESH_INTERVAL);
  return interval;
}

static gboolean
refresh_tick (gpointer data)
{
  relay_application_refresh (RELAY_APPLICATION (data));
  return G_SOURCE_CONTINUE;
}

static gboolean
any_window_shown (RelayApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      GtkWidget *window = l->data;

      if (!gtk_widget_get_visible (window))
        continue;
      if (RELAY_IS_WINDOW (window) && relay_window_get_minimized (RELAY_WINDOW (window)))
        continue;
      return TRUE;
    }
  return FALSE;
}

static void
stop_timers (RelayApplication *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* The refresh runs while a window shows and pauses while none does. */
static void
update_timers (RelayApplication *self)
{
  gboolean run = self->core != NULL && self->ready && any_window_shown (self);
  gint64 last;
  gint64 now;

  if (!run)
    {
      stop_timers (self);
      return;
    }
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick, self);
  if (self->refresh_id != 0)
    return;

  self->refresh_id = g_timeout_add_seconds (refresh_interval (self), refresh_tick, self);
  /* Back from a pause: catch up when the last refresh is older than the interval. */
  last = relay_sync_get_last_run (relay_core_get_sync (self->core));
  now = g_get_real_time () / G_USEC_PER_SEC;
  if (self->n_running == 0 && last != 0 && now - last >= refresh_interval (self))
    relay_application_refresh (self);
}

static void
on_refresh_interval_changed (GSettings        *settings,
                             const char       *key,
                             RelayApplication *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  update_timers (self);
}

static void
on_window_shown_changed (GtkWidget        *window,
                         GParamSpec       *pspec,
                         RelayApplication *self)
{
  update_timers (self);
}

/* ---- notifications (relay-notifier.c) ---- */

static void
notify_changes (RelayApplication *self,
                GArray           *changes)
{
  if (self->notifier != NULL)
    relay_notifier_orders_changed (self->notifier, changes);
}

/* A run's changes go to the notifier this long after the run ends: its
 * toasts (built, then animated in at the foot of the window) no longer come
 * in the frame that shows the run's last rows, which then painted the rows,
 * the toast and all between (GTK 4.8's cairo renderer paints the box around
 * a frame's changes: 20-24 ms at the end of a 10,000-order refresh). */
#define NOTIFY_DELAY_MS 150

static gboolean
notify_later (gpointer data)
{
  RelayApplication *self = RELAY_APPLICATION (data);

  self->notify_id = 0;
  notify_changes (self, self->pending_changes);
  g_array_set_size (self->pending_changes, 0);
  return G_SOURCE_REMOVE;
}

static void
notify_changes_soon (RelayApplication *self,
                     GArray           *changes)
{
  if (changes == NULL || changes->len == 0)
    return;
  g_array_append_vals (self->pending_changes, changes->data, changes->len);
  if (self->notify_id == 0)
    self->notify_id = g_timeout_add_full (G_PRIORITY_DEFAULT, NOTIFY_DELAY_MS, notify_later,
                                          g_object_ref (self), g_object_unref);
}

/* What is still to be told, told now (the book is closing). */
static void
notify_pending_now (RelayApplication *self)
{
  if (self->notify_id == 0)
    return;
  g_clear_handle_id (&self->notify_id, g_source_remove);
  notify_changes (self, self->pending_changes);
  g_array_set_size (self->pending_changes, 0);
}

/* ---- the refresh ---- */

/* "Updated just now" comes this long after a refresh's end, once what the
 * refresh ends with is on screen (its last rows, then its toasts at the foot
 * of the window): the header's subtitle changed in
 * those frames (with the table's footer, that follows it) made each of them
 * paint the whole window (GTK 4.8's cairo renderer paints the box around all
 * of a frame's changes: 10-14 ms for a 10,000-order refresh under Xvfb;
 * 50 ms was too soon: stall-paste after the bench's per-order baseline
 * 20.5 / 20.4 / 25.6 ms, with 400 ms 15.7 / 11.6 / 12.1).  The toasts come
 * NOTIFY_DELAY_MS after the end and animate in for 200-300 ms. */
#define UPDATED_TEXT_DELAY_MS 500

static gboolean
updated_text_later (gpointer data)
{
  RelayApplication *self = RELAY_APPLICATION (data);

  self->updated_text_id = 0;
  update_text (self);
  return G_SOURCE_REMOVE;
}

static void
running_changed (RelayApplication *self,
                 int               delta)
{
  gboolean was = self->n_running > 0;

  self->n_running = (guint) ((int) self->n_running + delta);
  g_clear_handle_id (&self->updated_text_id, g_source_remove);
  if (was && self->n_running == 0 && self->core != NULL)
    self->updated_text_id = g_timeout_add_full (G_PRIORITY_DEFAULT, UPDATED_TEXT_DELAY_MS,
                                                updated_text_later, g_object_ref (self),
                                                g_object_unref);
  else
    update_text (self);
  if (was != (self->n_running > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
}

static void
show_error (RelayApplication *self,
            const char       *prefix,
            const GError     *error)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *text = g_strdup_printf ("%s: %s", prefix, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_debug ("%s", text);
  if (RELAY_IS_WINDOW (window))
    relay_window_show_message (RELAY_WINDOW (window), text);
}

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySyncReport) report = relay_sync_run_finish (RELAY_SYNC (source), result, &error);

  if (report == NULL)
    show_error (self, _("Could not refresh the orders"), error);
  else
    notify_changes_soon (self, report->changes);
  running_changed (self, -1);
}

static void
on_balance_refreshed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;

  /* The core records the balance (or the provider's last error) itself, and
   * the providers page follows the book; a failure is only worth a debug line. */
  balance = relay_core_refresh_balance_finish (RELAY_CORE (source), result, &error);
  if (balance == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Balance not refreshed: %s", error->message);
}

/* Sending orders spends the providers' balances: ask them again, once per
 * provider that got orders in this run. */
static void
refresh_sent_balances (RelayApplication *self)
{
  for (guint i = 0; self->core != NULL && i < self->sent_providers->len; i++)
    relay_core_refresh_balance_async (self->core, g_array_index (self->sent_providers, gint64, i),
                                      self->cancellable, on_balance_refreshed,
                                      g_object_ref (self));
  g_array_set_size (self->sent_providers, 0);
}

static void
on_dispatch_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;

  report = relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, &error);
  if (report == NULL)
    show_error (self, _("Could not send the orders"), error);
  refresh_sent_balances (self);
  notify_changes_soon (self, self->dispatch_changes);
  g_array_set_size (self->dispatch_changes, 0);
  running_changed (self, -1);
}

static void
on_order_sent (RelayDispatcher  *dispatcher,
               gint64            order_id,
               guint             status,
               RelayApplication *self)
{
  RelayStatusChange change = { order_id, RELAY_ORDER_SENDING, status };
  g_autoptr(RelayOrderRow) row = NULL;

  g_array_append_val (self->dispatch_changes, change);
  if (status == RELAY_ORDER_FAILED || self->core == NULL)
    return;
  row = relay_store_get_order (relay_core_get_store (self->core), order_id, NULL);
  if (row == NULL || row->provider_id == 0)
    return;
  for (guint i = 0; i < self->sent_providers->len; i++)
    if (g_array_index (self->sent_providers, gint64, i) == row->provider_id)
      return;
  g_array_append_val (self->sent_providers, row->provider_id);
}

void
relay_application_refresh (RelayApplication *self)
{
  g_return_if_fail (RELAY_IS_APPLICATION (self));

  if (self->core == NULL || !self->ready)
    return;

  running_changed (self, +2);
  relay_sync_run_async (relay_core_get_sync (self->core), self->cancellable,
                        on_sync_done, g_object_ref (self));
  relay_dispatcher_run_async (relay_core_get_dispatcher (self->core), self->cancellable,
                              on_dispatch_done, g_object_ref (self));
}

/* ---- the book ---- */

/* The first refresh of a book opened in a window starts this long after
 * the window's first frame is painted: the window's first frames (its first
 * full paint, the X server's answers about its place, libadwaita's start-up
 * style switch 250 ms after adw_init()) are the heaviest it has, and the
 * refresh's own start (keys read, the active orders paged in, the first
 * replies parsed and applied, the table's rows changing) landed in them:
 * 20-40 ms frames under the cairo renderer.  The statuses come half a second
 * later; Refresh (F5) meanwhile starts at once. */
#define FIRST_REFRESH_DELAY_MS 500
#define FIRST_REFRESH_LATEST_MS 3000

static void cancel_first_refresh (RelayApplication *self);

static gboolean
first_refresh (gpointer data)
{
  RelayApplication *self = RELAY_APPLICATION (data);

  self->first_refresh_id = 0;
  cancel_first_refresh (self);
  relay_application_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
cancel_first_refresh (RelayApplication *self)
{
  g_clear_handle_id (&self->first_refresh_id, g_source_remove);
  /* A window closed meanwhile: GDK disposed of its frame clock, handlers
   * and all. */
  if (self->first_paint_clock != NULL && self->first_paint_id != 0 &&
      g_signal_handler_is_connected (self->first_paint_clock, self->first_paint_id))
    g_signal_handler_disconnect (self->first_paint_clock, self->first_paint_id);
  self->first_paint_id = 0;
  g_clear_object (&self->first_paint_clock);
}

static void
on_first_paint (GdkFrameClock    *clock,
                RelayApplication *self)
{
  cancel_first_refresh (self);
  self->first_refresh_id = g_timeout_add (FIRST_REFRESH_DELAY_MS, first_refresh, self);
}

static void
set_ready (RelayApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GdkFrameClock *clock = window != NULL ? gtk_widget_get_frame_clock (GTK_WIDGET (window)) : NULL;

  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  update_text (self);
  cancel_first_refresh (self);
  if (clock != NULL && gdk_frame_clock_get_frame_counter (clock) > 0 && any_window_shown (self))
    /* Its first frames are over (another book was open in it). */
    self->first_refresh_id = g_timeout_add (FIRST_REFRESH_DELAY_MS, first_refresh, self);
  else if (clock != NULL && any_window_shown (self))
    {
      self->first_paint_clock = g_object_ref (clock);
      self->first_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), self);
      gtk_widget_queue_draw (GTK_WIDGET (window));
      /* And at the latest then, should that window go before its first
       * frame (its frame clock with it). */
      self->first_refresh_id = g_timeout_add (FIRST_REFRESH_LATEST_MS, first_refresh, self);
    }
  else
    relay_application_refresh (self);
  update_timers (self);
}

static void
on_demo_prepared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_demo_prepare_finish (RELAY_CORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error (self, _("Could not prepare the demo"), error);
    }
  if (RELAY_CORE (source) == self->core)
    set_ready (self);
}

static char *
demo_book_path (RelayApplication *self)
{
  g_autofree char *real = NULL;
  char *path;

  if (self->db_path != NULL)
    return g_strdup (self->db_path);
  if (self->demo_dir != NULL)
    return g_build_filename (self->demo_dir, "demo.db", NULL);
  /* Never the real book, even when $SMM_RELAY_DB points at it. */
  path = relay_store_default_path (TRUE);
  real = relay_store_default_path (FALSE);
  if (g_strcmp0 (path, real) == 0)
    {
      g_free (path);
      path = g_build_filename (g_get_user_data_dir (), "smm-relay", "demo.db", NULL);
    }
  return path;
}

static gboolean
open_demo (RelayApplication  *self,
           GError           **error)
{
  g_autofree char *path = demo_book_path (self);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *keys_path = g_build_filename (dir, "demo-keys", NULL);
  g_autofree char *sim_state = g_build_filename (dir, "demo-sim.db", NULL);
  g_autoptr(RelayKeyStore) keys = NULL;
  g_autoptr(RelaySim) sim = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  sim = relay_sim_new ();
  if (!relay_sim_set_state_file (sim, sim_state, error))
    return FALSE;
  relay_sim_set_speed (sim, DEMO_SPEED);
  if (!relay_sim_listen (sim, 0, error))
    return FALSE;

  /* The demo's key stays beside the demo book, out of the real key store. */
  keys = relay_file_key_store_new (keys_path);
  self->core = relay_core_new (path, keys, error);
  if (self->core == NULL)
    return FALSE;
  self->sim_url = relay_sim_dup_url (sim);
  self->sim = g_steal_pointer (&sim);
  return TRUE;
}

static void
open_book (RelayApplication *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_error (&self->open_error);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->demo)
    open_demo (self, &error);
  else
    self->core = relay_core_new (self->db_path, NULL, &error);

  if (self->core == NULL)
    {
      g_warning ("Could not open the order book: %s", error ? error->message : "?");
      self->open_error = g_steal_pointer (&error);
      g_clear_object (&self->sim);
      return;
    }

  /* The CLI and cron write to the same book: the pages follow them. */
  relay_store_watch (relay_core_get_store (self->core), 1000);
  self->order_sent_id = g_signal_connect (relay_core_get_dispatcher (self->core), "order-sent",
                                          G_CALLBACK (on_order_sent), self);
  if (self->notifier != NULL)
    relay_notifier_set_core (self->notifier, self->core);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}

static void
start_book (RelayApplication *self)
{
  if (self->core == NULL)
    return;
  if (self->demo)
    {
      update_text (self);
      relay_demo_prepare_async (self->core, self->sim_url, self->cancellable,
                                on_demo_prepared, g_object_ref (self));
    }
  else
    set_ready (self);
}

static void
close_book (RelayApplication *self)
{
  cancel_first_refresh (self);
  stop_timers (self);
  notify_pending_now (self);
  g_clear_handle_id (&self->updated_text_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->core != NULL)
    {
      RelayDispatcher *dispatcher = relay_core_get_dispatcher (self->core);

      relay_dispatcher_stop (dispatcher);
      g_clear_signal_handler (&self->order_sent_id, dispatcher);
    }
  /* The notifier holds the core too: the book closes only when both let go. */
  if (self->notifier != NULL)
    relay_notifier_set_core (self->notifier, NULL);
  g_clear_object (&self->core);
  g_clear_object (&self->sim);
  g_clear_pointer (&self->sim_url, g_free);
  self->ready = FALSE;
  self->n_running = 0;
  g_array_set_size (self->dispatch_changes, 0);
  g_array_set_size (self->sent_providers, 0);
}

void
relay_application_switch_to_demo (RelayApplication *self)
{
  g_autoptr(GList) windows = NULL;
  RelayWindow *window;

  g_return_if_fail (RELAY_IS_APPLICATION (self));

  if (self->demo && self->core != NULL)
    {
      window = relay_application_get_window (self);
      relay_window_show_page (window, "orders");
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  g_application_hold (G_APPLICATION (self));
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (RELAY_IS_WINDOW (l->data))
        relay_window_save_state (l->data);
      gtk_window_destroy (l->data);
    }

  close_book (self);
  self->demo = TRUE;
  g_clear_pointer (&self->db_path, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
  open_book (self);

  window = relay_application_get_window (self);
  relay_window_show_page (window, "orders");
  gtk_window_present (GTK_WINDOW (window));
  start_book (self);
  g_application_release (G_APPLICATION (self));
}

/* ---- the style ---- */

static void
on_color_scheme_changed (GSettings        *settings,
                         const char       *key,
                         RelayApplication *self)
{
  g_autofree char *scheme = g_settings_get_string (settings, "color-scheme");
  AdwColorScheme adw_scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (scheme, "light") == 0)
    adw_scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (scheme, "dark") == 0)
    adw_scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), adw_scheme);
}

/* ---- GApplication ---- */

static int
relay_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  RelayApplication *self = RELAY_APPLICATION (application);
  gboolean flag = FALSE;
  char *path = NULL;

  if (g_variant_dict_lookup (options, "version", "b", &flag) && flag)
    {
      g_print ("smm-relay %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "demo", "b", &flag) && flag)
    self->demo = TRUE;
  if (g_variant_dict_lookup (options, "db", "^ay", &path))
    {
      g_free (self->db_path);
      self->db_path = path;
    }
  if (g_variant_dict_lookup (options, "demo-dir", "^ay", &path))
    {
      g_free (self->demo_dir);
      self->demo_dir = path;
    }

  /* Another book is another instance: do not hand this over to a running one. */
  if (self->demo || self->db_path != NULL || relay_bench_mode_wanted ())
    g_application_set_flags (application,
                             g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return G_APPLICATION_CLASS (relay_application_parent_class)->handle_local_options (application,
                                                                                     options);
}

static void
on_window_added (GtkApplication   *application,
                 GtkWindow        *window,
                 RelayApplication *self)
{
  g_signal_connect_object (window, "notify::visible",
                           G_CALLBACK (on_window_shown_changed), self, 0);
  if (RELAY_IS_WINDOW (window))
    g_signal_connect_object (window, "notify::minimized",
                             G_CALLBACK (on_window_shown_changed), self, 0);
  if (RELAY_IS_WINDOW (window) && self->notifier != NULL)
    relay_notifier_watch_window (self->notifier, RELAY_WINDOW (window));
  update_timers (self);
}

static void
on_window_removed (GtkApplication   *application,
                   GtkWindow        *window,
                   RelayApplication *self)
{
  update_timers (self);
}

static void
relay_application_startup (GApplication *application)
{
  RelayApplication *self = RELAY_APPLICATION (application);

  G_APPLICATION_CLASS (relay_application_parent_class)->startup (application);

  self->settings = relay_application_settings_new ();
  if (self->settings == NULL)
    {
      /* Not even the build tree's schema: say so and leave, without a window. */
      g_printerr (_("SMM Relay cannot start: its settings schema is not installed.\n"));
      g_application_quit (application);
      return;
    }
  self->notifier = relay_notifier_new (GTK_APPLICATION (self), self->settings);
  g_signal_connect (self->settings, "changed::refresh-interval",
                    G_CALLBACK (on_refresh_interval_changed), self);
  /* Follow the system's light or dark style unless the user chose one;
   * AdwApplication loads style.css (and style-dark.css) from the resources. */
  g_signal_connect (self->settings, "changed::color-scheme",
                    G_CALLBACK (on_color_scheme_changed), self);
  on_color_scheme_changed (self->settings, "color-scheme", self);

  g_signal_connect (self, "window-added", G_CALLBACK (on_window_added), self);
  g_signal_connect (self, "window-removed", G_CALLBACK (on_window_removed), self);

  relay_application_add_actions (self);
}

static void
relay_application_activate (GApplication *application)
{
  RelayApplication *self = RELAY_APPLICATION (application);
  gboolean first = self->core == NULL && self->open_error == NULL;
  RelayWindow *window;

  if (self->settings == NULL)
    return;
  if (first)
    open_book (self);

  window = relay_application_get_window (self);
  gtk_window_present (GTK_WINDOW (window));

  if (self->open_error != NULL)
    relay_window_show_message (window, self->open_error->message);
  if (first)
    start_book (self);
  if (first && relay_bench_mode_wanted ())
    relay_bench_mode_start (self, window);
}

static void
relay_application_shutdown (GApplication *application)
{
  RelayApplication *self = RELAY_APPLICATION (application);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (RELAY_IS_WINDOW (l->data))
      relay_window_save_state (l->data);
  /* Writes queued behind another writer's lock — an order's outcome, a
   * balance, a provider's last error — go into the book before the process
   * ends. */
  if (self->core != NULL && !relay_core_finish_writes (self->core, RELAY_CORE_FINISH_WRITES_MS))
    g_warning ("Not everything was recorded (an order's outcome, a balance or a provider's "
               "last error): the order book stayed locked; an order whose outcome was not "
               "recorded goes to Review at the next run");
  close_book (self);

  G_APPLICATION_CLASS (relay_application_parent_class)->shutdown (application);
}

/* ---- public ---- */

void
relay_application_set_book (RelayApplication *self,
                            gboolean          demo,
                            const char       *db_path,
                            const char       *demo_dir)
{
  g_return_if_fail (RELAY_IS_APPLICATION (self));
  g_return_if_fail (self->core == NULL);

  self->demo = demo;
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  g_free (self->demo_dir);
  self->demo_dir = g_strdup (demo_dir);
  if (demo || db_path != NULL)
    g_application_set_flags (G_APPLICATION (self),
                             g_application_get_flags (G_APPLICATION (self)) |
                             G_APPLICATION_NON_UNIQUE);
}

RelayCore *
relay_application_get_core (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);
  return self->core;
}

GSettings *
relay_application_get_settings (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);
  return self->settings;
}

gboolean
relay_application_get_demo (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);
  return self->demo;
}

gboolean
relay_application_get_ready (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);
  return self->ready;
}

gboolean
relay_application_get_syncing (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);
  return self->n_running > 0;
}

const char *
relay_application_get_updated_text (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);
  return self->updated_text;
}

const char *
relay_application_get_sim_url (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);
  return self->sim_url;
}

/* ---- GObject ---- */

static void
relay_application_dispose (GObject *object)
{
  RelayApplication *self = RELAY_APPLICATION (object);

  close_book (self);
  g_clear_object (&self->notifier);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (relay_application_parent_class)->dispose (object);
}

static void
relay_application_finalize (GObject *object)
{
  RelayApplication *self = RELAY_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_error (&self->open_error);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->demo_dir, g_free);
  g_clear_pointer (&self->updated_text, g_free);
  g_clear_pointer (&self->dispatch_changes, g_array_unref);
  g_clear_pointer (&self->pending_changes, g_array_unref);
  g_clear_pointer (&self->sent_providers, g_array_unref);

  G_OBJECT_CLASS (relay_application_parent_class)->finalize (object);
}

static void
relay_application_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayApplication *self = RELAY_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->n_running > 0);
      break;
    case PROP_UPDATED_TEXT:
      g_value_set_string (value, self->updated_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_application_class_init (RelayApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = relay_application_dispose;
  object_class->finalize = relay_application_finalize;
  object_class->get_property = relay_application_get_property;
  app_class->handle_local_options = relay_application_handle_local_options;
  app_class->startup = relay_application_startup;
  app_class->activate = relay_application_activate;
  app_class->shutdown = relay_application_shutdown;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_TEXT] =
    g_param_spec_string ("updated-text", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_application_init (RelayApplication *self)
{
  self->updated_text = g_strdup ("");
  self->dispatch_changes = g_array_new (FALSE, FALSE, sizeof (RelayStatusChange));
  self->pending_changes = g_array_new (FALSE, FALSE, sizeof (RelayStatusChange));
  self->sent_providers = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Relay your clients’ orders to provider panels "
                                              "and track them."));
}
