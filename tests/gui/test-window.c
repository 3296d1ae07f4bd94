/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window under Xvfb: the demo book fills the orders table; filters, search
 * and selection do what the store says; the libadwaita shell (narrow widths,
 * toasts, keyboard, contrast); and a screenshot of it. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "gui-test-util.h"
#include "relay-format.h"
#include "relay-order-rules.h"
#include "relay-orders-page.h"
#include "relay-orders-row.h"
#include "relay-status-pill.h"

#define WAIT_MS 45000

static RelayApplication *app;
static RelayWindow *window;
static GtApp fixture;

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

/* A label, or a row of the orders table whose ID reads @text, shown. */
static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  if (RELAY_IS_ORDERS_ROW (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (relay_orders_row_get_text (RELAY_ORDERS_ROW (widget), RELAY_ORDER_CELL_ID),
                 text) == 0)
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
  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  g_assert_cmpstr (relay_orders_page_get_state (page ()), ==, "orders");

  /* The table's rows show the model (its header has no rows). */
  shown = G_LIST_MODEL (gtk_list_view_get_model (relay_orders_page_get_list_view (page ())));
  g_assert_null (gtk_column_view_get_model (relay_orders_page_get_column_view (page ())));
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
  wait.root = GTK_WIDGET (relay_orders_page_get_list_view (page ()));
  wait.text = id_text;
  g_assert_true (gt_wait_until (label_shown, &wait, 5000));
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

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
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

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
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

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
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
  gt_spin (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (relay_window_get_stack (window)), ==,
                   "orders");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));

  /* Every page is there, by name; shown, it is the one visible page (the
   * others are hidden, so a style change of the window skips them). */
  for (const char * const *name = (const char * const[]) { "orders", "new-order", "mass-order",
                                                           "services", "providers", "clients",
                                                           "review", "orders", NULL };
       *name != NULL; name++)
    {
      GtkStack *stack = relay_window_get_stack (window);
      GtkWidget *shown = gtk_stack_get_child_by_name (stack, *name);
      guint n_visible = 0;

      g_assert_nonnull (shown);
      relay_window_show_page (window, *name);
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, *name);
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack)); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        n_visible += gtk_widget_get_visible (child);
      g_assert_cmpuint (n_visible, ==, 1);
      g_assert_true (gtk_widget_get_visible (shown));
    }

  relay_window_show_message (window, "Hello");
  g_assert_cmpstr (relay_window_get_message (window), ==, "Hello");
  relay_window_hide_message (window);
  g_assert_null (relay_window_get_message (window));
}

/* ---- issue 8: the libadwaita shell ---- */

static GtkWidget *
find_widget (GtkWidget *widget,
             gboolean (*match) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return g_type_is_a (G_OBJECT_TYPE (widget), GPOINTER_TO_SIZE (type));
}

static gboolean
has_class (GtkWidget     *widget,
           gconstpointer  name)
{
  return gtk_widget_has_css_class (widget, name);
}

static void
show_window_at (int width,
                int height)
{
  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gt_spin (600);
}

/* Defect 3: the Charge column shows what the client pays: a canceled order
 * refunded in full shows 0, not its 9.405 USD gross. */
static void
test_charge_net (void)
{
  RelayOrderRow row = { 0 };
  g_autoptr(RelayOrderItem) item = NULL;
  g_autofree char *charge = NULL;
  g_autofree char *expected = NULL;

  row.id = 26;
  row.status = RELAY_ORDER_CANCELED;
  row.link = (char *) "https://instagram.com/p/x";
  row.quantity = 1000;
  row.currency = (char *) "USD";
  row.price = 9405000;
  row.refunded = 9405000;
  item = relay_order_item_new (&row);
  g_object_get (item, "charge-text", &charge, NULL);
  expected = relay_format_money (0, "USD", RELAY_MONEY_STYLE_TOTAL);
  g_assert_cmpstr (charge, ==, expected);
  g_clear_pointer (&charge, g_free);
  g_clear_pointer (&expected, g_free);

  /* A partial refund: what is left. */
  row.status = RELAY_ORDER_PARTIAL;
  row.refunded = 4702500;
  relay_order_item_update_from_row (item, &row);
  g_object_get (item, "charge-text", &charge, NULL);
  expected = relay_format_money (4702500, "USD", RELAY_MONEY_STYLE_TOTAL);
  g_assert_cmpstr (charge, ==, expected);
}

