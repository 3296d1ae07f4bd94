/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app.help (F1, the menu's Help): the Mallard help in the help viewer, or a
 * dialog that says why not when there is none. */
#include "config.h"

#include "relay-application-private.h"

#include <glib/gi18n.h>

#define HELP_URI "help:" APP_ID

static void
show_no_viewer (GtkWindow  *window,
                const char *reason)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (window, _("Help Could Not Be Opened"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s\n\nInstall the “yelp” package to read SMM Relay’s help, "
                                    "or run “smm-relay-cli --help” for the command line."),
                                  reason);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_shown (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GtkWindow *window = GTK_WINDOW (source);
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (window, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_no_viewer (window, error->message);
}

static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RelayApplication *self = user_data;
  GtkWindow *window = GTK_WINDOW (relay_application_get_window (self));
  g_autoptr(GAppInfo) viewer = g_app_info_get_default_for_uri_scheme ("help");

  /* Without a handler for help: URIs, gtk_show_uri would fail quietly or
   * open something unrelated: say so instead of doing nothing. */
  if (viewer == NULL)
    {
      show_no_viewer (window, _("No help viewer is installed on this computer."));
      return;
    }
  gtk_show_uri_full (window, HELP_URI, GDK_CURRENT_TIME, NULL, on_shown, NULL);
}

void
relay_application_add_help_action (RelayApplication *self)
{
  const GActionEntry entries[] = { { "help", help_activated } };
  const char *accels[] = { "F1", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", accels);
}
