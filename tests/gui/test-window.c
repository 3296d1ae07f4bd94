/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window under Xvfb: the demo book fills the orders table; filters, search
 * and selection do what the store says; and a screenshot of it. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "relay-application.h"
#include "relay-window.h"
#include "relay-orders-page.h"

#define WAIT_MS 45000

static RelayApplication *app;
static RelayWindow *window;
static char *tmpdir;

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @cond holds or @timeout_ms pass. */
static gboolean
wait_until (gboolean (*cond) (gpointer),
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

static void
spin (guint ms)
{
  wait_until (never, NULL, ms);
}

static RelayOrdersPage *
page (void)
{
  return relay_window_get_orders_page (window);
}

static RelayOrderListModel *
model (void)
{
  return relay_orders_page_get_model (page ());
}

static RelayStore *
store (void)
{
  return relay_core_get_store (relay_application_get_core (app));
}

static gboolean
has_rows (gpointer data)
{
  return relay_application_get_ready (app) &&
         model () != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (model ())) > 0;
}

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return find_label (wait->root, wait->text);
}

static gint64
store_count (RelayOrderFilter  filter,
             const char       *search)
{
  RelayOrderQuery query = { .filter = filter, .search = search };
  g_autoptr(GError) error = NULL;
  gint64 n = relay_store_count_orders (store (), &query, &error);

  g_assert_no_error (error);
  return n;
}

static guint
n_items (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (model ()));
}

static void
test_demo_rows (void)
{
  g_autoptr(RelayOrderItem) first = NULL;
  g_autofree char *id_text = NULL;
  GListModel *shown;
  LabelWait wait;
  guint64 id = 0;
  guint status = 0;

  g_assert_true (relay_application_get_demo (app));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "SMM Relay — Demo");
  g_assert_true (wait_until (has_rows, NULL, WAIT_MS));
  g_assert_cmpstr (relay_orders_page_get_state (page ()), ==, "orders");

  /* The column view shows the model. */
  shown = G_LIST_MODEL (gtk_column_view_get_model (relay_orders_page_get_column_view (page ())));
  g_assert_nonnull (shown);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_items ());
  g_assert_cmpint (n_items (), ==, store_count (RELAY_ORDER_FILTER_ALL, NULL));

  first = g_list_model_get_item (shown, 0);
  g_assert_true (RELAY_IS_ORDER_ITEM (first));
  g_object_get (first, "status", &status, NULL);
  id = relay_order_item_get_id (first);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpuint (status, <, RELAY_ORDER_N_STATUSES);

  /* And a row of it is on screen: its id cell. */
  id_text = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
  wait.root = GTK_WIDGET (relay_orders_page_get_column_view (page ()));
  wait.text = id_text;
  g_assert_true (wait_until (label_shown, &wait, 5000));
}

static void
check_filter (RelayOrderFilter filter)
{
  relay_orders_page_set_filter (page (), filter);
  g_assert_cmpint (n_items (), ==, store_count (filter, NULL));
  g_test_message ("filter %d: %u orders", filter, n_items ());
}

static void
test_filters (void)
{
  guint all;

  g_assert_true (wait_until (has_rows, NULL, WAIT_MS));
  all = n_items ();
  check_filter (RELAY_ORDER_FILTER_COMPLETED);
  check_filter (RELAY_ORDER_FILTER_ACTIVE);
  g_assert_cmpuint (n_items (), <=, all);
  check_filter (RELAY_ORDER_FILTER_ATTENTION);
  check_filter (RELAY_ORDER_FILTER_FAILED);
  check_filter (RELAY_ORDER_FILTER_ALL);
  g_assert_cmpint (n_items (), ==, store_count (RELAY_ORDER_FILTER_ALL, NULL));
}

static void
test_search (void)
{
  g_autoptr(RelayOrderItem) item = NULL;
  g_autoptr(RelayOrderItem) found = NULL;
  g_autofree char *link = NULL;
  g_autofree char *id_text = NULL;
  guint all;

  g_assert_true (wait_until (has_rows, NULL, WAIT_MS));
  all = n_items ();
  item = g_list_model_get_item (G_LIST_MODEL (model ()), all / 2);
  link = g_strdup (relay_order_item_get_link (item));
  g_assert_nonnull (link);

  relay_orders_page_set_search (page (), link);
  g_assert_cmpuint (n_items (), >=, 1);
  g_assert_cmpint (n_items (), ==, store_count (RELAY_ORDER_FILTER_ALL, link));
  found = g_list_model_get_item (G_LIST_MODEL (model ()), 0);
  g_assert_nonnull (strstr (relay_order_item_get_link (found), link));
  g_clear_object (&found);

  /* By local id. */
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, relay_order_item_get_id (item));
  relay_orders_page_set_search (page (), id_text);
  g_assert_cmpint (n_items (), ==, store_count (RELAY_ORDER_FILTER_ALL, id_text));
  g_assert_cmpuint (n_items (), >=, 1);

  /* Nothing matches. */
  relay_orders_page_set_search (page (), "no-such-link-anywhere");
  g_assert_cmpuint (n_items (), ==, 0);

  relay_orders_page_set_search (page (), "");
  g_assert_cmpint (n_items (), ==, store_count (RELAY_ORDER_FILTER_ALL, NULL));
}

