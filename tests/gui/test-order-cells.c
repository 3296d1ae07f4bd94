/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cells of the orders table (src/app/relay-order-cells.c), in the orders
 * page's own column view: what each shows, that they follow their item, and
 * that binding sets no tooltip (GTK 4.8 asks the X server where the pointer
 * is for each one): the tooltip is computed when asked. */
#include "config.h"

#include <gtk/gtk.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "relay-core.h"
#include "relay-order-cells.h"
#include "relay-order-list-model.h"
#include "relay-provider-types.h"
#include "relay-order-item.h"
#include "relay-orders-page.h"
#include "relay-status-pill.h"

#define N_ITEMS 5

typedef struct
{
  RelayOrdersPage *page;
  GtkWidget       *window;
  GListStore      *items;
} Fixture;

static RelayOrderItem *
new_item (gint64           id,
          RelayOrderStatus status,
          gint64           remains)
{
  g_autofree char *link = g_strdup_printf ("https://www.example.com/p/%" G_GINT64_FORMAT "?a=1&b=2", id);
  RelayOrderRow row = {
    .id = id,
    .service_name = (char *) "Instagram Likes [Real, 30 days refill]",
    .client_name = (char *) "Acme Coffee",
    .provider_name = (char *) "Panel",
    .link = link,
    .quantity = 2000,
    .status = status,
    .has_start_count = TRUE,
    .start_count = 120,
    .has_remains = TRUE,
    .remains = remains,
    .currency = (char *) "USD",
    .price = 1250000,
    .updated_at = g_get_real_time () / G_USEC_PER_SEC - 30,
  };

  return relay_order_item_new (&row);
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GPtrArray *
find_all (Fixture *fixture,
          GType    type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (GTK_WIDGET (relay_orders_page_get_column_view (fixture->page)), type, found);
  return found;
}

/* The text cells are GtkInscriptions (see relay-order-cells.c). */
static GtkInscription *
find_label (Fixture    *fixture,
            const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (fixture, GTK_TYPE_INSCRIPTION);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_inscription_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return g_ptr_array_index (labels, i);
  return NULL;
}

static GtkLabel *
find_id_label (Fixture    *fixture,
               const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (fixture, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, i)), text) == 0)
      return g_ptr_array_index (labels, i);
  return NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  fixture->items = g_list_store_new (RELAY_TYPE_ORDER_ITEM);
  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autoptr(RelayOrderItem) item = new_item (1000 + i, RELAY_ORDER_IN_PROGRESS, 1500 - i);

      g_list_store_append (fixture->items, item);
    }
  fixture->page = g_object_new (RELAY_TYPE_ORDERS_PAGE, NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (fixture->items)));
  gtk_column_view_set_model (relay_orders_page_get_column_view (fixture->page),
                             GTK_SELECTION_MODEL (selection));
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (GTK_WINDOW (fixture->window));
  spin (200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->items);
  spin (50);
}

/* Each column's cell shows its item's value, with the table's look. */
static void
test_values (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) bars = find_all (fixture, GTK_TYPE_PROGRESS_BAR);
  g_autoptr(GPtrArray) pills = find_all (fixture, RELAY_TYPE_STATUS_PILL);
  g_autoptr(RelayOrderItem) first = g_list_model_get_item (G_LIST_MODEL (fixture->items), 0);
  GtkLabel *id = find_id_label (fixture, "1000");
  GtkInscription *link = find_label (fixture, "example.com/p/1000?a=1&b=2");
  g_autofree char *progress_text = NULL;

  g_assert_nonnull (id);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (id), "numeric"));
  g_assert_cmpfloat (gtk_label_get_xalign (id), ==, 1.0);
  g_assert_cmpint (gtk_label_get_ellipsize (id), ==, PANGO_ELLIPSIZE_END);

  /* The link without its scheme and "www.", from escaped markup (no "&"
   * taken for an entity), cut in the middle. */
  g_assert_nonnull (link);
  g_assert_cmpint (gtk_inscription_get_text_overflow (link), ==,
                   GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE);

  g_assert_nonnull (find_label (fixture, "Acme Coffee"));
  g_assert_nonnull (find_label (fixture, "Instagram Likes [Real, 30 days refill]"));

  g_object_get (first, "progress-text", &progress_text, NULL);
  g_assert_nonnull (find_label (fixture, progress_text));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_label (fixture, progress_text)), "caption"));

  /* A bar and a pill per row. */
  g_assert_cmpuint (bars->len, ==, N_ITEMS);
  /* The nine text cells of a row are GtkInscriptions (a new text redraws,
   * a GtkLabel's new text queues a resize of its row); only the id and the
   * status pill are labels. */
  {
    g_autoptr(GPtrArray) labels = find_all (fixture, GTK_TYPE_LABEL);
    g_autoptr(GPtrArray) texts = find_all (fixture, GTK_TYPE_INSCRIPTION);

    g_assert_cmpuint (texts->len, ==, N_ITEMS * 9);
    /* An id and a pill's label a row, a title a column (the old cells: 11
     * labels a row). */
    g_assert_cmpuint (labels->len, ==, N_ITEMS * 2 + RELAY_ORDER_N_CELLS);
  }
  g_assert_cmpuint (pills->len, ==, N_ITEMS);
  for (guint i = 0; i < pills->len; i++)
    {
      g_assert_cmpuint (relay_status_pill_get_status (g_ptr_array_index (pills, i)), ==,
                        RELAY_ORDER_IN_PROGRESS);
      g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (pills, i), "active"));
    }
}

