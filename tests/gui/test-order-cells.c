/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of the orders table (src/app/relay-orders-row.c, made and bound
 * by relay-order-cells.c) in the orders page's own list view: what each
 * column shows, that a row follows its item, that binding sets no tooltip
 * (the tooltip is computed when asked, for the column under the pointer),
 * that a row is a handful of widgets, that it draws its columns where the
 * header puts them, and in the dark style's colours. */
#include "config.h"

#include <sqlite3.h>

#include <gtk/gtk.h>
#include <adwaita.h>

#include "gui-test-util.h"
#include "relay-core.h"
#include "relay-order-cells.h"
#include "relay-order-columns.h"
#include "relay-order-list-model.h"
#include "relay-provider-types.h"
#include "relay-order-item.h"
#include "relay-orders-page.h"
#include "relay-orders-row.h"
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

/* The widgets of @type under the table's rows. */
static GPtrArray *
find_all_in (RelayOrdersPage *page,
             GType            type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (GTK_WIDGET (relay_orders_page_get_list_view (page)), type, found);
  return found;
}

static GPtrArray *
find_all (Fixture *fixture,
          GType    type)
{
  return find_all_in (fixture->page, type);
}

/* The first row whose column @kind reads @text. */
static RelayOrdersRow *
find_row (Fixture            *fixture,
          RelayOrderCellKind  kind,
          const char         *text)
{
  g_autoptr(GPtrArray) rows = find_all (fixture, RELAY_TYPE_ORDERS_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (relay_orders_row_get_text (g_ptr_array_index (rows, i), kind), text) == 0)
      return g_ptr_array_index (rows, i);
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
  gtk_list_view_set_model (relay_orders_page_get_list_view (fixture->page),
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

/* Each column shows its item's value; the row is one widget and its status
 * pill (the old cells: a GtkLabel or GtkInscription each, a box and a
 * GtkProgressBar for the progress, 11 GtkColumnViewCells a row). */
static void
test_values (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = find_all (fixture, RELAY_TYPE_ORDERS_ROW);
  g_autoptr(GPtrArray) pills = find_all (fixture, RELAY_TYPE_STATUS_PILL);
  g_autoptr(RelayOrderItem) first = g_list_model_get_item (G_LIST_MODEL (fixture->items), 0);
  RelayOrdersRow *row = find_row (fixture, RELAY_ORDER_CELL_ID, "1000");
  g_autofree char *progress_text = NULL;
  g_autofree char *charge_text = NULL;

  g_assert_nonnull (row);
  g_assert_true (relay_orders_row_get_item (row) == first);
  /* The link without its scheme and "www.", from escaped markup (no "&"
   * taken for an entity). */
  g_assert_cmpstr (relay_orders_row_get_text (row, RELAY_ORDER_CELL_LINK), ==,
                   "example.com/p/1000?a=1&b=2");
  g_assert_cmpstr (relay_orders_row_get_text (row, RELAY_ORDER_CELL_CLIENT), ==, "Acme Coffee");
  g_assert_cmpstr (relay_orders_row_get_text (row, RELAY_ORDER_CELL_SERVICE), ==,
                   "Instagram Likes [Real, 30 days refill]");
  g_assert_cmpstr (relay_orders_row_get_text (row, RELAY_ORDER_CELL_REMAINS), ==, "1,500");
  g_object_get (first, "progress-text", &progress_text, "charge-text", &charge_text, NULL);
  g_assert_cmpstr (relay_orders_row_get_text (row, RELAY_ORDER_CELL_PROGRESS), ==, progress_text);
  g_assert_cmpstr (relay_orders_row_get_text (row, RELAY_ORDER_CELL_CHARGE), ==, charge_text);
  g_assert_cmpstr (relay_orders_row_get_text (row, RELAY_ORDER_CELL_STATUS), ==,
                   relay_order_status_get_label (RELAY_ORDER_IN_PROGRESS));

  g_assert_cmpuint (rows->len, ==, N_ITEMS);
  /* No cell widgets: a pill a row, nothing else of ours. */
  {
    g_autoptr(GPtrArray) labels = find_all (fixture, GTK_TYPE_LABEL);
    g_autoptr(GPtrArray) texts = find_all (fixture, GTK_TYPE_INSCRIPTION);
    g_autoptr(GPtrArray) bars = find_all (fixture, GTK_TYPE_PROGRESS_BAR);

    /* The pill draws its own text. */
    g_assert_cmpuint (texts->len, ==, 0);
    g_assert_cmpuint (bars->len, ==, 0);
    g_assert_cmpuint (labels->len, ==, 0);
  }
  /* A new status repaints the pill, never resizes it (and so its row, the
   * table, the window): every status is as wide and as high; nor restyles
   * it: its CSS classes stay as they are. */
  {
    GtkWidget *pill = g_ptr_array_index (pills, 0);
    g_auto(GStrv) classes0 = gtk_widget_get_css_classes (pill);
    int width0 = -1, height0 = -1;

    for (RelayOrderStatus status = 0; status < RELAY_ORDER_N_STATUSES; status++)
      {
        int width, height;

        relay_status_pill_set_status (RELAY_STATUS_PILL (pill), status);
        gtk_widget_measure (pill, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
        gtk_widget_measure (pill, GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
        if (width0 < 0)
          width0 = width, height0 = height;
        g_assert_cmpint (width, ==, width0);
        g_assert_cmpint (height, ==, height0);
        /* Wide enough for the words of every status, "Needs review" too,
         * with the pill's padding (10 px a side). */
        {
          PangoLayout *layout = gtk_widget_create_pango_layout (pill, relay_order_status_get_label (status));
          int text_width;

          pango_layout_get_pixel_size (layout, &text_width, NULL);
          g_test_message ("%s: %d px of text in a pill of %d", relay_order_status_get_label (status),
                          text_width, width);
          g_assert_cmpint (text_width + 20, <=, width);
          g_object_unref (layout);
        }
        {
          g_auto(GStrv) classes = gtk_widget_get_css_classes (pill);

          g_assert_true (g_strv_equal ((const char * const *) classes,
                                       (const char * const *) classes0));
        }
      }
    relay_status_pill_set_status (RELAY_STATUS_PILL (pill), RELAY_ORDER_IN_PROGRESS);
    /* The status column fits the widest pill with the cell's padding and
     * border (13 px): "Needs review" was cut short in 110 px. */
    {
      GListModel *columns = gtk_column_view_get_columns (relay_orders_page_get_column_view (fixture->page));
      int status_width = 0;

      for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

          if (g_strcmp0 (gtk_column_view_column_get_title (column), "Status") == 0)
            status_width = gtk_column_view_column_get_fixed_width (column);
        }
      g_test_message ("status column %d px, pill %d px", status_width, width0);
      g_assert_cmpint (status_width, >=, width0 + 13);
    }
  }
  g_assert_cmpuint (pills->len, ==, N_ITEMS);
  for (guint i = 0; i < pills->len; i++)
    g_assert_cmpuint (relay_status_pill_get_status (g_ptr_array_index (pills, i)), ==,
                      RELAY_ORDER_IN_PROGRESS);
}

/* A row on its own, its columns placed as a header of 11 columns of 100 px
 * would (the link and service at 300 and 200). */
static RelayOrdersRow *
new_lone_row (RelayOrderColumns *columns,
              RelayOrderItem    *item)
{
  RelayOrderColumnPlace places[RELAY_ORDER_N_CELLS];
  GtkWidget *row;

  for (guint i = 0; i < RELAY_ORDER_N_CELLS; i++)
    places[i] = (RelayOrderColumnPlace) { TRUE, (int) i * 100, 100 };
  relay_order_columns_set (columns, places, RELAY_ORDER_N_CELLS * 100);
  row = g_object_ref_sink (relay_orders_row_new (columns));
  relay_orders_row_set_item (RELAY_ORDERS_ROW (row), item);
  return RELAY_ORDERS_ROW (row);
}

/* Binding sets no tooltip text: the row answers ::query-tooltip with the
 * whole link or service, for the column under the pointer, and with
 * nothing elsewhere.  (The builder factories bound tooltip-text, one X
 * round trip per cell.) */
static void
test_tooltip_on_demand (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = find_all (fixture, RELAY_TYPE_ORDERS_ROW);
  g_autoptr(RelayOrderColumns) columns = relay_order_columns_new ();
  g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->items), 0);
  g_autoptr(RelayOrdersRow) row = new_lone_row (columns, item);
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_assert_cmpuint (rows->len, ==, N_ITEMS);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (rows, i);

      g_assert_null (gtk_widget_get_tooltip_text (widget));
      g_assert_null (gtk_widget_get_tooltip_markup (widget));
      g_assert_true (gtk_widget_get_has_tooltip (widget));
    }

  g_assert_cmpint (relay_order_columns_kind_at (columns, 350), ==, RELAY_ORDER_CELL_LINK);
  g_signal_emit_by_name (row, "query-tooltip", 350, 10, FALSE, tooltip, &shown);
  g_assert_true (shown);
  shown = FALSE;
  g_signal_emit_by_name (row, "query-tooltip", 250, 10, FALSE, tooltip, &shown);
  g_assert_true (shown);
  shown = TRUE;
  g_signal_emit_by_name (row, "query-tooltip", 50, 10, FALSE, tooltip, &shown);
  g_assert_false (shown);
  relay_orders_row_set_item (row, NULL);
  g_signal_emit_by_name (row, "query-tooltip", 350, 10, FALSE, tooltip, &shown);
  g_assert_false (shown);
}

