/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application actions of RelayApplication and their accelerators. */
#include "config.h"

#include "relay-application-private.h"
#include "relay-preferences-window.h"
#include "relay-mass-order-page.h"

#include <glib/gi18n.h>

RelayWindow *
relay_application_get_window (RelayApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  RelayWindow *window;

  if (RELAY_IS_WINDOW (active))
    return RELAY_WINDOW (active);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (RELAY_IS_WINDOW (l->data))
      return l->data;

  window = relay_window_new (self);
  return window;
}

static void
show_page (RelayApplication *self,
           const char       *page)
{
  RelayWindow *window = relay_application_get_window (self);

  relay_window_show_page (window, page);
  gtk_window_present (GTK_WINDOW (window));
}

static void
new_order_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RelayWindow *window = relay_application_get_window (user_data);
  GtkWidget *page;

  show_page (user_data, "new-order");
  /* Typing goes to the Link field (the page's focus), not to a label. */
  page = gtk_stack_get_child_by_name (relay_window_get_stack (window), "new-order");
  if (page != NULL)
    gtk_widget_grab_focus (page);
}

static void
mass_order_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  show_page (user_data, "mass-order");
}

static void
sync_now_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  relay_application_refresh (user_data);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RelayApplication *self = user_data;
  GtkWidget *preferences = relay_preferences_window_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
shortcuts_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RelayWindow *window = relay_application_get_window (user_data);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RelayApplication *self = user_data;
  const char *developers[] = { _("The SMM Relay authors"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("SMM Relay"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The SMM Relay authors"),
                        "comments", _("Relay your clients’ social media marketing orders to "
                                      "provider panels and track them."),
                        "website", "https://github.com/smmrelay",
                        "issue-url", "https://github.com/smmrelay/smm-relay/issues",
                        "copyright", "© 2026 The SMM Relay authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* The longest a quit waits for the requests in flight: past the client's
 * own timeout, after which each has an outcome (or is in review). */
#define QUIT_WAIT_S 40

static void
quit_now (RelayApplication *self)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (RELAY_IS_WINDOW (l->data))
        relay_window_save_state (l->data);
      gtk_window_destroy (l->data);
    }
  g_application_quit (G_APPLICATION (self));
}

/* A window's Mass order page writing the good lines of a submit to the
 * book (a transaction on a worker, ~0.1-1 s for 10,000 lines), or NULL:
 * quitting then would end the process before they are recorded. */
static RelayMassOrderPage *
recording_page (RelayApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      GtkWidget *page;

      if (!RELAY_IS_WINDOW (l->data))
        continue;
      page = gtk_stack_get_child_by_name (relay_window_get_stack (l->data), "mass-order");
      if (RELAY_IS_MASS_ORDER_PAGE (page) &&
          relay_mass_order_page_get_recording (RELAY_MASS_ORDER_PAGE (page)))
        return RELAY_MASS_ORDER_PAGE (page);
    }
  return NULL;
}

static void quit_when_done (RelayApplication *self);

static void
sends_ended (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RelayApplication) self = user_data;
  g_autofree RelayDispatchReport *report = NULL;

  report = relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, NULL);
  if (!self->quitting)
    return;
  quit_when_done (self);
}

static gboolean
recording_ended_idle (gpointer data)
{
  RelayApplication *self = data;

  if (self->quitting)
    quit_when_done (self);
  return G_SOURCE_REMOVE;
}

/* Goes on from an idle: the page is still in its own notification. */
static void
on_recording_changed (RelayMassOrderPage *page,
                      GParamSpec         *pspec,
                      RelayApplication   *self)
{
  if (relay_mass_order_page_get_recording (page))
    return;
  g_signal_handlers_disconnect_by_func (page, on_recording_changed, self);
  g_idle_add_full (G_PRIORITY_DEFAULT, recording_ended_idle, g_object_ref (self),
                   g_object_unref);
}

/* While quitting: waits for the lines being recorded, then for the
 * requests in flight (no new one starts), then quits. */
static void
quit_when_done (RelayApplication *self)
{
  RelayDispatcher *dispatcher = self->core != NULL ? relay_core_get_dispatcher (self->core) : NULL;
  RelayMassOrderPage *page = recording_page (self);

  if (page != NULL)
    {
      g_signal_handlers_disconnect_by_func (page, on_recording_changed, self);
      g_signal_connect_object (page, "notify::recording", G_CALLBACK (on_recording_changed),
                               self, 0);
      return;
    }
  if (dispatcher != NULL && relay_dispatcher_is_running (dispatcher))
    {
      relay_dispatcher_stop (dispatcher);
      /* No order of its own: a waiter for the run going on. */
      relay_dispatcher_send_async (dispatcher, NULL, 0, NULL, sends_ended, g_object_ref (self));
      return;
    }
  self->quitting = FALSE;
  g_application_release (G_APPLICATION (self));
  quit_now (self);
}