/* Binding sets no tooltip text: the service and link cells answer
 * ::query-tooltip with the whole text instead.  (The builder factories bound
 * tooltip-text, one X round trip per cell.) */
static void
test_tooltip_on_demand (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) labels = find_all (fixture, GTK_TYPE_INSCRIPTION);
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  GtkInscription *link = find_label (fixture, "example.com/p/1000?a=1&b=2");
  GtkInscription *service = find_label (fixture, "Instagram Likes [Real, 30 days refill]");
  guint n_with_tooltip = 0;
  gboolean shown = FALSE;

  g_assert_cmpuint (labels->len, >=, N_ITEMS * 9);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      g_assert_null (gtk_widget_get_tooltip_text (label));
      g_assert_null (gtk_widget_get_tooltip_markup (label));
      if (gtk_widget_get_has_tooltip (label))
        n_with_tooltip++;
    }
  /* The service and link of each row. */
  g_assert_cmpuint (n_with_tooltip, ==, 2 * N_ITEMS);

  g_assert_nonnull (link);
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (link)));
  g_signal_emit_by_name (link, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  g_assert_true (shown);
  shown = FALSE;
  g_assert_nonnull (service);
  g_signal_emit_by_name (service, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  g_assert_true (shown);
}

/* A cell follows its item: a status sync that changes the remains and the
 * status shows at once, without a rebind. */
static void
test_follows_item (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayOrderItem) first = g_list_model_get_item (G_LIST_MODEL (fixture->items), 0);
  g_autoptr(GPtrArray) pills = NULL;
  guint binds = relay_order_cells_get_n_binds ();
  guint n_partial = 0;
  RelayOrderRow row = {
    .id = 1000,
    .service_name = (char *) "Instagram Likes [Real, 30 days refill]",
    .client_name = (char *) "Acme Coffee",
    .provider_name = (char *) "Panel",
    .link = (char *) "https://www.example.com/p/1000?a=1&b=2",
    .quantity = 2000,
    .status = RELAY_ORDER_PARTIAL,
    .has_start_count = TRUE,
    .start_count = 120,
    .has_remains = TRUE,
    .remains = 7,
    .currency = (char *) "USD",
    .price = 1250000,
    .updated_at = g_get_real_time () / G_USEC_PER_SEC - 30,
  };

  g_assert_null (find_label (fixture, "7"));
  relay_order_item_update_from_row (first, &row);
  spin (50);
  g_assert_nonnull (find_label (fixture, "7"));
  pills = find_all (fixture, RELAY_TYPE_STATUS_PILL);
  for (guint i = 0; i < pills->len; i++)
    if (relay_status_pill_get_status (g_ptr_array_index (pills, i)) == RELAY_ORDER_PARTIAL)
      {
        n_partial++;
        g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (pills, i), "warning"));
        g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (pills, i), "active"));
      }
  g_assert_cmpuint (n_partial, ==, 1);
  g_assert_cmpuint (relay_order_cells_get_n_binds (), ==, binds);

  /* An item no longer bound is no longer followed. */
  g_list_store_remove (fixture->items, 0);
  spin (50);
  row.remains = 9;
  relay_order_item_update_from_row (first, &row);
  spin (50);
  g_assert_null (find_label (fixture, "9"));
}

/* ---- the orders page on a book of its own ---- */

#define N_BOOK 600

static gboolean
id_label_shown (GtkWidget *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (id_label_shown (child, text))
      return TRUE;
  return FALSE;
}