/* What a screen reader reads for a row: its cells. */
static void
test_accessible_label (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RelayOrderColumns) columns = relay_order_columns_new ();
  g_autoptr(RelayOrderItem) item = new_item (4242, RELAY_ORDER_PARTIAL, 17);
  g_autoptr(RelayOrdersRow) row = new_lone_row (columns, item);
  g_autofree char *label = NULL;

  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  /* Not this: the value it has instead. */
  label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "-");
  g_assert_nonnull (label);
  g_test_message ("%s", label);
  g_assert_true (g_str_has_prefix (label, "Order 4242, Acme Coffee, Instagram Likes"));
  g_assert_nonnull (strstr (label, "https://www.example.com/p/4242?a=1&b=2"));
  g_assert_nonnull (strstr (label, "remains 17"));
  g_assert_nonnull (strstr (label, relay_order_status_get_label (RELAY_ORDER_PARTIAL)));
}

/* A row follows its item: a status sync that changes the remains and the
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

  g_assert_null (find_row (fixture, RELAY_ORDER_CELL_REMAINS, "7"));
  relay_order_item_update_from_row (first, &row);
  gt_spin (50);
  g_assert_nonnull (find_row (fixture, RELAY_ORDER_CELL_REMAINS, "7"));
  g_assert_nonnull (find_row (fixture, RELAY_ORDER_CELL_STATUS,
                              relay_order_status_get_label (RELAY_ORDER_PARTIAL)));
  pills = find_all (fixture, RELAY_TYPE_STATUS_PILL);
  for (guint i = 0; i < pills->len; i++)
    if (relay_status_pill_get_status (g_ptr_array_index (pills, i)) == RELAY_ORDER_PARTIAL)
      n_partial++;
  g_assert_cmpuint (n_partial, ==, 1);
  g_assert_cmpuint (relay_order_cells_get_n_binds (), ==, binds);

  /* An item no longer bound is no longer followed. */
  g_list_store_remove (fixture->items, 0);
  gt_spin (50);
  row.remains = 9;
  relay_order_item_update_from_row (first, &row);
  gt_spin (50);
  g_assert_null (find_row (fixture, RELAY_ORDER_CELL_REMAINS, "9"));
}