/* Defect 7: "Nina", "Likes" — the names the table shows are found. */
static void
test_search_names (void)
{
  g_autoptr(RelayOrderItem) item = NULL;
  g_autofree char *client = NULL;
  g_autofree char *service = NULL;
  guint n;

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  for (guint i = 0; i < MIN (n_items (), 50) && (client == NULL || service == NULL); i++)
    {
      g_autoptr(RelayOrderItem) candidate = g_list_model_get_item (G_LIST_MODEL (model ()), i);
      g_autofree char *c = NULL;
      g_autofree char *s = NULL;

      g_object_get (candidate, "client", &c, "service", &s, NULL);
      if (client == NULL && c != NULL && *c != '\0' && strcmp (c, "—") != 0)
        client = g_steal_pointer (&c);
      if (service == NULL && s != NULL && *s != '\0')
        service = g_steal_pointer (&s);
    }
  g_assert_nonnull (client);
  g_assert_nonnull (service);

  relay_orders_page_set_search (page (), client);
  n = n_items ();
  g_test_message ("client “%s”: %u orders", client, n);
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpint (n, ==, store_count (RELAY_ORDER_FILTER_ALL, client));
  for (guint i = 0; i < MIN (n, 20); i++)
    {
      g_autoptr(RelayOrderItem) found = g_list_model_get_item (G_LIST_MODEL (model ()), i);
      g_autofree char *c = NULL;
      g_autofree char *s = NULL;
      g_autofree char *l = NULL;

      g_object_get (found, "client", &c, "service", &s, "link", &l, NULL);
      g_assert_true (strstr (c ? c : "", client) != NULL || strstr (s ? s : "", client) != NULL ||
                     strstr (l ? l : "", client) != NULL);
    }

  /* A service name, and a part of it in another case (LIKE is case-blind for ASCII). */
  relay_orders_page_set_search (page (), service);
  g_test_message ("service “%s”: %u orders", service, n_items ());
  g_assert_cmpuint (n_items (), >=, 1);
  g_assert_false (relay_orders_page_get_no_match_shown (page ()));

  relay_orders_page_set_search (page (), "no-such-name-anywhere");
  g_assert_cmpuint (n_items (), ==, 0);
  /* Empty because of the search: say so, with the way out. */
  g_assert_true (relay_orders_page_get_no_match_shown (page ()));
  relay_orders_page_clear_filters (page ());
  g_assert_false (relay_orders_page_get_no_match_shown (page ()));
  g_assert_cmpint (n_items (), ==, store_count (RELAY_ORDER_FILTER_ALL, NULL));
}

static gboolean
is_focusable_label (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         gtk_widget_get_focusable (widget);
}

typedef struct
{
  GPtrArray *actions;
} ShortcutList;

static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *actions)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;
      g_autofree char *accel = NULL;

      g_object_get (widget, "action-name", &action, "accelerator", &accel, NULL);
      if (action != NULL)
        g_ptr_array_add (actions, g_steal_pointer (&action));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, actions);
}

static gboolean
str_equal (gconstpointer a,
           gconstpointer b)
{
  return g_str_equal (a, b);
}

/* Defect 8: the table is one Tab stop (no link per row), F1 does something,
 * and every action with a shortcut is listed in the shortcuts window. */
static void
test_keyboard (void)
{
  GtkWidget *view = GTK_WIDGET (relay_orders_page_get_list_view (page ()));
  g_auto(GStrv) f1 = NULL;
  g_auto(GStrv) actions = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  GObject *overlay;

  show_window_at (1280, 800);
  relay_window_show_page (window, "orders");
  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  gt_spin (300);
  g_assert_null (find_widget (view, is_focusable_label, NULL));

  /* Tab leaves the table (for the details pane and its buttons), Shift+Tab
   * goes back to the search; arrows stay for the rows. */
  relay_orders_page_select_position (page (), 1);
  gt_spin (200);
  gtk_widget_grab_focus (view);
  gt_spin (100);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), view));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), view));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (relay_orders_page_get_details (page ()))));
  gtk_widget_grab_focus (view);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_BACKWARD));
  g_assert_nonnull (gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                             GTK_TYPE_SEARCH_ENTRY));
  /* And Tab from the search goes to the rows (the header above them is no
   * Tab stop), on the selected row. */
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), view));
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                          GTK_WIDGET (relay_orders_page_get_column_view (page ()))));

  f1 = (char **) gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "F1");
  g_assert_nonnull (f1);
  g_assert_nonnull (f1[0]);
  g_test_message ("F1: %s", f1[0]);

  builder = gtk_builder_new_from_resource ("/io/github/smmrelay/SmmRelay/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_nonnull (overlay);
  collect_shortcuts (GTK_WIDGET (overlay), listed);
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);

      if (accels[0] == NULL)
        continue;
      g_assert_true (g_action_parse_detailed_name (actions[i], &name, &target, NULL));
      g_test_message ("%s (%s)", actions[i], accels[0]);
      if (!g_ptr_array_find_with_equal_func (listed, name, str_equal, NULL))
        g_error ("%s has a shortcut but is not in the shortcuts window", name);
    }
  /* The Pages entries (win.show-page, win.show-sidebar) carry only their
   * keys (Alt+1 …, Alt+Left, bound by the window, not the application):
   * see /window/shortcuts-pages-keys. */
}

/* GNOME's HIG minimum, 360 × 480: the window gets there, the sidebar folds
 * behind a back button and the table keeps its key columns. */
