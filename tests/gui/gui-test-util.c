/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window tests share: the application on a private book, and waits. */
#include "config.h"

#include "gui-test-util.h"

#include "cli-run.h"

void
gt_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  /* No session bus in a test: fail fast instead of autolaunching one. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/smm-relay-test", TRUE);
}

void
gt_app_make_dir (GtApp      *fixture,
                 const char *tmpl)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fixture->dir);
  fixture->dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  fixture->book = g_build_filename (fixture->dir, "orders.db", NULL);
}

RelayWindow *
gt_get_window (RelayApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (RELAY_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

void
gt_app_start (GtApp      *fixture,
              gboolean    demo,
              const char *tmpl)
{
  g_autoptr(GError) error = NULL;

  if (fixture->dir == NULL)
    gt_app_make_dir (fixture, tmpl);
  g_assert_null (fixture->app);
  fixture->app = relay_application_new ();
  relay_application_set_book (fixture->app, demo, demo ? NULL : fixture->book, fixture->dir);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->window = gt_get_window (fixture->app);
  g_assert_nonnull (fixture->window);
}

void
gt_app_stop (GtApp *fixture)
{
  if (fixture->app != NULL)
    {
      /* The window may have been replaced (the demo switch opens a new one). */
      RelayWindow *window = gt_get_window (fixture->app);

      if (window != NULL)
        gtk_window_destroy (GTK_WINDOW (window));
      gt_spin (100);
      g_application_quit (G_APPLICATION (fixture->app));
      g_clear_object (&fixture->app);
    }
  fixture->window = NULL;
  if (fixture->dir != NULL)
    cli_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->book, g_free);
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
gt_wait_until (gboolean (*cond) (gpointer),
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

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
gt_spin (guint ms)
{
  gt_wait_until (never, NULL, ms);
}