/* ---- the orders page on a book of its own ---- */

#define N_BOOK 600

/* Whether a row under @widget reads the id @text (and is mapped and has a
 * height, when @shown). */
static gboolean
has_label (GtkWidget  *widget,
           const char *text,
           gboolean    shown)
{
  if (RELAY_IS_ORDERS_ROW (widget) &&
      (!shown || (gtk_widget_get_mapped (widget) && gtk_widget_get_height (widget) > 0)) &&
      g_strcmp0 (relay_orders_row_get_text (RELAY_ORDERS_ROW (widget), RELAY_ORDER_CELL_ID), text) == 0)
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

  return has_label (GTK_WIDGET (relay_orders_page_get_list_view (page)), id, FALSE);
}

static gboolean
first_row_shown (gpointer page)
{
  g_autoptr(RelayOrderItem) first = g_list_model_get_item (G_LIST_MODEL (relay_orders_page_get_model (page)), 0);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, relay_order_item_get_id (first));

  return has_label (GTK_WIDGET (relay_orders_page_get_list_view (page)), id, TRUE);
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
 * table shows the new first rows at the top with the rows it has (a rebind
 * each), makes none, and no row stays selected.  (The model used to drop
 * every row before the new ones came, and GTK made ~200 rows again.) */
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
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (relay_orders_page_get_list_view (page)));
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (relay_orders_page_get_list_view (page)));

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
  g_test_message ("sort (synchronous): %u rows made, %u bound, %u to fill after the frame",
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
  g_test_message ("sort: %u rows made, %u bound", relay_order_cells_get_n_setups () - setups,
                  relay_order_cells_get_n_binds () - binds);
  g_assert_cmpuint (relay_order_cells_get_n_setups () - setups, <=, 1);
  g_assert_cmpuint (relay_order_cells_get_n_binds () - binds, >=, 20);
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
  g_test_message ("search (synchronous): %u rows made, %u bound",
                  relay_order_cells_get_n_setups () - setups,
                  relay_order_cells_get_n_binds () - binds);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 111);
  wait_first_row (page);
  g_assert_cmpuint (relay_order_cells_get_n_setups () - setups, <=, 1);
  g_test_message ("search: %u rows made, %u bound", relay_order_cells_get_n_setups () - setups,
                  relay_order_cells_get_n_binds () - binds);
  check_rows (page);

  /* From 111 rows back to 600: the new list's last rows are read from its end. */
  relay_orders_page_set_search (page, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, N_BOOK);
  wait_first_row (page);
  check_rows (page);
}