static void
test_narrow (void)
{
  GtkColumnView *view = relay_orders_page_get_column_view (page ());
  g_autoptr(GListModel) columns = NULL;
  GtkWidget *content;
  int min_width;
  int min_height;

  /* Narrowed as a user drags the edge: past 700 px the table drops to its
   * key columns and the details pane to one column, and then the window
   * goes down to 360 px. */
  relay_window_show_page (window, "orders");
  show_window_at (600, 480);
  show_window_at (360, 480);
  g_test_message ("window %d × %d", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);

  /* The content: without the frame and shadow a window has with no window
   * manager (Xvfb). */
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, 360, &min_height, NULL, NULL, NULL);
  g_test_message ("minimum size %d × %d", min_width, min_height);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (relay_window_get_stack (window)));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int page_min;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &page_min, NULL, NULL, NULL);
      g_test_message ("  %s: %d px", G_OBJECT_TYPE_NAME (child), page_min);
    }
  g_assert_cmpint (min_width, <=, 360);
  g_assert_cmpint (min_height, <=, 480);
  g_assert_true (relay_window_get_folded (window));
  g_assert_true (relay_orders_page_get_narrow (page ()));

  columns = g_object_ref (gtk_column_view_get_columns (view));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const char *title = gtk_column_view_column_get_title (column);
      gboolean key = g_strcmp0 (title, "ID") == 0 || g_strcmp0 (title, "Service") == 0 ||
                     g_strcmp0 (title, "Progress") == 0 || g_strcmp0 (title, "Status") == 0;

      g_assert_cmpint (gtk_column_view_column_get_visible (column), ==, key);
    }

  /* The details pane fits too: one column, below the table. */
  relay_orders_page_select_position (page (), 0);
  gt_spin (400);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (relay_orders_page_get_details (page ()))));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);

  /* Back to the list of pages, and into another page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL));
  gt_spin (400);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                             "clients"));
  gt_spin (400);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (relay_window_get_stack (window)), ==,
                   "clients");

  show_window_at (1280, 800);
  relay_window_show_page (window, "orders");
  gt_spin (300);
  g_assert_false (relay_window_get_folded (window));
  g_assert_false (relay_orders_page_get_narrow (page ()));
}

/* Toasts: one per event, gone when stale (a page's error does not survive
 * leaving the page); an order's toast leads to the order. */
static void
test_toasts (void)
{
  GtkWidget *clients = gtk_stack_get_child_by_name (relay_window_get_stack (window), "clients");
  g_autoptr(RelayOrderItem) item = NULL;
  RelayOrderDetails *details = relay_orders_page_get_details (page ());
  gint64 id;

  relay_window_hide_message (window);
  gt_spin (100);
  g_assert_cmpuint (relay_window_get_n_toasts (window), ==, 0);

  relay_window_show_page (window, "clients");
  g_signal_emit_by_name (clients, "message", "Could not save the client");
  g_assert_cmpstr (relay_window_get_message (window), ==, "Could not save the client");
  g_assert_cmpuint (relay_window_get_n_toasts (window), ==, 1);
  relay_window_show_page (window, "orders");
  gt_spin (100);
  g_assert_null (relay_window_get_message (window));
  g_assert_cmpuint (relay_window_get_n_toasts (window), ==, 0);

  /* "Order N is scheduled" goes when order N is canceled. */
  {
    g_autoptr(RelayOrderItem) first = g_list_model_get_item (G_LIST_MODEL (model ()), 0);
    g_autoptr(RelayOrderRow) row = relay_store_get_order (store (), relay_order_item_get_id (first),
                                                          NULL);
    g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GArray) ids = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(AdwToast) toast = adw_toast_new ("Order is scheduled");
    RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
    gint64 scheduled;

    draft->service_id = row->service_id;
    draft->link = row->link;
    draft->quantity = row->quantity;
    draft->scheduled_at = g_get_real_time () / G_USEC_PER_SEC + 3600;
    g_ptr_array_add (drafts, draft);
    ids = relay_core_place_orders (relay_application_get_core (app), drafts, "test", &error);
    g_assert_no_error (error);
    scheduled = g_array_index (ids, gint64, 0);
    adw_toast_set_button_label (toast, "Show Order");
    adw_toast_set_action_name (toast, "win.show-order");
    adw_toast_set_action_target_value (toast, g_variant_new_int64 (scheduled));
    relay_window_add_toast (window, toast);
    g_assert_cmpuint (relay_window_get_n_toasts (window), ==, 1);
    g_assert_true (relay_store_cancel_unsent (store (), scheduled, "test", &error));
    g_assert_no_error (error);
    gt_spin (100);
    g_assert_cmpuint (relay_window_get_n_toasts (window), ==, 0);
    gt_spin (500);
  }

  /* win.show-order, the action of an order's toast and notification. */
  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  item = g_list_model_get_item (G_LIST_MODEL (model ()), n_items () / 2);
  id = relay_order_item_get_id (item);
  relay_window_show_page (window, "providers");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-order", "x", id));
  gt_spin (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (relay_window_get_stack (window)), ==,
                   "orders");
  g_assert_nonnull (relay_order_details_get_item (details));
  g_assert_cmpint (relay_order_item_get_id (relay_order_details_get_item (details)), ==, id);
  relay_orders_page_clear_filters (page ());
}

/* Defect 12: no half-window pane saying "Select an order". */
static void
test_details_pane (void)
{
  RelayOrderDetails *details = relay_orders_page_get_details (page ());

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  relay_window_show_page (window, "orders");
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (
                                       relay_orders_page_get_list_view (page ()))),
                                     GTK_INVALID_LIST_POSITION);
  gt_spin (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (details)));
  relay_orders_page_select_position (page (), 0);
  gt_spin (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (details)));
}