static void
test_details (void)
{
  RelayOrderDetails *details = relay_orders_page_get_details (page ());
  g_autoptr(RelayOrderItem) item = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *title = NULL;

  g_assert_true (wait_until (has_rows, NULL, WAIT_MS));
  g_assert_null (relay_order_details_get_item (details));

  relay_orders_page_select_position (page (), 0);
  item = g_list_model_get_item (G_LIST_MODEL (model ()), 0);
  g_assert_true (relay_order_details_get_item (details) == item);

  title = g_strdup_printf ("Order #%" G_GINT64_FORMAT, relay_order_item_get_id (item));
  g_assert_cmpstr (relay_order_details_get_title (details), ==, title);

  events = relay_store_list_order_events (store (), relay_order_item_get_id (item), NULL);
  g_assert_nonnull (events);
  g_assert_cmpuint (events->len, >=, 1);
  g_assert_cmpuint (relay_order_details_get_n_events (details), ==, events->len);
}

static void
test_actions (void)
{
  GtkWidget *focus;

  /* win.search shows the orders page and focuses its search entry. */
  relay_window_show_page (window, "providers");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  spin (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (relay_window_get_stack (window)), ==,
                   "orders");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));

  /* Every page is there, by name. */
  for (const char * const *name = (const char * const[]) { "orders", "new-order", "mass-order",
                                                           "services", "providers", "clients",
                                                           "review", NULL };
       *name != NULL; name++)
    g_assert_nonnull (gtk_stack_get_child_by_name (relay_window_get_stack (window), *name));

  relay_window_show_message (window, "Hello");
  g_assert_cmpstr (relay_window_get_message (window), ==, "Hello");
  relay_window_hide_message (window);
  g_assert_null (relay_window_get_message (window));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (toplevel), type) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  return NULL;
}

static void
test_dialogs (void)
{
  GSettings *settings = relay_application_get_settings (app);
  const GType types[] = { GTK_TYPE_SHORTCUTS_WINDOW, GTK_TYPE_ABOUT_DIALOG };
  const char * const actions[] = { "shortcuts", "about" };
  GtkWindow *preferences;
  GtkWidget *spin_button;

  /* Preferences: bound to GSettings both ways. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  spin (200);
  preferences = find_toplevel (g_type_from_name ("RelayPreferencesWindow"));
  g_assert_nonnull (preferences);
  g_settings_set_uint (settings, "refresh-interval", 45);
  spin_button = gtk_widget_get_first_child (GTK_WIDGET (gtk_window_get_child (preferences)));
  while (spin_button != NULL && !GTK_IS_SPIN_BUTTON (spin_button))
    spin_button = gtk_widget_get_next_sibling (spin_button);
  g_assert_nonnull (spin_button);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin_button)), ==, 45);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 20);
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-interval"), ==, 20);
  g_settings_reset (settings, "refresh-interval");
  gtk_window_destroy (preferences);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GtkWindow *shown;

      g_action_group_activate_action (G_ACTION_GROUP (app), actions[i], NULL);
      spin (200);
      shown = find_toplevel (types[i]);
      g_assert_nonnull (shown);
      if (types[i] == GTK_TYPE_SHORTCUTS_WINDOW)
        gtk_widget_set_visible (GTK_WIDGET (shown), FALSE);
      else
        gtk_window_destroy (shown);
    }
  spin (100);
}

static void
test_empty_state (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "empty.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayCore) core = relay_core_new (path, NULL, &error);
  RelayOrdersPage *empty;

  g_assert_no_error (error);
  empty = g_object_ref_sink (g_object_new (RELAY_TYPE_ORDERS_PAGE, NULL));
  g_assert_cmpstr (relay_orders_page_get_state (empty), ==, "empty");
  relay_orders_page_set_core (empty, core);
  g_assert_cmpstr (relay_orders_page_get_state (empty), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (relay_orders_page_get_model (empty))),
                    ==, 0);
  relay_orders_page_set_core (empty, NULL);
  g_object_unref (empty);
}

static gboolean
some_progress (gpointer data)
{
  RelayOrderQuery query = { .filter = RELAY_ORDER_FILTER_COMPLETED };

  return relay_store_count_orders (store (), &query, NULL) > 0;
}

/* A finished row makes the better picture; the second row otherwise. */
static guint
first_completed (void)
{
  guint n = MIN (n_items (), 12);

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (model ()), i);

      if (relay_order_item_get_status (item) == RELAY_ORDER_COMPLETED)
        return i;
    }
  return MIN (1, n - 1);
}

static void
test_screenshot (void)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width;
  int height;

  g_assert_true (wait_until (has_rows, NULL, WAIT_MS));
  /* Let the demo provider deliver something so the picture shows progress. */
  wait_until (some_progress, NULL, 20000);
  relay_application_refresh (app);
  spin (1500);
  relay_orders_page_select_position (page (), first_completed ());
  spin (500);
  relay_window_hide_message (window);
  spin (600);

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  path = g_test_build_filename (G_TEST_BUILT, "orders-screenshot.png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%dx%d)", path, width, height);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  /* No session bus in a test: fail fast instead of autolaunching one. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/smm-relay-test", TRUE);

  tmpdir = g_dir_make_tmp ("smm-relay-gui-XXXXXX", &error);
  g_assert_no_error (error);

  app = relay_application_new ();
  relay_application_set_book (app, TRUE, NULL, tmpdir);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  if (window == NULL)
    window = RELAY_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);

  g_test_add_func ("/window/demo-rows", test_demo_rows);
  g_test_add_func ("/window/filters", test_filters);
  g_test_add_func ("/window/search", test_search);
  g_test_add_func ("/window/details", test_details);
  g_test_add_func ("/window/actions", test_actions);
  g_test_add_func ("/window/dialogs", test_dialogs);
  g_test_add_func ("/window/screenshot", test_screenshot);
  g_test_add_func ("/orders-page/empty-state", test_empty_state);
  result = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  spin (100);
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  remove_tree (tmpdir);
  g_free (tmpdir);
  return result;
}