/* A hidden orders page does no row work: 300 orders recorded while another
 * page is shown make no row and bind none, the model announces nothing
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


/* Every widget under the rows' list view (GTK's row, ours and the pill's). */
static guint
count_widgets (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += 1 + count_widgets (child);
  return n;
}

/* A row is GTK's list item widget, a RelayOrdersRow and its status pill
 * (with its label): 4 widgets.  A GtkColumnView row was ~25 (a list item
 * widget, 11 cell widgets, our 11+ children, the progress's box, text, bar
 * and its gizmos), ~5,000 for the ~200 rows GTK 4.8 keeps: dropping them
 * was most of a 2-hit search, styling them most of a style change. */
static void
test_widgets_per_row (BookFixture   *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = find_all_in (fixture->page, RELAY_TYPE_ORDERS_ROW);
  guint n_widgets = count_widgets (GTK_WIDGET (relay_orders_page_get_list_view (fixture->page)));

  g_test_message ("%u rows, %u widgets under the list view", rows->len, n_widgets);
  g_assert_cmpuint (rows->len, >=, 100);
  g_assert_cmpuint (n_widgets, <=, 4 * rows->len + 2);
}

/* A search with one hit after ~200 rows were shown: GTK 4.8 drops the
 * other rows; what is left is one row's few widgets. */