/* Defect 12: Review's count in the sidebar; no "Try the Demo" in the demo. */
static void
test_sidebar_and_menu (void)
{
  RelayOrderQuery query = { .filter = RELAY_ORDER_FILTER_STATUS,
                            .status = RELAY_ORDER_NEEDS_REVIEW };
  GtkWidget *badge = find_widget (GTK_WIDGET (window), has_class, "sidebar-badge");
  gint64 n = relay_store_count_orders (store (), &query, NULL);

  g_assert_nonnull (badge);
  g_assert_true (GTK_IS_LABEL (badge));
  g_assert_cmpint (gtk_widget_get_visible (badge), ==, n > 0);
  if (n > 0)
    g_assert_cmpint (g_ascii_strtoll (gtk_label_get_text (GTK_LABEL (badge)), NULL, 10), ==, n);
  g_test_message ("%" G_GINT64_FORMAT " orders need review", n);

  g_assert_true (relay_application_get_demo (app));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "demo"));

  /* The style: follow the system, or the user's choice (menu, preferences). */
  g_action_group_activate_action (G_ACTION_GROUP (app), "style", g_variant_new_string ("dark"));
  gt_spin (100);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  {
    g_autofree char *scheme = g_settings_get_string (relay_application_get_settings (app),
                                                     "color-scheme");

    g_assert_cmpstr (scheme, ==, "dark");
  }
  g_action_group_activate_action (G_ACTION_GROUP (app), "style", g_variant_new_string ("light"));
  gt_spin (100);
  g_assert_false (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  g_action_group_activate_action (G_ACTION_GROUP (app), "style", g_variant_new_string ("system"));
  gt_spin (100);
}

typedef struct
{
  gint64 provider_id;
  gint64 balance;
} BalanceWait;

static gboolean
provider_balance (gint64   provider_id,
                  gint64  *balance)
{
  g_autoptr(GPtrArray) providers = relay_store_list_providers (store (), NULL);

  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      RelayProviderRow *provider = g_ptr_array_index (providers, i);

      if (provider->id == provider_id && provider->has_balance)
        {
          *balance = provider->balance;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
balance_changed (gpointer data)
{
  BalanceWait *wait = data;
  gint64 balance;

  return provider_balance (wait->provider_id, &balance) && balance != wait->balance;
}

/* Defect 12: after sending, the provider's balance is asked again (it showed
 * 1000.00 after 40 orders). */
static void
test_balance_after_send (void)
{
  g_autoptr(RelayOrderItem) item = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
  BalanceWait wait = { 0 };

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  item = g_list_model_get_item (G_LIST_MODEL (model ()), 0);
  row = relay_store_get_order (store (), relay_order_item_get_id (item), &error);
  g_assert_no_error (error);
  g_assert_cmpint (row->provider_id, !=, 0);
  /* Let the dispatches going on settle, then read the balance. */
  gt_spin (1500);
  wait.provider_id = row->provider_id;
  if (!provider_balance (row->provider_id, &wait.balance))
    wait.balance = G_MININT64;

  draft->service_id = row->service_id;
  draft->client_id = row->client_id;
  draft->link = row->link;
  draft->quantity = row->quantity;
  g_ptr_array_add (drafts, draft);
  ids = relay_core_place_orders (relay_application_get_core (app), drafts, "test", &error);
  g_assert_no_error (error);
  relay_application_refresh (app);
  g_assert_true (gt_wait_until (balance_changed, &wait, 20000));
  g_test_message ("balance %" G_GINT64_FORMAT " -> changed after sending order %" G_GINT64_FORMAT,
                  wait.balance, g_array_index (ids, gint64, 0));
}

/* WCAG AA: every status pill's words at least 4.5:1 against the pill, in the
 * light and the dark style. */
static double
luminance (const guchar *p)
{
  double c[3];

  /* Cairo's ARGB32 in memory: B, G, R, A on little-endian. */
  for (guint i = 0; i < 3; i++)
    {
      double v = p[2 - i] / 255.0;

      c[i] = v <= 0.03928 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static double
pill_contrast (RelayOrderStatus  status,
               guint32          *background_out)
{
  GtkWidget *pill = g_object_new (RELAY_TYPE_STATUS_PILL, "status", status, NULL);
  GtkWidget *popup = gtk_window_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  GHashTable *counts = g_hash_table_new (NULL, NULL);
  guint32 background = 0;
  guint best = 0;
  double bg_lum;
  double worst = 1.0;
  int width;
  int height;

  /* On the view's background, as in the table. */
  gtk_widget_add_css_class (popup, "view");
  gtk_window_set_child (GTK_WINDOW (popup), pill);
  gtk_widget_set_halign (pill, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  gtk_window_present (GTK_WINDOW (popup));
  gt_spin (300);
  width = gtk_widget_get_width (pill);
  height = gtk_widget_get_height (pill);
  g_assert_cmpint (width, >, 0);
  paintable = gtk_widget_paintable_new (pill);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* The pill's own background is painted by the pill: put the window's under it. */
  {
    GtkSnapshot *full = gtk_snapshot_new ();
    GdkRGBA window_bg;
    g_autoptr(GskRenderNode) composed = NULL;

    /* @view_bg_color: white in light, #1e1e1e in dark (libadwaita 1.2). */
    gdk_rgba_parse (&window_bg, adw_style_manager_get_dark (adw_style_manager_get_default ())
                                ? "#1e1e1e" : "#ffffff");
    gtk_snapshot_append_color (full, &window_bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
    gtk_snapshot_append_node (full, node);
    composed = gtk_snapshot_free_to_node (full);
    texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (popup)), composed,
                                           &GRAPHENE_RECT_INIT (0, 0, width, height));
  }
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);

  /* The pill's colour: the most common pixel of its middle row band. */
  for (int y = height / 4; y < height * 3 / 4; y++)
    for (int x = width / 4; x < width * 3 / 4; x++)
      {
        guint32 value = *(guint32 *) (pixels + ((gsize) y * width + x) * 4);
        guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (value))) + 1;

        g_hash_table_insert (counts, GUINT_TO_POINTER (value), GUINT_TO_POINTER (count));
        if (count > best)
          {
            best = count;
            background = value;
          }
      }
  bg_lum = luminance ((guchar *) &background);
  /* The words' colour: the pixel that differs most from it (a glyph's core). */
  for (int y = 0; y < height; y++)
    for (int x = width / 6; x < width * 5 / 6; x++)
      {
        const guchar *p = pixels + ((gsize) y * width + x) * 4;
        double lum = luminance (p);
        double ratio = (MAX (lum, bg_lum) + 0.05) / (MIN (lum, bg_lum) + 0.05);

        worst = MAX (worst, ratio);
      }
  g_hash_table_unref (counts);
  gtk_window_destroy (GTK_WINDOW (popup));
  *background_out = background;
  return worst;
}

static void
test_contrast (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  const RelayOrderStatus statuses[] = {
    RELAY_ORDER_COMPLETED, RELAY_ORDER_IN_PROGRESS, RELAY_ORDER_PENDING,
    RELAY_ORDER_PARTIAL, RELAY_ORDER_FAILED,
  };
  const AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK };

  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      adw_style_manager_set_color_scheme (manager, schemes[s]);
      gt_spin (200);
      guint32 backgrounds[G_N_ELEMENTS (statuses)];

      for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
        {
          double ratio = pill_contrast (statuses[i], &backgrounds[i]);

          g_test_message ("%s, %s: %.2f:1, background %08x", s == 0 ? "light" : "dark",
                          relay_order_status_get_label (statuses[i]), ratio, backgrounds[i]);
          g_assert_cmpfloat (ratio, >=, 4.5);
          /* Each tone its own tint (the pill paints it per status). */
          for (guint j = 0; j < i; j++)
            g_assert_cmphex (backgrounds[i], !=, backgrounds[j]);
        }
    }
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gt_spin (100);
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

