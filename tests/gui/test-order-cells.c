/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cells of the orders table (src/app/relay-order-cells.c), in the orders
 * page's own column view: what each shows, that they follow their item, and
 * that binding sets no tooltip (GTK 4.8 asks the X server where the pointer
 * is for each one): the tooltip is computed when asked. */
#include "config.h"

#include <sqlite3.h>

#include <gtk/gtk.h>
#include <adwaita.h>

#include "gui-test-util.h"
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

/* The first label or inscription of the table (@type) that shows @text. */
static GtkWidget *
find_text (Fixture    *fixture,
           GType       type,
           const char *text)
{
  g_autoptr(GPtrArray) widgets = find_all (fixture, type);

  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);
      const char *shown = GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget))
                                                : gtk_inscription_get_text (GTK_INSCRIPTION (widget));

      if (g_strcmp0 (shown, text) == 0)
        return widget;
    }
  return NULL;
}

/* The text cells are GtkInscriptions (see relay-order-cells.c). */
static GtkInscription *
find_label (Fixture    *fixture,
            const char *text)
{
  return (GtkInscription *) find_text (fixture, GTK_TYPE_INSCRIPTION, text);
}

static GtkLabel *
find_id_label (Fixture    *fixture,
               const char *text)
{
  return (GtkLabel *) find_text (fixture, GTK_TYPE_LABEL, text);
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
  gt_spin (200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->items);
  gt_spin (50);
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
  gt_spin (50);
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
  gt_spin (50);
  row.remains = 9;
  relay_order_item_update_from_row (first, &row);
  gt_spin (50);
  g_assert_null (find_label (fixture, "9"));
}

/* ---- the orders page on a book of its own ---- */

#define N_BOOK 600

/* Whether a label under @widget reads @text (and is mapped, when @shown). */
static gboolean
has_label (GtkWidget  *widget,
           const char *text,
           gboolean    shown)
{
  if (GTK_IS_LABEL (widget) && (!shown || gtk_widget_get_mapped (widget)) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text, shown))
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

  return has_label (GTK_WIDGET (relay_orders_page_get_column_view (page)), id, FALSE);
}

static gboolean
first_row_shown (gpointer page)
{
  g_autoptr(RelayOrderItem) first = g_list_model_get_item (G_LIST_MODEL (relay_orders_page_get_model (page)), 0);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, relay_order_item_get_id (first));

  return has_label (GTK_WIDGET (relay_orders_page_get_column_view (page)), id, TRUE);
}

static void
wait_first_row (RelayOrdersPage *page)
{
  gt_wait_until (first_row_shown, page, 10000);
  gt_spin (100);
  g_assert_true (first_row_shown (page));
}

/* Order @i for Alice (@data), each with a link of its own. */
static char *
fill_order (guint            i,
            RelayOrderDraft *draft,
            gpointer         data)
{
  draft->client_id = *(gint64 *) data;
  draft->quantity = 1000 + (i % 50) * 100;
  return g_strdup_printf ("https://www.instagram.com/p/post%u/", i);
}

/* The orders page in a window of its own, on a book of N_BOOK orders in a
 * private folder. */
typedef struct
{
  char            *dir;
  RelayCore       *core;
  RelayOrdersPage *page;
  GtkWidget       *window;
} BookFixture;

static void
book_set_up (BookFixture   *fixture,
             gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  gint64 client_id;

  fixture->dir = gt_make_dir ("smm-relay-cells-XXXXXX");
  path = gt_book_path (fixture->dir);
  fixture->core = relay_core_new (path, NULL, &error);
  g_assert_no_error (error);
  client_id = gt_book_add_catalog (relay_core_get_store (fixture->core));
  ids = gt_book_add_orders (relay_core_get_store (fixture->core), N_BOOK, fill_order, &client_id);

  fixture->page = g_object_new (RELAY_TYPE_ORDERS_PAGE, NULL);
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  relay_orders_page_set_core (fixture->page, fixture->core);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_first_row (fixture->page);
}