static void
test_search_drops_rows (BookFixture   *fixture,
                        gconstpointer  data)
{
  RelayOrdersPage *page = fixture->page;
  GtkWidget *list = GTK_WIDGET (relay_orders_page_get_list_view (page));
  g_autoptr(GPtrArray) before = find_all_in (page, RELAY_TYPE_ORDERS_ROW);
  g_autoptr(GPtrArray) after = NULL;
  gint64 t0;

  g_assert_cmpuint (before->len, >=, 100);
  t0 = g_get_monotonic_time ();
  relay_orders_page_set_search (page, "post123/");
  g_test_message ("search: %.1f ms to drop %u rows", (g_get_monotonic_time () - t0) / 1000.0,
                  before->len);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (relay_orders_page_get_model (page))), ==, 1);
  wait_first_row (page);
  after = find_all_in (page, RELAY_TYPE_ORDERS_ROW);
  g_test_message ("%u rows, %u widgets under the list view", after->len, count_widgets (list));
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpuint (count_widgets (list), <=, 10);
  g_assert_cmpstr (relay_orders_row_get_text (g_ptr_array_index (after, 0), RELAY_ORDER_CELL_LINK),
                   ==, "instagram.com/p/post123/");
}

/* The first mapped row of the table. */
static RelayOrdersRow *
first_mapped_row (RelayOrdersPage *page)
{
  g_autoptr(GPtrArray) rows = find_all_in (page, RELAY_TYPE_ORDERS_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (rows, i)))
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* Each shown column is drawn in a row where its title is in the header (x
 * and width, in the window), and a hidden one not at all.  Returns the
 * number of columns shown. */
static guint
check_columns_match (BookFixture *fixture,
                     const char  *when)
{
  GtkColumnView *view = relay_orders_page_get_column_view (fixture->page);
  GListModel *columns = gtk_column_view_get_columns (view);
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (view));
  RelayOrdersRow *row = first_mapped_row (fixture->page);
  GtkWidget *title;
  guint i = 0;
  guint n_shown = 0;

  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_widget_get_css_name (header), ==, "header");
  for (title = gtk_widget_get_first_child (header); title != NULL;
       title = gtk_widget_get_next_sibling (title), i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      graphene_rect_t title_bounds;
      graphene_rect_t rect;
      graphene_point_t origin;
      gboolean shown = gtk_column_view_column_get_visible (column);

      /* The page's columns are in the order of RelayOrderCellKind. */
      g_assert_cmpint (relay_orders_row_get_column_rect (row, (RelayOrderCellKind) i, &rect), ==, shown);
      if (!shown)
        continue;
      n_shown++;
      g_assert_true (gtk_widget_compute_bounds (title, fixture->window, &title_bounds));
      g_assert_true (gtk_widget_compute_point (GTK_WIDGET (row), fixture->window,
                                               &rect.origin, &origin));
      g_test_message ("%s: %s at %.0f (%.0f px), drawn at %.0f (%.0f px)", when,
                      gtk_column_view_column_get_title (column), title_bounds.origin.x,
                      title_bounds.size.width, origin.x, rect.size.width);
      g_assert_cmpfloat_with_epsilon (origin.x, title_bounds.origin.x, 0.5);
      g_assert_cmpfloat_with_epsilon (rect.size.width, title_bounds.size.width, 0.5);
    }
  g_assert_cmpuint (i, ==, RELAY_ORDER_N_CELLS);
  return n_shown;
}

static void
set_window_width (BookFixture *fixture,
                  int          width)
{
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 800);
  gt_spin (400);
}

