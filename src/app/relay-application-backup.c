/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app.backup: "Back Up the Order Book…" — a save dialog, then an online copy in a worker thread. */
#include "config.h"

#include "relay-application-private.h"

#include <glib/gi18n.h>

typedef struct
{
  RelayApplication *app;
  char             *name;   /* the file's display name, for the toast */
} Backup;

static void
backup_free (Backup *backup)
{
  g_object_unref (backup->app);
  g_free (backup->name);
  g_free (backup);
}

static void
show_toast (RelayApplication *self, const char *text)
{
  RelayWindow *window = relay_application_get_window (self);
  g_autoptr(AdwToast) toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 5);
  relay_window_add_toast (window, toast);
}

static void
on_backup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Backup *backup = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (relay_core_backup_finish (RELAY_CORE (source), result, &error))
    /* TRANSLATORS: the file's name */
    text = g_strdup_printf (_("Order book backed up to “%s”"), backup->name);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup_printf (_("The order book could not be backed up: %s"), error->message);
  if (text != NULL)
    show_toast (backup->app, text);
  backup_free (backup);
}

static void
on_dialog_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  RelayApplication *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  Backup *backup;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL || self->core == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_toast (self, _("Backups go to a local folder"));
      return;
    }
  backup = g_new0 (Backup, 1);
  backup->app = g_object_ref (self);
  backup->name = g_file_get_basename (file);
  /* The dialog asked before replacing a file: the copy may overwrite it. */
  relay_core_backup_async (self->core, path, TRUE, self->cancellable, on_backup_done, backup);
}

static void
backup_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  RelayApplication *self = user_data;
  RelayWindow *window = relay_application_get_window (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (self->core == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Back Up the Order Book"), GTK_WINDOW (window),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Back Up"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* TRANSLATORS: the suggested file name of a backup; %s is the date, 2026-12-03 */
  name = g_strdup_printf (_("smm-relay-orders-%s.db"), date);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
relay_application_add_backup_action (RelayApplication *self)
{
  const GActionEntry entries[] = {
    { "backup", backup_activated },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}