static void
book_tear_down (BookFixture   *fixture,
                gconstpointer  data)
{
  relay_orders_page_set_core (fixture->page, NULL);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  gt_spin (50);
  g_clear_object (&fixture->core);
  gt_clear_dir (&fixture->dir);
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
static gboolean
no_cell_pending (gpointer data)
{
  return relay_order_cells_get_n_pending () == 0;
}

static void
test_query_change_rebinds (BookFixture   *fixture,
                           gconstpointer  data)
{
  RelayOrdersPage *page = fixture->page;
  GtkColumnView *view;
  GtkAdjustment *vadjustment;
  GtkSingleSelection *selection;
  GtkColumnViewColumn *quantity = NULL;
  GListModel *columns;
  guint setups;
  guint binds;

  view = relay_orders_page_get_column_view (page);
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

  /* Down the list, one row selected. */
  relay_orders_page_select_position (page, 5);
  gtk_adjustment_set_value (vadjustment, 3000);
  gt_spin (300);
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
  gt_wait_until (no_cell_pending, NULL, 10000);
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
}

/* A hidden orders page does no row work: 300 orders recorded while another
 * page is shown make no cell and bind none, the model announces nothing
 * (GTK 4.8 rebuilt ~200 rows of the unmapped table for each ::orders-changed:
 * 100-700 ms stalls during a mass submit); shown again, the table has every
 * order, the newest first. */
static char *
fill_later_order (guint            i,
                  RelayOrderDraft *draft,
                  gpointer         data)
{
  draft->client_id = 1;
  draft->quantity = 1000;
  return g_strdup_printf ("https://www.instagram.com/p/later%u/", i);
}

static void
test_hidden_page (BookFixture   *fixture,
                  gconstpointer  data)
{
  RelayOrdersPage *page = fixture->page;
  RelayOrderListModel *model = relay_orders_page_get_model (page);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RelayOrderItem) first = NULL;
  guint setups;
  guint binds;

  gtk_widget_set_visible (GTK_WIDGET (page), FALSE);
  gt_spin (100);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  setups = relay_order_cells_get_n_setups ();
  binds = relay_order_cells_get_n_binds ();
  ids = gt_book_add_orders (relay_core_get_store (fixture->core), 300, fill_later_order, NULL);
  g_assert_cmpuint (ids->len, ==, 300);
  gt_spin (200);
  g_assert_cmpuint (relay_order_cells_get_n_setups (), ==, setups);
  g_assert_cmpuint (relay_order_cells_get_n_binds (), ==, binds);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_BOOK);

  gtk_widget_set_visible (GTK_WIDGET (page), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_BOOK + 300);
  wait_first_row (page);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpint (relay_order_item_get_id (first), ==, g_array_index (ids, gint64, ids->len - 1));
  check_rows (page);
}

static GtkColumnView *
find_column_view (GtkWidget *widget)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    return GTK_COLUMN_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkColumnView *found = find_column_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The id column widens for a book whose ids have 7 digits (it was 56 px:
 * "100…" for every id of a 1,000,000-order book). */
static void
test_id_column_fits (BookFixture   *fixture,
                     gconstpointer  data)
{
  GtkColumnView *view = find_column_view (GTK_WIDGET (fixture->page));
  g_autoptr(GtkColumnViewColumn) id_column = NULL;
  g_autofree char *path = gt_book_path (fixture->dir);
  g_autoptr(GArray) ids = NULL;
  sqlite3 *db = NULL;
  int narrow_width, wide_width;

  g_assert_nonnull (view);
  id_column = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
  narrow_width = gtk_column_view_column_get_fixed_width (id_column);
  g_assert_cmpint (narrow_width, ==, 56);

  /* An order numbered 1,234,567 (copied from order 1 by another connection). */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TEMP TABLE copy AS SELECT * FROM orders WHERE id = 1;"
                                 "UPDATE copy SET id = 1234567, link = 'https://www.instagram.com/p/big/';"
                                 "INSERT INTO orders SELECT * FROM copy;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  ids = gt_book_add_orders (relay_core_get_store (fixture->core), 1, fill_later_order, NULL);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1234568);
  gt_spin (100);
  wide_width = gtk_column_view_column_get_fixed_width (id_column);
  g_test_message ("id column %d px, then %d px", narrow_width, wide_width);
  g_assert_cmpint (wide_width, >, narrow_width);
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
  g_test_add ("/order-cells/query-change-rebinds", BookFixture, NULL, book_set_up,
              test_query_change_rebinds, book_tear_down);
  g_test_add ("/order-cells/hidden-page", BookFixture, NULL, book_set_up, test_hidden_page,
              book_tear_down);
  g_test_add ("/order-cells/id-column-fits", BookFixture, NULL, book_set_up, test_id_column_fits,
              book_tear_down);
  return g_test_run ();
}