static void
test_header_matches_rows (BookFixture   *fixture,
                          gconstpointer  data)
{
  GtkColumnView *view = relay_orders_page_get_column_view (fixture->page);
  g_autoptr(GtkColumnViewColumn) link = g_list_model_get_item (gtk_column_view_get_columns (view),
                                                               RELAY_ORDER_CELL_LINK);
  GtkAdjustment *hadjustment =
    gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (relay_orders_page_get_list_view (fixture->page)));
  g_autoptr(GPtrArray) rows = NULL;
  int height = 0;

  /* The header has no rows of its own. */
  g_assert_null (gtk_column_view_get_model (view));
  g_assert_cmpuint (check_columns_match (fixture, "wide"), ==, RELAY_ORDER_N_CELLS);

  /* A column made wider (as a drag of its edge does): the rows follow. */
  gtk_column_view_column_set_fixed_width (link, 320);
  gt_spin (200);
  check_columns_match (fixture, "link widened");

  /* A window narrower than the table: header and rows scroll sideways
   * together (one adjustment). */
  set_window_width (fixture, 900);
  g_assert_true (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (view)) == hadjustment);
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), >, gtk_adjustment_get_page_size (hadjustment));
  gtk_adjustment_set_value (hadjustment, 120);
  gt_spin (200);
  check_columns_match (fixture, "scrolled");

  /* Narrow: the key columns only. */
  set_window_width (fixture, 600);
  g_assert_true (relay_orders_page_get_narrow (fixture->page));
  g_assert_cmpuint (check_columns_match (fixture, "narrow"), ==, 4);

  /* Every row as high as the others (no row jumps). */
  set_window_width (fixture, 1280);
  rows = find_all_in (fixture->page, RELAY_TYPE_ORDERS_ROW);
  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (rows, i)))
      {
        if (height == 0)
          height = gtk_widget_get_height (g_ptr_array_index (rows, i));
        g_assert_cmpint (gtk_widget_get_height (g_ptr_array_index (rows, i)), ==, height);
      }
  g_test_message ("rows %d px high", height);
  g_assert_cmpint (height, >, 0);
}

/* ---- colours ---- */

typedef struct
{
  guint8 r, g, b, a;   /* premultiplied */
} Pixel;

