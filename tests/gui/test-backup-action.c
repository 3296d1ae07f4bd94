/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Back Up the Order Book…": in the main menu, a save dialog, a checked copy, a toast. */
#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "gui-test-util.h"

static gboolean menu_has_action (GMenuModel *model, const char *action);

/* Whether a menu button under @root has a menu with @action. */
static gboolean
some_menu_has_action (GtkWidget *root, const char *action)
{
  if (GTK_IS_MENU_BUTTON (root))
    {
      GMenuModel *model = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root));
      if (model != NULL && menu_has_action (model, action))
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (some_menu_has_action (child, action))
      return TRUE;
  return FALSE;
}

static gboolean
menu_has_action (GMenuModel *model, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
      for (int l = 0; l < 2; l++)
        {
          link = g_menu_model_get_item_link (model, i, l == 0 ? G_MENU_LINK_SECTION
                                                              : G_MENU_LINK_SUBMENU);
          if (link != NULL)
            {
              gboolean found = menu_has_action (link, action);
              g_object_unref (link);
              if (found)
                return TRUE;
            }
        }
    }
  return FALSE;
}

static GtkWindow *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (GTK_IS_FILE_CHOOSER_DIALOG (window))
        return window;
    }
  return NULL;
}

static void
test_backup_action (void)
{
  g_autoptr(GError) error = NULL;
  GtApp fixture = { 0 };
  g_autofree char *copy = NULL;
  g_autoptr(GFile) folder = NULL;
  RelayWindow *window;
  GtkWindow *dialog;
  guint n_toasts;
  GStatBuf st;
  gint64 deadline;

  gt_app_start (&fixture, TRUE, "smm-relay-backup-XXXXXX");
  window = fixture.window;
  gt_spin (500);

  /* The item is in the main menu and its action exists. */
  g_assert_true (some_menu_has_action (GTK_WIDGET (window), "app.backup"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture.app), "backup"));

  /* Save dialog → the copy → a toast. */
  n_toasts = relay_window_get_n_toasts (window);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "backup", NULL);
  gt_spin (300);
  dialog = find_file_chooser ();
  g_assert_nonnull (dialog);
  folder = g_file_new_for_path (fixture.dir);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, &error));
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "backup.db");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  copy = g_build_filename (fixture.dir, "backup.db", NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (relay_window_get_n_toasts (window) == n_toasts && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_test_message ("toast: %s", relay_window_get_message (window));
  g_assert_cmpuint (relay_window_get_n_toasts (window), >, n_toasts);
  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, >, 0);

  gt_app_stop (&fixture);
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  /* No portal: GtkFileChooserNative shows its GtkFileChooserDialog. */
  g_setenv ("GTK_USE_PORTAL", "0", TRUE);
  g_test_add_func ("/window/backup-action", test_backup_action);
  return g_test_run ();
}
