/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the page tests share: fixtures, waits, widget lookups, screenshots and core shortcuts. */
#include "config.h"

#include "manage-test-util.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

static char *keys_dir;

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
remove_keys_dir (void)
{
  if (keys_dir != NULL)
    remove_tree (keys_dir);
  g_clear_pointer (&keys_dir, g_free);
}

void
mt_init (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = NULL;

  keys_dir = g_dir_make_tmp ("smm-relay-manage-keys-XXXXXX", &error);
  g_assert_no_error (error);
  keys = g_build_filename (keys_dir, "keys", NULL);
  g_setenv ("SMM_RELAY_KEYS", keys, TRUE);
  atexit (remove_keys_dir);

  g_test_init (argc, argv, NULL);
  gtk_init ();
}

void
mt_fixture_setup (MtFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  /* The pages use libadwaita widgets (status pages, message dialogs). */
  adw_init ();

  f->dir = g_dir_make_tmp ("smm-relay-manage-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "orders.db", NULL);

  f->sim = relay_sim_new ();
  relay_sim_set_seed (f->sim, 7);
  relay_sim_listen (f->sim, 0, &error);
  g_assert_no_error (error);
  f->sim_url = relay_sim_dup_url (f->sim);

  f->core = relay_core_new (db, NULL, &error);
  g_assert_no_error (error);
  relay_core_set_timeout_ms (f->core, 3000);
  f->store = relay_core_get_store (f->core);
  f->messages = g_ptr_array_new_with_free_func (g_free);
}

void
mt_fixture_teardown (MtFixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  f->window = NULL;
  f->page = NULL;
  mt_spin (50);
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  mt_spin (20);
  g_clear_pointer (&f->sim_url, g_free);
  g_clear_pointer (&f->messages, g_ptr_array_unref);
  remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

static void
on_message (GtkWidget *page, const char *text, MtFixture *f)
{
  g_test_message ("message: %s", text);
  g_ptr_array_add (f->messages, g_strdup (text));
}

static gboolean
is_drawn (gpointer data)
{
  GtkWidget *page = data;

  return gtk_widget_get_mapped (page) && gtk_widget_get_width (page) > 0;
}

void
mt_show_page (MtFixture *f, GtkWidget *page)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1080, 760);
  gtk_window_set_title (f->window, "SMM Relay");
  gtk_window_set_child (f->window, page);
  f->page = page;
  g_signal_connect (page, "message", G_CALLBACK (on_message), f);
  gtk_window_present (f->window);
  mt_wait_until (is_drawn, page, 0);
  mt_spin (100);
}

