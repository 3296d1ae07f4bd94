/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window tests share: the application on a private book, and waits. */
#include "config.h"

#include "gui-test-util.h"

#include "cli-run.h"
#include "relay-provider-types.h"

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
  g_assert_null (fixture->dir);
  fixture->dir = gt_make_dir (tmpl);
  fixture->book = gt_book_path (fixture->dir);
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
  gt_clear_dir (&fixture->dir);
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

char *
gt_make_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

void
gt_clear_dir (char **dir)
{
  if (*dir != NULL)
    {
      cli_remove_tree (*dir);
      g_assert_false (g_file_test (*dir, G_FILE_TEST_EXISTS));
    }
  g_clear_pointer (dir, g_free);
}

char *
gt_book_path (const char *dir)
{
  return g_build_filename (dir, "orders.db", NULL);
}

RelayStore *
gt_book_open (const char *dir)
{
  g_autofree char *path = gt_book_path (dir);
  g_autoptr(GError) error = NULL;
  RelayStore *store = relay_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

gint64
gt_book_add_catalog (RelayStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(RelayCatalogRow) catalog = NULL;
  RelayProviderService *service;
  gint64 provider_id;
  gint64 client_id;

  provider_id = relay_store_add_provider (store, "Test panel", "http://127.0.0.1:9/api/v2",
                                          "test-key", &error);
  g_assert_no_error (error);
  service = g_new0 (RelayProviderService, 1);
  service->service_id = g_strdup ("1");
  service->name = g_strdup ("Instagram Likes");
  service->type = g_strdup ("Default");
  service->category = g_strdup ("Instagram");
  service->rate = 500000;
  service->min = 10;
  service->max = 100000;
  g_ptr_array_add (services, service);
  g_assert_true (relay_store_replace_catalog (store, provider_id, services, NULL, &error));
  g_assert_no_error (error);
  catalog = relay_store_find_catalog_service (store, provider_id, "1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  g_assert_true (relay_store_map_service (store, 1, "Likes", 900000, catalog->id, 0, FALSE, &error));
  g_assert_no_error (error);
  client_id = relay_store_add_client (store, "Alice", &error);
  g_assert_no_error (error);
  return client_id;
}

GArray *
gt_book_add_orders (RelayStore  *store,
                    guint        n,
                    GtOrderFunc  func,
                    gpointer     data)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GArray *ids;

  for (guint i = 0; i < n; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
      char *link;

      draft->service_id = 1;
      link = func (i, draft, data);
      g_ptr_array_add (links, link);
      draft->link = link;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (store, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, n);
  return ids;
}