static gboolean
is_cancel_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Cancel Order") == 0;
}

/* The visible message dialog that says the help cannot open, if any. */
static GtkWindow *
find_help_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (toplevel)), "yelp") != NULL)
        return toplevel;
    }
  return NULL;
}

/* F1 and the menu's Help open the help; with no help viewer installed (as
 * on a bare Debian or CI) a dialog says so instead of nothing happening. */
static void
test_help (void)
{
  g_auto(GStrv) f1 = NULL;
  g_autoptr(GAppInfo) viewer = g_app_info_get_default_for_uri_scheme ("help");
  GtkWindow *dialog;
  const char *body;

  f1 = (char **) gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "F1");
  g_assert_nonnull (f1);
  g_assert_cmpstr (f1[0], ==, "app.help");
  if (viewer != NULL)
    {
      g_test_skip ("a help viewer is installed: it would open for real");
      return;
    }
  g_assert_null (find_help_dialog ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  gt_spin (200);
  dialog = find_help_dialog ();
  g_assert_nonnull (dialog);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, "No help viewer"));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  /* adw_message_dialog_response() does not close it (a click does). */
  gtk_window_destroy (dialog);
  gt_spin (100);
  g_assert_null (find_help_dialog ());
}

/* Canceling an order is asked first (AdwMessageDialog); "Keep" keeps it. */
static void
test_cancel_confirmation (void)
{
  RelayOrderDetails *details = relay_orders_page_get_details (page ());
  g_autoptr(RelayOrderItem) item = NULL;
  g_autoptr(RelayOrderRow) before = NULL;
  g_autoptr(RelayOrderRow) after = NULL;
  GtkWidget *button;
  GtkWindow *dialog;

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  relay_window_show_page (window, "orders");
  relay_orders_page_select_position (page (), 0);
  gt_spin (200);
  item = g_object_ref (relay_order_details_get_item (details));
  before = relay_store_get_order (store (), relay_order_item_get_id (item), NULL);
  button = find_widget (GTK_WIDGET (details), is_cancel_button, NULL);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  gt_spin (200);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gt_spin (300);
  after = relay_store_get_order (store (), relay_order_item_get_id (item), NULL);
  /* Nothing asked of the provider: no cancellation on record. */
  g_assert_cmpstr (relay_window_get_message (window), !=, "Cancellation requested");
  g_assert_true (after->status != RELAY_ORDER_CANCELED || before->status == RELAY_ORDER_CANCELED);
  relay_window_hide_message (window);
}

/* ---- issue 8, the findings of T8 fixed by K9 ---- */