/* @row drawn alone (no background: GTK's row draws that). */
static guint8 *
render_row (GtkWidget *row,
            int       *width,
            int       *height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint8 *data;

  *width = gtk_widget_get_width (row);
  *height = gtk_widget_get_height (row);
  g_assert_cmpint (*width, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (row)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  data = g_malloc (*width * *height * 4);
  gdk_texture_download (texture, data, *width * 4);
  return data;
}

static Pixel
pixel_at (const guint8 *data,
          int           width,
          int           x,
          int           y)
{
  const guint8 *p = data + (y * width + x) * 4;

  /* CAIRO_FORMAT_ARGB32 on a little-endian machine: B, G, R, A. */
  return (Pixel) { p[2], p[1], p[0], p[3] };
}

typedef struct
{
  Pixel text;      /* the most opaque pixel of the ID column */
  Pixel trough;    /* the bar's end, past the progress */
  Pixel bar;       /* the bar's start */
} RowColours;

static RowColours
row_colours (GtkWidget *row)
{
  RowColours colours = { { 0 } };
  graphene_rect_t id_rect, progress_rect;
  int width, height, bar_y = -1;
  g_autofree guint8 *data = render_row (row, &width, &height);
  int x0, x1;

  g_assert_true (relay_orders_row_get_column_rect (RELAY_ORDERS_ROW (row), RELAY_ORDER_CELL_ID, &id_rect));
  g_assert_true (relay_orders_row_get_column_rect (RELAY_ORDERS_ROW (row), RELAY_ORDER_CELL_PROGRESS,
                                                   &progress_rect));
  for (int y = 0; y < height; y++)
    for (int x = id_rect.origin.x; x < id_rect.origin.x + id_rect.size.width; x++)
      if (pixel_at (data, width, x, y).a > colours.text.a)
        colours.text = pixel_at (data, width, x, y);
  /* The bar is the lowest thing drawn in the progress column. */
  x0 = progress_rect.origin.x + 1 + 6;
  x1 = progress_rect.origin.x + progress_rect.size.width - 6 - 1;
  for (int y = 0; y < height; y++)
    if (pixel_at (data, width, (x0 + x1) / 2, y).a > 0)
      bar_y = y;
  g_assert_cmpint (bar_y, >, 0);
  colours.bar = pixel_at (data, width, x0 + 4, bar_y - 1);
  colours.trough = pixel_at (data, width, x1 - 4, bar_y - 1);
  g_test_message ("text %u,%u,%u,%u bar %u,%u,%u,%u trough %u,%u,%u,%u",
                  colours.text.r, colours.text.g, colours.text.b, colours.text.a,
                  colours.bar.r, colours.bar.g, colours.bar.b, colours.bar.a,
                  colours.trough.r, colours.trough.g, colours.trough.b, colours.trough.a);
  return colours;
}

/* A row draws with the style's colours: dark text and trough in the light
 * style, light ones in the dark style, the accent for the progress in both. */
static void
test_style_colours (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(RelayOrderColumns) columns = relay_order_columns_new ();
  g_autoptr(RelayOrderItem) item = new_item (1234567, RELAY_ORDER_IN_PROGRESS, 1500);
  g_autoptr(RelayOrdersRow) row = new_lone_row (columns, item);
  GtkWidget *window = gtk_window_new ();
  RowColours light, dark;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (row));
  gtk_window_present (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gt_spin (300);
  light = row_colours (GTK_WIDGET (row));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gt_spin (300);
  dark = row_colours (GTK_WIDGET (row));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
  gt_spin (50);

  /* Text: dark on light, light on dark (premultiplied: compare to alpha). */
  g_assert_cmpuint (light.text.a, >, 128);
  g_assert_cmpuint (dark.text.a, >, 128);
  g_assert_cmpuint (light.text.r, <, light.text.a / 2);
  g_assert_cmpuint (dark.text.r, >, dark.text.a / 2);
  /* The trough: a faint tint of the text colour. */
  g_assert_cmpuint (light.trough.a, >, 0);
  g_assert_cmpuint (light.trough.a, <, 100);
  g_assert_cmpuint (dark.trough.a, >, 0);
  g_assert_cmpuint (dark.trough.r, >, light.trough.r);
  /* The progress: the accent, blue in both. */
  g_assert_cmpuint (light.bar.b, >, light.bar.r + 60);
  g_assert_cmpuint (dark.bar.b, >, dark.bar.r + 60);
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
  /* The test accessibility backend (the suite runs with none), to read a
   * row's accessible label. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The application's style sheet (AdwApplication loads it in the app):
   * the table's rows have no padding there, as the column view's had. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/smmrelay/SmmRelay/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/order-cells/values", Fixture, NULL, fixture_set_up, test_values,
              fixture_tear_down);
  g_test_add ("/order-cells/tooltip-on-demand", Fixture, NULL, fixture_set_up,
              test_tooltip_on_demand, fixture_tear_down);
  g_test_add ("/order-cells/accessible-label", Fixture, NULL, fixture_set_up,
              test_accessible_label, fixture_tear_down);
  g_test_add ("/order-cells/follows-item", Fixture, NULL, fixture_set_up, test_follows_item,
              fixture_tear_down);
  g_test_add ("/order-cells/query-change-rebinds", BookFixture, NULL, book_set_up,
              test_query_change_rebinds, book_tear_down);
  g_test_add ("/order-cells/hidden-page", BookFixture, NULL, book_set_up, test_hidden_page,
              book_tear_down);
  g_test_add ("/order-cells/id-column-fits", BookFixture, NULL, book_set_up, test_id_column_fits,
              book_tear_down);
  g_test_add ("/order-cells/widgets-per-row", BookFixture, NULL, book_set_up,
              test_widgets_per_row, book_tear_down);
  g_test_add ("/order-cells/search-drops-rows", BookFixture, NULL, book_set_up,
              test_search_drops_rows, book_tear_down);
  g_test_add ("/order-cells/header-matches-rows", BookFixture, NULL, book_set_up,
              test_header_matches_rows, book_tear_down);
  g_test_add_func ("/order-cells/style-colours", test_style_colours);
  return g_test_run ();
}