static RelayCore *
new_book (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "orders.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RelayCatalogRow) catalog = NULL;
  g_autoptr(GArray) ids = NULL;
  RelayCore *core = relay_core_new (path, NULL, &error);
  RelayStore *store;
  RelayProviderService *service;
  gint64 provider_id;
  gint64 client_id;

  g_assert_no_error (error);
  store = relay_core_get_store (core);
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
  relay_store_replace_catalog (store, provider_id, services, NULL, &error);
  g_assert_no_error (error);
  catalog = relay_store_find_catalog_service (store, provider_id, "1", &error);
  g_assert_no_error (error);
  relay_store_map_service (store, 1, "Likes", 900000, catalog->id, 0, FALSE, &error);
  g_assert_no_error (error);
  client_id = relay_store_add_client (store, "Alice", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_BOOK; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
      char *link = g_strdup_printf ("https://www.instagram.com/p/post%u/", i);

      g_ptr_array_add (links, link);
      draft->service_id = 1;
      draft->client_id = client_id;
      draft->link = link;
      draft->quantity = 1000 + (i % 50) * 100;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (store, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, N_BOOK);
  return core;
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

/* The id cell of the row at @position, shown or not. */
static gboolean
row_filled (RelayOrdersPage *page,
            guint            position)
{
  g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (relay_orders_page_get_model (page)),
                                                          position);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, relay_order_item_get_id (item));

  return has_label (GTK_WIDGET (relay_orders_page_get_column_view (page)), id);
}

static gboolean
first_row_shown (RelayOrdersPage *page)
{
  g_autoptr(RelayOrderItem) first = g_list_model_get_item (G_LIST_MODEL (relay_orders_page_get_model (page)), 0);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, relay_order_item_get_id (first));

  return id_label_shown (GTK_WIDGET (relay_orders_page_get_column_view (page)), id);
}

static void
wait_first_row (RelayOrdersPage *page)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!first_row_shown (page) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  spin (100);
  g_assert_true (first_row_shown (page));
}

/* Every row is the new list's, the last ones too (GTK asked for them while
 * the old rows were still there). */
static void
check_rows (RelayOrdersPage *page)
{
  RelayOrderListModel *model = relay_orders_page_get_model (page);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = relay_store_list_orders (relay_order_list_model_get_store (model),
                                                       relay_order_list_model_get_query (model),
                                                       0, n, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (relay_order_item_get_id (item) != ((RelayOrderRow *) g_ptr_array_index (rows, i))->id)
        g_test_message ("row %u of %u (sort %d, search %s)", i, n,
                        relay_order_list_model_get_query (model)->sort,
                        relay_order_list_model_get_query (model)->search);
      g_assert_cmpint (relay_order_item_get_id (item), ==,
                       ((RelayOrderRow *) g_ptr_array_index (rows, i))->id);
    }
}

/* A new sort or search on a book bigger than the rows GTK 4.8 keeps: the
 * table shows the new first rows at the top with the cells it has (a rebind
 * each), makes none, and no row stays selected.  (The model used to drop
 * every row before the new ones came, and GTK made ~200 rows of 11 cells
 * again.) */