static gboolean
is_status_dropdown (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_DROP_DOWN (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Show orders by status") == 0;
}

static gboolean
is_mapped_label_with (GtkWidget     *widget,
                      gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_group_titled (GtkWidget     *widget,
                 gconstpointer  title)
{
  g_autofree char *text = NULL;

  if (!GTK_IS_SHORTCUTS_GROUP (widget))
    return FALSE;
  g_object_get (widget, "title", &text, NULL);
  return g_strcmp0 (text, title) == 0;
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* T8 #5: the status filter's list shows whole names, not "Nee…". */
static void
test_status_filter_list (void)
{
  GtkWidget *dropdown;
  GtkWidget *label;

  show_window_at (1280, 800);
  relay_window_show_page (window, "orders");
  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  dropdown = find_widget (GTK_WIDGET (page ()), is_status_dropdown, NULL);
  g_assert_nonnull (dropdown);
  g_signal_emit_by_name (dropdown, "activate");
  gt_spin (400);
  label = find_widget (dropdown, is_mapped_label_with, "Needs attention");
  g_assert_nonnull (label);
  g_test_message ("list row: %d px wide", gtk_widget_get_width (label));
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
  gtk_widget_activate_action (dropdown, "popover.close", NULL);
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (label, GTK_TYPE_POPOVER)));
  gt_spin (200);
}

/* T8 #6: the shortcuts window's Pages show their keys (Alt+1 …). */
static void
test_shortcuts_pages_keys (void)
{
  GtkWindow *overlay;

  /* The window the app's Keyboard Shortcuts opens, in the app's window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  gt_spin (300);
  overlay = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (overlay);
  {
    GtkWidget *group = find_widget (GTK_WIDGET (overlay), is_group_titled, "Pages");
    guint n = 0;

    g_assert_nonnull (group);
    for (GtkWidget *child = gtk_widget_get_first_child (group); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        g_autofree char *title = NULL;
        g_autofree char *accel = NULL;
        g_autofree char *expected = NULL;

        if (!GTK_IS_SHORTCUTS_SHORTCUT (child))
          continue;
        g_object_get (child, "title", &title, "accelerator", &accel, NULL);
        g_test_message ("%s: %s", title, accel ? accel : "(none)");
        expected = ++n <= 8 ? g_strdup_printf ("<Alt>%u", n) : g_strdup ("<Alt>Left");
        g_assert_cmpstr (accel, ==, expected);
      }
    g_assert_cmpuint (n, ==, 9);
  }
  gtk_window_close (overlay);
  gt_spin (300);
}

/* T8 #10: Preferences can turn confirmations off (the confirm-orders key). */
static void
test_preferences_confirm (void)
{
  GSettings *settings = relay_application_get_settings (app);
  GtkWindow *preferences;
  GtkWidget *row;
  GtkWidget *sw;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  gt_spin (200);
  preferences = find_toplevel (g_type_from_name ("RelayPreferencesWindow"));
  g_assert_nonnull (preferences);
  row = find_widget (GTK_WIDGET (preferences), is_row_titled, "_Confirm Orders and Cancellations");
  g_assert_nonnull (row);
  sw = find_widget (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_SWITCH));
  g_assert_nonnull (sw);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "confirm-orders"));
  g_settings_reset (settings, "confirm-orders");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  gtk_window_close (preferences);
  gt_spin (300);
}

/* The @skip-th order (oldest first: the earlier tests act on the newest
 * rows) that @match accepts, or 0. */
static gint64
first_order_where (gboolean (*match) (const RelayOrderRow *),
                   guint      skip)
{
  RelayOrderQuery query = { 0 };
  g_autoptr(GPtrArray) rows = relay_store_list_orders (store (), &query, 0, 1000, NULL);

  g_assert_nonnull (rows);
  for (guint i = rows->len; i > 0; i--)
    {
      const RelayOrderRow *row = g_ptr_array_index (rows, i - 1);

      if (match (row) && skip-- == 0)
        return row->id;
    }
  return 0;
}

/* Whether the details of order @id offer Cancel Order right now (the
 * simulator may finish an order meanwhile). */
static gboolean
cancel_offered (gint64 id)
{
  RelayOrderDetails *details = relay_orders_page_get_details (page ());
  GtkWidget *button;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-order", "x", id));
  gt_spin (400);
  button = find_widget (GTK_WIDGET (details), is_cancel_button, NULL);
  return button != NULL && gtk_widget_get_sensitive (button);
}

static gboolean
is_unsent (const RelayOrderRow *row)
{
  return row->status == RELAY_ORDER_SCHEDULED || row->status == RELAY_ORDER_QUEUED;
}

static gboolean
is_cancelable_at_provider (const RelayOrderRow *row)
{
  return relay_order_can_cancel (row) && !is_unsent (row) &&
         row->status != RELAY_ORDER_NEEDS_REVIEW;
}

/* Shows order @id, presses Cancel Order and answers the confirmation.
 * When @may_change, an order whose Cancel Order went off meanwhile (the
 * demo panel finished or canceled it during the wait) gives NULL. */
static GtkWidget *
try_cancel_order_at (gint64 id, const char *body_words, gboolean may_change)
{
  RelayOrderDetails *details = relay_orders_page_get_details (page ());
  GtkWidget *button;
  GtkWindow *dialog;

  relay_window_hide_message (window);
  /* No dialog left open by an earlier test. */
  while ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-order", "x", id));
  gt_spin (400);
  g_assert_cmpint (relay_order_item_get_id (relay_order_details_get_item (details)), ==, id);
  button = find_widget (GTK_WIDGET (details), is_cancel_button, NULL);
  g_assert_nonnull (button);
  {
    g_autoptr(RelayOrderRow) row = relay_store_get_order (store (), id, NULL);

    g_test_message ("order %" G_GINT64_FORMAT ": %s", id, relay_order_status_to_string (row->status));
  }
  if (may_change && !gtk_widget_get_sensitive (button))
    return NULL;
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  gt_spin (200);
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_test_message ("%s", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), body_words));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* (A button click closes it; the response call alone does not.) */
  gtk_window_destroy (dialog);
  gt_spin (300);
  return button;
}

static GtkWidget *
cancel_order_at (gint64 id, const char *body_words)
{
  return try_cancel_order_at (id, body_words, FALSE);
}

/* A scheduled order like one of the demo's. */
static gint64
place_scheduled (void)
{
  g_autoptr(RelayOrderItem) first = g_list_model_get_item (G_LIST_MODEL (model ()), 0);
  g_autoptr(RelayOrderRow) row = relay_store_get_order (store (), relay_order_item_get_id (first),
                                                        NULL);
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

  draft->service_id = row->service_id;
  draft->link = row->link;
  draft->quantity = row->quantity;
  draft->scheduled_at = g_get_real_time () / G_USEC_PER_SEC + 3600;
  g_ptr_array_add (drafts, draft);
  ids = relay_core_place_orders (relay_application_get_core (app), drafts, "test", &error);
  g_assert_no_error (error);
  gt_spin (300);
  return g_array_index (ids, gint64, 0);
}