const char *
mt_last_message (MtFixture *f)
{
  if (f->messages->len == 0)
    return NULL;
  return g_ptr_array_index (f->messages, f->messages->len - 1);
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_for (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint source = g_timeout_add (10, wake, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (source);
  return ok;
}

void
mt_wait_until (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  if (!wait_for (cond, data, timeout_ms ? timeout_ms : MT_WAIT_MS))
    g_error ("timed out waiting");
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
mt_spin (guint ms)
{
  wait_for (never, NULL, ms);
}

gpointer
mt_object (GtkWidget *widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  if (object == NULL)
    g_error ("%s has no template child %s", G_OBJECT_TYPE_NAME (widget), name);
  return object;
}

GtkWidget *
mt_child (GtkWidget *widget, GType type, const char *name)
{
  return GTK_WIDGET (mt_object (widget, type, name));
}

void
mt_click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_is_visible (button));
  /* gtk_widget_activate() would emit ::clicked only after the press animation. */
  g_signal_emit_by_name (button, "clicked");
}

void
mt_set_text (GtkWidget *editable, const char *text)
{
  g_assert_true (GTK_IS_EDITABLE (editable));
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

GtkWidget *
mt_find_window (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
window_shown (gpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  GtkWidget *window = mt_find_window (type);

  return window != NULL && gtk_widget_get_mapped (window);
}

GtkWidget *
mt_wait_window (GType type)
{
  mt_wait_until (window_shown, GSIZE_TO_POINTER (type), 0);
  return mt_find_window (type);
}

static gboolean
has (const char *haystack, const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

gboolean
mt_tree_has_text (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && has (gtk_label_get_label (GTK_LABEL (root)), text))
    return TRUE;
  if (GTK_IS_EDITABLE (root) && has (gtk_editable_get_text (GTK_EDITABLE (root)), text))
    return TRUE;
  if (GTK_IS_BUTTON (root) && has (gtk_button_get_label (GTK_BUTTON (root)), text))
    return TRUE;
  if (has (gtk_widget_get_tooltip_text (root), text))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (mt_tree_has_text (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} TreeText;

static gboolean
tree_has_text (gpointer data)
{
  TreeText *tree_text = data;

  return mt_tree_has_text (tree_text->root, tree_text->text);
}

void
mt_wait_tree_text (GtkWidget *root, const char *text)
{
  TreeText tree_text = { root, text };

  if (!wait_for (tree_has_text, &tree_text, MT_WAIT_MS))
    g_error ("“%s” never showed in %s", text, G_OBJECT_TYPE_NAME (root));
}

gboolean
mt_any_window_has_text (const char *text)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (mt_tree_has_text (l->data, text))
      return TRUE;
  return FALSE;
}

guint
mt_view_n_items (GtkWidget *view)
{
  GtkSelectionModel *model = NULL;

  if (GTK_IS_COLUMN_VIEW (view))
    model = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
  else if (GTK_IS_LIST_VIEW (view))
    model = gtk_list_view_get_model (GTK_LIST_VIEW (view));
  g_assert_nonnull (model);
  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

char *
mt_save_png (GtkWidget *widget, const char *name)
{
  int width;
  int height;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  char *path;

  /* Let layout and the last frame settle. */
  mt_wait_until (is_drawn, widget, 0);
  mt_spin (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

/* ---- core shortcuts ---- */

gint64
mt_add_provider (MtFixture *f, const char *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = relay_core_add_provider (f->core, name, f->sim_url, "demo-key", &error);

  g_assert_no_error (error);
  return id;
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Async;

static void
async_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Async *async = user_data;

  async->result = g_object_ref (result);
  async->done = TRUE;
}

static gboolean
async_done (gpointer data)
{
  return ((Async *) data)->done;
}

void
mt_sync_services (MtFixture *f, gint64 provider_id)
{
  Async async = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;

  relay_core_sync_services_async (f->core, provider_id, NULL, async_ready, &async);
  mt_wait_until (async_done, &async, 0);
  changes = relay_core_sync_services_finish (f->core, async.result, &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
}

void
mt_refresh_balance (MtFixture *f, gint64 provider_id)
{
  Async async = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;

  relay_core_refresh_balance_async (f->core, provider_id, NULL, async_ready, &async);
  mt_wait_until (async_done, &async, 0);
  balance = relay_core_refresh_balance_finish (f->core, async.result, &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
}

void
mt_map (MtFixture *f, gint64 id, gint64 provider_id, const char *psid, gint64 price, gboolean manual)
{
  g_autoptr(GError) error = NULL;

  relay_core_map_service (f->core, id, NULL, price, provider_id, psid, 0, NULL, manual, &error);
  g_assert_no_error (error);
}

gint64
mt_place (MtFixture *f, gint64 service_id, gint64 client_id, const char *link, gint64 quantity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

  draft->service_id = service_id;
  draft->client_id = client_id;
  draft->link = link;
  draft->quantity = quantity;
  g_ptr_array_add (drafts, draft);
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  return g_array_index (ids, gint64, 0);
}

RelayDispatchReport
mt_dispatch (MtFixture *f)
{
  Async async = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;

  relay_dispatcher_run_async (relay_core_get_dispatcher (f->core), NULL, async_ready, &async);
  mt_wait_until (async_done, &async, 0);
  report = relay_dispatcher_run_finish (relay_core_get_dispatcher (f->core), async.result, &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  return *report;
}

void
mt_sync_orders (MtFixture *f)
{
  Async async = { 0 };
  g_autoptr(GError) error = NULL;
  RelaySyncReport *report;

  relay_sync_run_async (relay_core_get_sync (f->core), NULL, async_ready, &async);
  mt_wait_until (async_done, &async, 0);
  report = relay_sync_run_finish (relay_core_get_sync (f->core), async.result, &error);
  g_assert_no_error (error);
  relay_sync_report_free (report);
  g_clear_object (&async.result);
}

RelayOrderRow *
mt_order (MtFixture *f, gint64 order_id)
{
  g_autoptr(GError) error = NULL;
  RelayOrderRow *row = relay_store_get_order (f->store, order_id, &error);

  g_assert_no_error (error);
  return row;
}

gboolean
mt_has_status_page (GtkWidget *root, const char *title)
{
  if (ADW_IS_STATUS_PAGE (root) && gtk_widget_is_visible (root) &&
      g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (root)), title) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (mt_has_status_page (child, title))
      return TRUE;
  return FALSE;
}