static void
test_query_change_rebinds (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("smm-relay-cells-XXXXXX", &error);
  g_autoptr(RelayCore) core = NULL;
  RelayOrdersPage *page;
  GtkWidget *window;
  GtkColumnView *view;
  GtkAdjustment *vadjustment;
  GtkSingleSelection *selection;
  GtkColumnViewColumn *quantity = NULL;
  GListModel *columns;
  guint setups;
  guint binds;

  g_assert_no_error (error);
  core = new_book (dir);
  page = g_object_new (RELAY_TYPE_ORDERS_PAGE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  relay_orders_page_set_core (page, core);
  gtk_window_present (GTK_WINDOW (window));
  wait_first_row (page);
  view = relay_orders_page_get_column_view (page);
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

  /* Down the list, one row selected. */
  relay_orders_page_select_position (page, 5);
  gtk_adjustment_set_value (vadjustment, 3000);
  spin (300);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);

  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns) && quantity == NULL; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "Quantity") == 0)
        quantity = column;
    }
  g_assert_nonnull (quantity);

  setups = relay_order_cells_get_n_setups ();
  binds = relay_order_cells_get_n_binds ();
  gtk_column_view_sort_by_column (view, quantity, GTK_SORT_ASCENDING);
  g_test_message ("sort (synchronous): %u cells made, %u bound, %u to fill after the frame",
                  relay_order_cells_get_n_setups () - setups,
                  relay_order_cells_get_n_binds () - binds, relay_order_cells_get_n_pending ());
  /* The rows in view are filled before the first frame, the rest after. */
  g_assert_true (row_filled (page, 0));
  g_assert_true (row_filled (page, 10));
  g_assert_cmpuint (relay_order_cells_get_n_pending (), >, 0);
  g_assert_false (row_filled (page, 150));
  g_assert_cmpint (relay_order_list_model_get_query (relay_orders_page_get_model (page))->sort, ==,
                   RELAY_ORDER_SORT_QUANTITY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, N_BOOK);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
  wait_first_row (page);
  g_test_message ("sort: %u cells made, %u bound", relay_order_cells_get_n_setups () - setups,
                  relay_order_cells_get_n_binds () - binds);
  g_assert_cmpuint (relay_order_cells_get_n_setups () - setups, <=, 11);
  g_assert_cmpuint (relay_order_cells_get_n_binds () - binds, >=, 11 * 20);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (relay_order_cells_get_n_pending () > 0 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (relay_order_cells_get_n_pending (), ==, 0);
  g_assert_true (row_filled (page, 150));
  check_rows (page);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (relay_orders_page_get_details (page))));

  /* A search that keeps fewer rows than GTK keeps: the rest go. */
  setups = relay_order_cells_get_n_setups ();
  binds = relay_order_cells_get_n_binds ();
  relay_orders_page_set_search (page, "post1");
  g_test_message ("search (synchronous): %u cells made, %u bound",
                  relay_order_cells_get_n_setups () - setups,
                  relay_order_cells_get_n_binds () - binds);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 111);
  wait_first_row (page);
  g_assert_cmpuint (relay_order_cells_get_n_setups () - setups, <=, 11);
  g_test_message ("search: %u cells made, %u bound", relay_order_cells_get_n_setups () - setups,
                  relay_order_cells_get_n_binds () - binds);
  check_rows (page);

  /* From 111 rows back to 600: the new list's last rows are read from its end. */
  relay_orders_page_set_search (page, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, N_BOOK);
  wait_first_row (page);
  check_rows (page);

  relay_orders_page_set_core (page, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_clear_object (&core);
  {
    g_autofree char *db = g_build_filename (dir, "orders.db", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

/* A hidden orders page does no row work: 300 orders recorded while another
 * page is shown make no cell and bind none, the model announces nothing
 * (GTK 4.8 rebuilt ~200 rows of the unmapped table for each ::orders-changed:
 * 100-700 ms stalls during a mass submit); shown again, the table has every
 * order, the newest first. */
static void
test_hidden_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("smm-relay-cells-XXXXXX", &error);
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RelayOrderItem) first = NULL;
  RelayOrderListModel *model;
  RelayOrdersPage *page;
  GtkWidget *window;
  guint setups;
  guint binds;

  g_assert_no_error (error);
  core = new_book (dir);
  page = g_object_new (RELAY_TYPE_ORDERS_PAGE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  relay_orders_page_set_core (page, core);
  gtk_window_present (GTK_WINDOW (window));
  wait_first_row (page);
  model = relay_orders_page_get_model (page);

  gtk_widget_set_visible (GTK_WIDGET (page), FALSE);
  spin (100);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  setups = relay_order_cells_get_n_setups ();
  binds = relay_order_cells_get_n_binds ();
  for (guint i = 0; i < 300; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
      char *link = g_strdup_printf ("https://www.instagram.com/p/later%u/", i);

      g_ptr_array_add (links, link);
      draft->service_id = 1;
      draft->client_id = 1;
      draft->link = link;
      draft->quantity = 1000;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (relay_core_get_store (core), drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 300);
  spin (200);
  g_assert_cmpuint (relay_order_cells_get_n_setups (), ==, setups);
  g_assert_cmpuint (relay_order_cells_get_n_binds (), ==, binds);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_BOOK);

  gtk_widget_set_visible (GTK_WIDGET (page), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_BOOK + 300);
  wait_first_row (page);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpint (relay_order_item_get_id (first), ==, g_array_index (ids, gint64, ids->len - 1));
  check_rows (page);

  relay_orders_page_set_core (page, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_clear_object (&core);
  {
    g_autofree char *db = g_build_filename (dir, "orders.db", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/order-cells/values", Fixture, NULL, fixture_set_up, test_values,
              fixture_tear_down);
  g_test_add ("/order-cells/tooltip-on-demand", Fixture, NULL, fixture_set_up,
              test_tooltip_on_demand, fixture_tear_down);
  g_test_add ("/order-cells/follows-item", Fixture, NULL, fixture_set_up, test_follows_item,
              fixture_tear_down);
  g_test_add_func ("/order-cells/query-change-rebinds", test_query_change_rebinds);
  g_test_add_func ("/order-cells/hidden-page", test_hidden_page);
  return g_test_run ();
}