static gboolean
message_shown (gpointer data)
{
  return relay_window_get_message (window) != NULL;
}

/* The order's title in the details pane stays the one selectable Tab stop:
 * Tab from the table lands there (/window/keyboard). */
static gboolean
is_selectable_tab_stop (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)) &&
         gtk_widget_get_focusable (widget) && !gtk_widget_has_css_class (widget, "title-3");
}

/* T8 #8: Ctrl+N (app.new-order) puts the focus in the Link field, and no
 * selectable label (order title, charge, details) is a Tab stop. */
static void
test_new_order_focus (void)
{
  GtkWidget *focus;

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  relay_window_show_page (window, "orders");
  relay_orders_page_select_position (page (), 0);
  gt_spin (300);
  g_assert_null (find_widget (GTK_WIDGET (window), is_selectable_tab_stop, NULL));

  g_action_group_activate_action (G_ACTION_GROUP (app), "new-order", NULL);
  gt_spin (300);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_test_message ("focus: %s", G_OBJECT_TYPE_NAME (focus));
  g_assert_false (GTK_IS_LABEL (focus));
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_ENTRY));
  g_assert_nonnull (gtk_widget_get_ancestor (focus, g_type_from_name ("RelayNewOrderPage")));
  g_assert_null (find_widget (GTK_WIDGET (window), is_selectable_tab_stop, NULL));
  relay_window_show_page (window, "orders");
  gt_spin (200);
}

/* T8 #11: an order never sent is canceled and refunded, and says so; T8 #12:
 * Cancel Order is off once the provider accepted a cancellation. */
static void
test_cancel_wording (void)
{
  gint64 unsent;
  gint64 sent;
  GtkWidget *button;
  g_autoptr(RelayOrderRow) after = NULL;

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  relay_window_show_page (window, "orders");
  unsent = place_scheduled ();
  cancel_order_at (unsent, "never sent");
  g_assert_true (gt_wait_until (message_shown, NULL, WAIT_MS));
  g_test_message ("toast: %s", relay_window_get_message (window));
  g_assert_nonnull (strstr (relay_window_get_message (window), "canceled before it was sent"));
  after = relay_store_get_order (store (), unsent, NULL);
  g_assert_cmpint (after->status, ==, RELAY_ORDER_CANCELED);

  button = NULL;
  for (guint skip = 0; button == NULL; skip++)
    {
      sent = first_order_where (is_cancelable_at_provider, skip);
      g_assert_cmpint (sent, >, 0);
      if (cancel_offered (sent))
        button = try_cancel_order_at (sent, "provider is asked", TRUE);
    }
  g_assert_true (gt_wait_until (message_shown, NULL, WAIT_MS));
  g_test_message ("toast: %s", relay_window_get_message (window));
  g_assert_cmpstr (relay_window_get_message (window), ==, "Cancellation requested");
  gt_spin (300);
  g_assert_false (gtk_widget_get_sensitive (button));
  relay_window_hide_message (window);

  /* T8 #10: with confirmations off in Preferences, Cancel Order asks nothing. */
  {
    GSettings *settings = relay_application_get_settings (app);
    RelayOrderDetails *details = relay_orders_page_get_details (page ());
    g_autoptr(RelayOrderRow) quiet = NULL;
    gint64 id = place_scheduled ();

    g_settings_set_boolean (settings, "confirm-orders", FALSE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-order", "x", id));
    gt_spin (400);
    button = find_widget (GTK_WIDGET (details), is_cancel_button, NULL);
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    g_assert_true (gt_wait_until (message_shown, NULL, WAIT_MS));
    g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    quiet = relay_store_get_order (store (), id, NULL);
    g_assert_cmpint (quiet->status, ==, RELAY_ORDER_CANCELED);
    g_settings_reset (settings, "confirm-orders");
    relay_window_hide_message (window);
  }
  /* (Showing an order may filter the table to it: leave it whole.) */
  relay_orders_page_clear_filters (page ());
  gt_spin (300);
}

static void
test_dialogs (void)
{
  GSettings *settings = relay_application_get_settings (app);
  const GType types[] = { GTK_TYPE_SHORTCUTS_WINDOW, ADW_TYPE_ABOUT_WINDOW };
  const char * const actions[] = { "shortcuts", "about" };
  GtkWindow *preferences;
  GtkWidget *spin_button;

  /* Preferences: bound to GSettings both ways. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  gt_spin (200);
  preferences = find_toplevel (g_type_from_name ("RelayPreferencesWindow"));
  g_assert_nonnull (preferences);
  g_settings_set_uint (settings, "refresh-interval", 45);
  spin_button = find_widget (GTK_WIDGET (preferences), is_type,
                             GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));
  g_assert_nonnull (spin_button);
  /* Defect 10: the default client is picked from the book, not typed. */
  g_assert_nonnull (find_widget (GTK_WIDGET (preferences), is_type,
                                 GSIZE_TO_POINTER (g_type_from_name ("RelayClientPicker"))));
  g_assert_null (find_widget (GTK_WIDGET (preferences), is_type,
                              GSIZE_TO_POINTER (GTK_TYPE_ENTRY)));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin_button)), ==, 45);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 20);
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-interval"), ==, 20);
  g_settings_reset (settings, "refresh-interval");
  gtk_window_close (preferences);
  gt_spin (300);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GtkWindow *shown;

      g_action_group_activate_action (G_ACTION_GROUP (app), actions[i], NULL);
      gt_spin (200);
      shown = find_toplevel (types[i]);
      g_assert_nonnull (shown);
      if (types[i] == GTK_TYPE_SHORTCUTS_WINDOW)
        gtk_widget_set_visible (GTK_WIDGET (shown), FALSE);
      else
        gtk_window_destroy (shown);
    }
  gt_spin (100);
}