static gboolean
quit_wait_over (gpointer data)
{
  RelayApplication *self = data;

  if (self->quitting)
    {
      /* What is still out goes to review at the next start (sender lease). */
      self->quitting = FALSE;
      g_application_release (G_APPLICATION (self));
      quit_now (self);
    }
  return G_SOURCE_REMOVE;
}

/* While orders are being sent, quitting at once would leave each request in
 * flight with an unknown outcome (needs review at the next start), and while
 * a mass order's lines are recorded it would lose them: the windows go, no
 * new request starts, and the app quits once the lines are in the book and
 * the requests out have answered (at most QUIT_WAIT_S). */
static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RelayApplication *self = user_data;
  RelayDispatcher *dispatcher = self->core != NULL ? relay_core_get_dispatcher (self->core) : NULL;
  g_autoptr(GList) windows = NULL;

  if (self->quitting)
    return;
  if ((dispatcher == NULL || !relay_dispatcher_is_running (dispatcher)) &&
      recording_page (self) == NULL)
    {
      quit_now (self);
      return;
    }
  self->quitting = TRUE;
  g_application_hold (G_APPLICATION (self));
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (RELAY_IS_WINDOW (l->data))
        relay_window_save_state (l->data);
      gtk_widget_set_visible (l->data, FALSE);
    }
  quit_when_done (self);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, QUIT_WAIT_S, quit_wait_over,
                              g_object_ref (self), g_object_unref);
}

static void
demo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  relay_application_switch_to_demo (user_data);
}

/* From a notification: the window shows the order (win.show-order). */
static void
show_order_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  RelayWindow *window = relay_application_get_window (user_data);

  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-order", parameter);
}

static void
style_changed (GSimpleAction *action,
               GVariant      *value,
               gpointer       user_data)
{
  RelayApplication *self = user_data;
  const char *scheme = g_variant_get_string (value, NULL);

  if (g_strcmp0 (scheme, "system") != 0 && g_strcmp0 (scheme, "light") != 0 &&
      g_strcmp0 (scheme, "dark") != 0)
    return;
  g_settings_set_string (self->settings, "color-scheme", scheme);
}

static void
on_color_scheme_setting (GSettings     *settings,
                         const char    *key,
                         GSimpleAction *action)
{
  /* A full reference (not floating): the action takes its own. */
  g_autoptr(GVariant) value = g_settings_get_value (settings, key);

  g_simple_action_set_state (action, value);
}

/* "Try the Demo" means nothing in the demo. */
static void
on_demo_changed (RelayApplication *self)
{
  GAction *demo = g_action_map_lookup_action (G_ACTION_MAP (self), "demo");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (demo), !relay_application_get_demo (self));
}

static const GActionEntry app_entries[] = {
  { "new-order", new_order_activated },
  { "mass-order", mass_order_activated },
  { "sync-now", sync_now_activated },
  { "preferences", preferences_activated },
  { "shortcuts", shortcuts_activated },
  { "about", about_activated },
  { "quit", quit_activated },
  { "demo", demo_activated },
  { "show-order", show_order_activated, "x" },
  { "style", NULL, "s", "'system'", style_changed },
};

static const struct
{
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.new-order", { "<Control>n", NULL } },
  { "app.mass-order", { "<Control><Shift>v", NULL } },
  { "app.sync-now", { "F5", "<Control>r", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "win.search", { "<Control>f", NULL } },
};

void
relay_application_add_actions (RelayApplication *self)
{
  const char *none[] = { NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries),
                                   self);
  relay_application_add_backup_action (self);
  relay_application_add_help_action (self);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_setting),
                           g_action_map_lookup_action (G_ACTION_MAP (self), "style"), 0);
  on_color_scheme_setting (self->settings, "color-scheme",
                           G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                        "style")));
  g_signal_connect (self, "notify::demo", G_CALLBACK (on_demo_changed), NULL);
  on_demo_changed (self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
  /* GtkApplication gives the help overlay Ctrl+? itself; app.shortcuts has it. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", none);
}