static gboolean
find_label_part (GtkWidget  *widget,
                 const char *part)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), part) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label_part (child, part))
      return TRUE;
  return FALSE;
}

/* Issue 8: local time everywhere — the history of a scheduled order says
 * when it goes in local time (relay_format_time), not "…T14:00:00Z". */
static void
test_local_times (void)
{
  RelayOrderDetails *details = relay_orders_page_get_details (page ());
  g_autoptr(RelayOrderItem) first = NULL;
  g_autoptr(RelayOrderRow) model_row = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *local = NULL;
  RelayOrderDraft draft = { 0 };
  /* Tomorrow, on the minute. */
  gint64 when = (g_get_real_time () / G_USEC_PER_SEC / 60 + 24 * 60) * 60;
  gint64 id;

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  show_window_at (1280, 800);
  relay_window_show_page (window, "orders");
  first = g_list_model_get_item (G_LIST_MODEL (model ()), 0);
  model_row = relay_store_get_order (store (), relay_order_item_get_id (first), &error);
  g_assert_no_error (error);

  /* Another of that order, sent tomorrow. */
  draft.service_id = model_row->service_id;
  draft.client_id = model_row->client_id;
  draft.link = model_row->link;
  draft.quantity = model_row->quantity;
  draft.extra_json = model_row->extra_json;
  draft.runs = model_row->runs;
  draft.interval = model_row->interval;
  draft.scheduled_at = when;
  g_ptr_array_add (drafts, &draft);
  ids = relay_core_place_orders (relay_application_get_core (app), drafts, "test", &error);
  g_assert_no_error (error);
  id = g_array_index (ids, gint64, 0);

  relay_orders_page_show_order (page (), id);
  gt_spin (600);
  g_assert_nonnull (relay_order_details_get_item (details));
  g_assert_cmpint (relay_order_item_get_id (relay_order_details_get_item (details)), ==, id);

  utc = g_date_time_new_from_unix_utc (when);
  iso = g_date_time_format_iso8601 (utc);
  local = relay_format_time (when);
  g_test_message ("sent at %s, shown as %s", iso, local);
  g_assert_cmpstr (iso, !=, local);
  g_assert_false (find_label_part (GTK_WIDGET (details), iso));
  g_assert_true (find_label_part (GTK_WIDGET (details), local));

  relay_orders_page_clear_filters (page ());
}

static void
test_empty_state (void)
{
  g_autofree char *path = g_build_filename (fixture.dir, "empty.db", NULL);
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

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  /* Let the demo provider deliver something so the picture shows progress. */
  gt_wait_until (some_progress, NULL, 20000);
  relay_application_refresh (app);
  gt_spin (1500);
  relay_orders_page_select_position (page (), first_completed ());
  gt_spin (500);
  relay_window_hide_message (window);
  gt_spin (600);

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

int
main (int   argc,
      char *argv[])
{
  int result;

  gt_init (&argc, &argv);

  gt_app_start (&fixture, TRUE, "smm-relay-gui-XXXXXX");
  app = fixture.app;
  window = fixture.window;
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);

  g_test_add_func ("/window/demo-rows", test_demo_rows);
  g_test_add_func ("/window/filters", test_filters);
  g_test_add_func ("/window/search", test_search);
  g_test_add_func ("/window/details", test_details);
  g_test_add_func ("/window/actions", test_actions);
  g_test_add_func ("/window/dialogs", test_dialogs);
  g_test_add_func ("/window/cancel-confirmation", test_cancel_confirmation);
  g_test_add_func ("/window/status-filter-list", test_status_filter_list);
  g_test_add_func ("/window/shortcuts-pages-keys", test_shortcuts_pages_keys);
  g_test_add_func ("/window/preferences-confirm", test_preferences_confirm);
  g_test_add_func ("/window/cancel-wording", test_cancel_wording);
  g_test_add_func ("/window/new-order-focus", test_new_order_focus);
  g_test_add_func ("/window/help", test_help);
  g_test_add_func ("/window/charge-net", test_charge_net);
  g_test_add_func ("/window/search-names", test_search_names);
  g_test_add_func ("/window/keyboard", test_keyboard);
  g_test_add_func ("/window/narrow", test_narrow);
  g_test_add_func ("/window/toasts", test_toasts);
  g_test_add_func ("/window/details-pane", test_details_pane);
  g_test_add_func ("/window/sidebar-and-menu", test_sidebar_and_menu);
  g_test_add_func ("/window/balance-after-send", test_balance_after_send);
  g_test_add_func ("/style/contrast", test_contrast);
  g_test_add_func ("/window/local-times", test_local_times);
  g_test_add_func ("/window/screenshot", test_screenshot);
  g_test_add_func ("/orders-page/empty-state", test_empty_state);
  result = g_test_run ();

  gt_app_stop (&fixture);
  return result;
}
