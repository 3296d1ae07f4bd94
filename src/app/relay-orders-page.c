/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrdersPage: the orders table, its toolbar, footer and details pane. */
#include "config.h"

#include "relay-orders-page.h"
#include "relay-format.h"
#include "relay-order-cells.h"
#include "relay-order-columns.h"
#include "relay-status-pill.h"
#include "relay-toast.h"

#include <inttypes.h>
#include <glib/gi18n.h>

/* Seconds between two refreshes of the "updated N min ago" cells. */
#define TIMES_REFRESH_INTERVAL 10
#define UPDATED_FOOTER_DELAY_MS 20
/* Below this width the table keeps its key columns (ID, service, progress,
 * status): a phone, a tiled half screen, a folded window. */
#define NARROW_WIDTH 700
/* No row of the table is lower: a row holds the progress (a 9pt caption
 * over a 4 px bar, 2 px apart: 20 px at 96 dpi) and 2 × 8 px of padding,
 * and a 1 px line (relay-orders-row.c). */
#define MIN_ROW_HEIGHT 32

/* The filters' button shows the choice ellipsized, so that the toolbar (and
 * the window) can be narrow; the popup still shows whole names. */
static const char dropdown_factory_ui[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  "<interface><template class=\"GtkListItem\"><property name=\"child\">"
  "<object class=\"GtkLabel\"><property name=\"xalign\">0</property>"
  "<property name=\"ellipsize\">end</property>"
  "<property name=\"width-chars\">4</property>"
  "<binding name=\"label\"><lookup name=\"string\" type=\"GtkStringObject\">"
  "<lookup name=\"item\">GtkListItem</lookup></lookup></binding>"
  "</object></property></template></interface>";

/* The popup's rows: whole names, never ellipsized, so the list is as wide as
 * its longest choice ("Needs attention"), not cut to the button's width. */
static const char dropdown_list_factory_ui[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  "<interface><template class=\"GtkListItem\"><property name=\"child\">"
  "<object class=\"GtkLabel\"><property name=\"xalign\">0</property>"
  "<binding name=\"label\"><lookup name=\"string\" type=\"GtkStringObject\">"
  "<lookup name=\"item\">GtkListItem</lookup></lookup></binding>"
  "</object></property></template></interface>";

typedef struct
{
  RelayOrdersPage *page;
  RelayOrderSort   sort;
} SortProbe;

struct _RelayOrdersPage
{
  GtkWidget            parent_instance;

  RelayCore           *core;
  gulong               orders_changed_id;
  gulong               catalog_changed_id;
  gulong               clients_changed_id;
  RelayOrderListModel *model;
  GtkSingleSelection  *selection;
  GSettings           *settings;
  GArray              *client_ids;      /* gint64 per client dropdown row; 0 = all */
  GArray              *provider_ids;    /* gint64 per provider dropdown row; 0 = all */
  char                *updated_text;
  guint                updated_id;       /* the footer and the times follow it a frame later */
  gint64               times_refreshed_at;
  gboolean             updating_dropdowns;
  gboolean             probing;
  gboolean             probe_hit;
  guint                back_to_top_id;   /* idle that scrolls to the newest orders */
  gboolean             narrow;
  guint                narrow_id;        /* idle that applies a new width's layout */
  RelayOrderSort       probe_sort;

  GtkStack            *state_stack;
  GtkDropDown         *status_dropdown;
  GtkDropDown         *client_dropdown;
  GtkDropDown         *provider_dropdown;
  GtkSearchEntry      *search_entry;
  GtkGrid             *toolbar;
  GtkPaned            *paned;
  GtkBox              *table_box;
  GtkScrolledWindow   *header_window;
  GtkColumnView       *column_view;     /* the table's header only: it has no rows */
  GtkScrolledWindow   *scrolled_window;
  GtkListView         *list_view;       /* the rows */
  RelayOrderColumns   *columns;         /* where the header puts each column */
  AdwStatusPage       *no_match_page;
  AdwStatusPage       *no_orders_page;
  RelayOrderDetails   *details;
  GtkLabel            *footer_label;
  GtkColumnViewColumn *id_column;
  guint                id_digits;       /* the id column fits ids of this many digits */
  GtkColumnViewColumn *client_column;
  GtkColumnViewColumn *service_column;
  GtkColumnViewColumn *link_column;
  GtkColumnViewColumn *quantity_column;
  GtkColumnViewColumn *progress_column;
  GtkColumnViewColumn *start_count_column;
  GtkColumnViewColumn *remains_column;
  GtkColumnViewColumn *charge_column;
  GtkColumnViewColumn *status_column;
  GtkColumnViewColumn *updated_column;
};

G_DEFINE_FINAL_TYPE (RelayOrdersPage, relay_orders_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CORE,
  PROP_UPDATED_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static RelayStore *
get_store (RelayOrdersPage *self)
{
  return self->core != NULL ? relay_core_get_store (self->core) : NULL;
}

/* ---- the footer and the state ---- */

/* An empty table says why: nothing matches the filters (with a way to clear
 * them), or there is nothing yet (with the way to place an order). */
static void
update_empty_pages (RelayOrdersPage *self,
                    guint            n_items)
{
  const RelayOrderQuery *query = relay_order_list_model_get_query (self->model);
  gboolean filtered = query->filter != RELAY_ORDER_FILTER_ALL || query->client_id != 0 ||
                      query->provider_id != 0 || query->search != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->no_match_page), n_items == 0 && filtered);
  gtk_widget_set_visible (GTK_WIDGET (self->no_orders_page), n_items == 0 && !filtered);
}

static void
update_footer (RelayOrdersPage *self)
{
  RelayOrderQuery active = { .filter = RELAY_ORDER_FILTER_ACTIVE };
  g_autofree char *shown = NULL;
  g_autofree char *n_active = NULL;
  g_autofree char *text = NULL;
  guint n_items;

  if (self->model == NULL)
    {
      gtk_label_set_label (self->footer_label, "");
      return;
    }
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  shown = relay_format_count (n_items);
  n_active = relay_format_count (MAX (relay_store_count_orders (get_store (self), &active, NULL), 0));
  if (!relay_order_list_model_get_counted (self->model))
    /* Translators: the footer of the orders table while the orders a search
     * finds are counted (its first rows are shown), "Counting… · 18 active · updated 12 s ago" */
    text = g_strdup_printf (_("Counting… · %s active · %s"), n_active,
                            self->updated_text ? self->updated_text : "");
  else
    /* Translators: the footer of the orders table, "1,204 shown · 18 active · updated 12 s ago" */
    text = g_strdup_printf (_("%s shown · %s active · %s"), shown, n_active,
                            self->updated_text ? self->updated_text : "");
  gtk_label_set_label (self->footer_label, text);
  update_empty_pages (self, n_items);
}

static void
update_state (RelayOrdersPage *self)
{
  RelayOrderQuery all = { 0 };
  g_autoptr(GPtrArray) providers = NULL;
  gboolean empty = TRUE;

  if (self->core != NULL)
    {
      providers = relay_store_list_providers (get_store (self), NULL);
      empty = (providers == NULL || providers->len == 0) &&
              relay_store_count_orders (get_store (self), &all, NULL) == 0;
    }
  gtk_stack_set_visible_child_name (self->state_stack, empty ? "empty" : "orders");
}

/* ---- the query ---- */

static gint64
id_at (GArray *ids,
       guint   position)
{
  if (ids == NULL || position >= ids->len)
    return 0;
  return g_array_index (ids, gint64, position);
}

static void
apply_query (RelayOrdersPage *self)
{
  const RelayOrderQuery *current;
  RelayOrderQuery query;
  const char *search;
  guint status;

  if (self->model == NULL || self->updating_dropdowns)
    return;

  current = relay_order_list_model_get_query (self->model);
  query = *current;
  status = gtk_drop_down_get_selected (self->status_dropdown);
  query.filter = status <= RELAY_ORDER_FILTER_FAILED ? (RelayOrderFilter) status
                                                      : RELAY_ORDER_FILTER_ALL;
  query.client_id = id_at (self->client_ids, gtk_drop_down_get_selected (self->client_dropdown));
  query.provider_id = id_at (self->provider_ids,
                             gtk_drop_down_get_selected (self->provider_dropdown));
  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  query.search = (search != NULL && *search != '\0') ? search : NULL;

  if (query.filter == current->filter &&
      query.client_id == current->client_id &&
      query.provider_id == current->provider_id &&
      g_strcmp0 (query.search, current->search) == 0)
    return;

  relay_order_list_model_set_query (self->model, &query);
  update_footer (self);
}

static void
on_filter_changed (RelayOrdersPage *self)
{
  apply_query (self);
}

static void
on_search_changed (RelayOrdersPage *self)
{
  apply_query (self);
}

static void
on_stop_search (RelayOrdersPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  apply_query (self);
}

/* ---- the client and provider dropdowns ---- */

static void
fill_dropdown (RelayOrdersPage *self,
               GtkDropDown     *dropdown,
               GArray          *ids,
               const char      *all_label,
               GPtrArray       *names,
               GArray          *new_ids)
{
  gint64 selected_id = id_at (ids, gtk_drop_down_get_selected (dropdown));
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  g_array_set_size (ids, 0);
  gtk_string_list_append (list, all_label);
  g_array_append_val (ids, (gint64) { 0 });
  for (guint i = 0; i < names->len; i++)
    {
      gint64 id = g_array_index (new_ids, gint64, i);

      gtk_string_list_append (list, g_ptr_array_index (names, i));
      g_array_append_val (ids, id);
      if (id == selected_id)
        selected = i + 1;
    }

  self->updating_dropdowns = TRUE;
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (dropdown, selected);
  self->updating_dropdowns = FALSE;
}

static void
reload_clients (RelayOrdersPage *self)
{
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Names only: the filter needs no order count or balance, and those read
   * every order and ledger row of a big book (this runs before the first rows). */
  if (self->core != NULL)
    clients = relay_store_list_client_names (get_store (self), NULL);
  for (guint i = 0; clients != NULL && i < clients->len; i++)
    {
      RelayClientRow *row = g_ptr_array_index (clients, i);

      g_ptr_array_add (names, row->name);
      g_array_append_val (ids, row->id);
    }
  fill_dropdown (self, self->client_dropdown, self->client_ids, _("All clients"), names, ids);
  apply_query (self);
}

static void
reload_providers (RelayOrdersPage *self)
{
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (self->core != NULL)
    providers = relay_store_list_providers (get_store (self), NULL);
  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      RelayProviderRow *row = g_ptr_array_index (providers, i);

      g_ptr_array_add (names, row->name);
      g_array_append_val (ids, row->id);
    }
  fill_dropdown (self, self->provider_dropdown, self->provider_ids, _("All providers"), names, ids);
  apply_query (self);
}

/* ---- sorting: a header click becomes a new ORDER BY ----
 *
 * GTK 4.8 has no public way to read the column view's primary sort column
 * (GtkColumnViewSorter's getters came in 4.10).  Each column gets a custom
 * sorter that only records that it was asked; comparing two dummies with the
 * view's sorter asks the primary column first, and the sign of the answer
 * tells the direction. */

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  SortProbe *probe = data;

  if (!probe->page->probing)
    return GTK_ORDERING_EQUAL;
  if (!probe->page->probe_hit)
    {
      probe->page->probe_hit = TRUE;
      probe->page->probe_sort = probe->sort;
    }
  return GTK_ORDERING_SMALLER;
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   RelayOrdersPage *self)
{
  GtkOrdering ordering;
  RelayOrderSort sort = RELAY_ORDER_SORT_ID;
  gboolean ascending = FALSE;

  self->probing = TRUE;
  self->probe_hit = FALSE;
  ordering = gtk_sorter_compare (sorter, self, self->column_view);
  self->probing = FALSE;

  if (self->probe_hit)
    {
      sort = self->probe_sort;
      ascending = ordering == GTK_ORDERING_SMALLER;
    }
  if (self->settings != NULL)
    {
      g_settings_set_enum (self->settings, "sort-column", self->probe_hit ? (int) sort + 1 : 0);
      g_settings_set_boolean (self->settings, "sort-ascending", ascending);
    }

  if (self->model != NULL)
    {
      const RelayOrderQuery *query = relay_order_list_model_get_query (self->model);

      if (query->sort != sort || query->ascending != ascending)
        relay_order_list_model_set_sort (self->model, sort, ascending);
    }
}

static GtkColumnViewColumn *
column_for_sort (RelayOrdersPage *self,
                 RelayOrderSort   sort)
{
  GtkColumnViewColumn *columns[] = {
    self->id_column, self->client_column, self->service_column, self->link_column,
    self->quantity_column, self->progress_column, self->start_count_column,
    self->remains_column, self->charge_column, self->status_column, self->updated_column,
  };

  return sort < G_N_ELEMENTS (columns) ? columns[sort] : NULL;
}

static void
setup_sorters (RelayOrdersPage *self)
{
  for (RelayOrderSort sort = RELAY_ORDER_SORT_ID; sort <= RELAY_ORDER_SORT_UPDATED; sort++)
    {
      SortProbe *probe = g_new0 (SortProbe, 1);
      g_autoptr(GtkCustomSorter) sorter = NULL;

      probe->page = self;
      probe->sort = sort;
      sorter = gtk_custom_sorter_new (probe_compare, probe, g_free);
      gtk_column_view_column_set_sorter (column_for_sort (self, sort), GTK_SORTER (sorter));
    }
  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (on_sorter_changed), self);
}

static void
restore_sort (RelayOrdersPage *self)
{
  int column;
  gboolean ascending;

  if (self->settings == NULL)
    return;
  column = g_settings_get_enum (self->settings, "sort-column");
  ascending = g_settings_get_boolean (self->settings, "sort-ascending");
  if (column <= 0 || column - 1 > RELAY_ORDER_SORT_UPDATED)
    return;
  gtk_column_view_sort_by_column (self->column_view, column_for_sort (self, column - 1),
                                  ascending ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
}

/* ---- the store ---- */

/* The id column as wide as the book's highest id (a book of 1,000,000
 * orders has 7 digits; the template's width fits 4). */
static void
fit_id_column (RelayOrdersPage *self)
{
  static const char digits[] = "00000000000000000000";
  gint64 max_id = self->core != NULL ? relay_store_get_max_order_id (relay_core_get_store (self->core)) : 0;
  guint n = 1;
  g_autoptr(PangoLayout) layout = NULL;
  int width;

  for (; max_id >= 10 && n < sizeof digits - 1; max_id /= 10)
    n++;
  if (n == self->id_digits)
    return;
  self->id_digits = n;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->column_view), NULL);
  pango_layout_set_text (layout, digits, (int) n);
  pango_layout_get_pixel_size (layout, &width, NULL);
  /* The cell's padding on both sides. */
  gtk_column_view_column_set_fixed_width (self->id_column, MAX (56, width + 28));
}

static void
on_orders_changed (RelayStore      *store,
                   GArray          *ids,
                   RelayOrdersPage *self)
{
  /* The model connected first and is up to date (or, hidden, catches up
   * when shown: see relay_orders_page_map). */
  if (self->model != NULL && relay_order_list_model_get_held (self->model))
    return;
  update_footer (self);
  fit_id_column (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->state_stack), "empty") == 0)
    update_state (self);
}

static void
on_catalog_changed (RelayStore      *store,
                    gint64           provider_id,
                    RelayOrdersPage *self)
{
  reload_providers (self);
  update_state (self);
}

static void
on_clients_changed (RelayStore      *store,
                    RelayOrdersPage *self)
{
  reload_clients (self);
}

static void
on_details_toast (RelayOrderDetails *details,
                  AdwToast          *toast,
                  RelayOrdersPage   *self)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, toast);
}

static void
on_selected_item (GtkSingleSelection *selection,
                  GParamSpec         *pspec,
                  RelayOrdersPage    *self)
{
  gpointer item = gtk_single_selection_get_selected_item (selection);

  relay_order_details_set_item (self->details, item);
  /* No pane to say "select an order": the table takes the room until one is. */
  gtk_widget_set_visible (GTK_WIDGET (self->details), item != NULL);
}

/* ---- the header and the rows ---- */

/* The header's column titles are in the order of its columns (shown or
 * not); each visible one is where its column is: the rows draw there. */
static void
update_columns (RelayOrdersPage *self)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  RelayOrderColumnPlace places[RELAY_ORDER_N_CELLS] = { { 0 } };
  guint i = 0;

  if (header == NULL)
    return;
  for (GtkWidget *title = gtk_widget_get_first_child (header);
       title != NULL && i < g_list_model_get_n_items (columns);
       title = gtk_widget_get_next_sibling (title), i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      graphene_rect_t bounds;

      if (!gtk_column_view_column_get_visible (column) || !gtk_widget_get_visible (title) ||
          !gtk_widget_compute_bounds (title, header, &bounds))
        continue;
      for (RelayOrderCellKind kind = RELAY_ORDER_CELL_ID; kind < RELAY_ORDER_N_CELLS; kind++)
        if (column_for_sort (self, (RelayOrderSort) kind) == column)
          {
            places[kind].visible = TRUE;
            places[kind].x = (int) roundf (bounds.origin.x);
            places[kind].width = (int) roundf (bounds.size.width);
          }
    }
  relay_order_columns_set (self->columns, places, gtk_widget_get_width (header));
}

/* The table box: the header over the rows, as a vertical GtkBox would. */
static void
table_measure (GtkWidget      *widget,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0, child_nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1,
                          &child_min, &child_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_VERTICAL)
        {
          *minimum += child_min;
          *natural += child_nat;
        }
      else
        {
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
    }
}

/* The header first, then the columns it placed, then the rows: a row drawn
 * in this frame is where the header is in this frame (a resized column,
 * a narrow window). */
static void
table_allocate (GtkWidget *widget,
                int        width,
                int        height,
                int        baseline)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (gtk_widget_get_ancestor (widget, RELAY_TYPE_ORDERS_PAGE));
  GtkWidget *header = GTK_WIDGET (self->header_window);
  GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (self->scrolled_window);
  double placed_at = gtk_adjustment_get_value (hadjustment);
  int header_height = 0;

  gtk_widget_measure (header, GTK_ORIENTATION_VERTICAL, width, NULL, &header_height, NULL, NULL);
  header_height = MIN (header_height, height);
  gtk_widget_allocate (header, width, header_height, -1, NULL);
  update_columns (self);
  gtk_widget_allocate (GTK_WIDGET (self->scrolled_window), width, height - header_height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, header_height)));
  /* The column view places its header at the sideways scroll it had, then
   * sets the adjustment to its new width (a value past a smaller width is
   * moved back), and so may the rows: its queued new place would be lost
   * in this allocation (GTK 4.8 then draws it nowhere).  It is placed again
   * here at the value the rows have. */
  if (gtk_adjustment_get_value (hadjustment) != placed_at)
    {
      gtk_widget_queue_allocate (GTK_WIDGET (self->column_view));
      gtk_widget_allocate (header, width, header_height, -1, NULL);
    }
}

/* ---- narrow widths ---- */

/* The status column's width: @least, or more where the widest status pill
 * in this language and font needs it (with the cell's padding and border,
 * 13 px), so that no status is cut short ("Needs review" was, in 110 px). */
static int
status_column_width (int least)
{
  GtkWidget *pill = g_object_ref_sink (relay_status_pill_new ());
  int natural;

  relay_status_pill_set_status (RELAY_STATUS_PILL (pill), RELAY_ORDER_NEEDS_REVIEW);
  gtk_widget_measure (pill, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_object_unref (pill);
  return MAX (least, natural + 13);
}

static void
apply_narrow (RelayOrdersPage *self)
{
  GtkColumnViewColumn *secondary[] = {
    self->client_column, self->link_column, self->quantity_column, self->start_count_column,
    self->remains_column, self->charge_column, self->updated_column,
  };

  for (guint i = 0; i < G_N_ELEMENTS (secondary); i++)
    gtk_column_view_column_set_visible (secondary[i], !self->narrow);
  gtk_column_view_column_set_fixed_width (self->service_column, self->narrow ? 72 : 130);
  gtk_column_view_column_set_fixed_width (self->progress_column, self->narrow ? 100 : 120);
  gtk_column_view_column_set_fixed_width (self->status_column,
                                          status_column_width (self->narrow ? 112 : 110));
  relay_order_details_set_narrow (self->details, self->narrow);
  /* The search gets a row of its own under the filters. */
  {
    GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self->toolbar));
    GtkGridLayoutChild *place =
      GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout,
                                                                  GTK_WIDGET (self->search_entry)));

    gtk_grid_layout_child_set_row (place, self->narrow ? 1 : 0);
    gtk_grid_layout_child_set_column (place, self->narrow ? 0 : 3);
    gtk_grid_layout_child_set_column_span (place, self->narrow ? 3 : 1);
  }
  if (self->narrow)
    gtk_widget_add_css_class (GTK_WIDGET (self), "narrow");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "narrow");
}

static gboolean
apply_narrow_idle (gpointer data)
{
  RelayOrdersPage *self = data;

  self->narrow_id = 0;
  apply_narrow (self);
  return G_SOURCE_REMOVE;
}

/* The page is its state stack (a bin); measured and allocated here so that
 * the page sees its width. */
static void
relay_orders_page_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (RELAY_ORDERS_PAGE (widget)->state_stack), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

/* A hidden table does no row work: while the page is not shown, a change of
 * the book (10,000 orders a mass submit records, a refresh) is only noted by
 * the model, which catches up once when the page is shown again.  GTK 4.8
 * would otherwise make or rebind ~200 rows of the unmapped table for every
 * ::orders-changed. */
static void
relay_orders_page_map (GtkWidget *widget)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (widget);

  GTK_WIDGET_CLASS (relay_orders_page_parent_class)->map (widget);
  if (self->model != NULL && relay_order_list_model_get_held (self->model))
    {
      relay_order_list_model_set_held (self->model, FALSE);
      update_footer (self);
      fit_id_column (self);
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->state_stack), "empty") == 0)
        update_state (self);
    }
}

static void
relay_orders_page_unmap (GtkWidget *widget)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (widget);

  if (self->model != NULL)
    relay_order_list_model_set_held (self->model, TRUE);
  GTK_WIDGET_CLASS (relay_orders_page_parent_class)->unmap (widget);
}

static void
relay_orders_page_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (widget);
  gboolean narrow = width < NARROW_WIDTH;

  gtk_widget_allocate (GTK_WIDGET (self->state_stack), width, height, baseline, NULL);
  /* Columns are not shown or hidden in the middle of an allocation: at once
   * after it, before the frame is drawn. */
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->narrow_id == 0)
        self->narrow_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 5, apply_narrow_idle, self,
                                           NULL);
    }
}

/* The table is one Tab stop: arrows move between rows, Tab leaves it (for
 * the details pane with Refill and Cancel, then on), Shift+Tab goes back to
 * the search.  GtkListView 4.8 would Tab from row to row. */
static gboolean
relay_orders_page_focus (GtkWidget        *widget,
                         GtkDirectionType  direction)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if ((direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD) &&
      focus != NULL && (focus == GTK_WIDGET (self->list_view) ||
                        gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view))))
    {
      if (direction == GTK_DIR_TAB_BACKWARD)
        return gtk_widget_child_focus (GTK_WIDGET (self->toolbar), direction);
      if (gtk_widget_get_visible (GTK_WIDGET (self->details)) &&
          gtk_widget_child_focus (GTK_WIDGET (self->details), direction))
        return TRUE;
      return FALSE;
    }
  return GTK_WIDGET_CLASS (relay_orders_page_parent_class)->focus (widget, direction);
}

gboolean
relay_orders_page_get_narrow (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), FALSE);
  return self->narrow;
}

static void
disconnect_core (RelayOrdersPage *self)
{
  RelayStore *store = get_store (self);

  if (store != NULL)
    {
      g_clear_signal_handler (&self->orders_changed_id, store);
      g_clear_signal_handler (&self->catalog_changed_id, store);
      g_clear_signal_handler (&self->clients_changed_id, store);
    }
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->back_to_top_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->scrolled_window), self->back_to_top_id);
  self->back_to_top_id = 0;
  gtk_list_view_set_model (self->list_view, NULL);
  relay_order_details_set_item (self->details, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
}

/* Runs at the next frame the table is shown in (at once when it is in view,
 * or when its page is shown again), before GTK lays the rows out. */
static gboolean
back_to_top (GtkWidget     *widget,
             GdkFrameClock *frame_clock,
             gpointer       user_data)
{
  RelayOrdersPage *self = user_data;

  self->back_to_top_id = 0;
  /* GTK 4.8 has no gtk_list_view_scroll_to(): its "list.scroll-to-item"
   * action moves its anchor to the first row. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  return G_SOURCE_REMOVE;
}

/* New orders arrive at the top (newest first).  GTK keeps the rows that were
 * in view where they are; when the view was at the top, follow the newest
 * instead, so a mass order just placed is what the table shows. */
static void
on_items_changed (GListModel      *model,
                  guint            position,
                  guint            removed,
                  guint            added,
                  RelayOrdersPage *self)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  if (position != 0 || added <= removed || gtk_adjustment_get_value (vadjustment) > 1.0)
    return;
  if (self->back_to_top_id == 0)
    self->back_to_top_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->scrolled_window),
                                                         back_to_top, self, NULL);
}

/* A new filter, search or sort: the model has announced its new rows above
 * the old ones, and the view has taken that in (this runs after it).
 * Showing the first row now makes GTK 4.8 hand the old rows' widgets to the
 * new rows — a rebind of each cell — instead of destroying its ~200 rows and
 * making new ones when the old rows go (see replace_rows()). */
static void
on_view_items_changed (GListModel      *view_model,
                       guint            position,
                       guint            removed,
                       guint            added,
                       RelayOrdersPage *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window));

  if (position != 0 || removed != 0 || added == 0 || self->model == NULL ||
      !relay_order_list_model_get_replacing (self->model))
    return;
  /* The rows the table shows (none is lower than MIN_ROW_HEIGHT) are filled
   * before the first frame; the other rows GTK keeps, in the frames after. */
  if (height > 0)
    relay_order_cells_defer_from (height / MIN_ROW_HEIGHT + 4);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
  relay_order_cells_defer_from (G_MAXUINT);
}

void
relay_orders_page_set_core (RelayOrdersPage *self,
                            RelayCore       *core)
{
  RelayStore *store;

  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;

  disconnect_core (self);
  g_set_object (&self->core, core);
  relay_order_details_set_core (self->details, core);

  if (core != NULL)
    {
      store = relay_core_get_store (core);
      self->model = relay_order_list_model_new (store);
      /* Before the view's own handler: it sees where the view was. */
      g_signal_connect (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
      /* A search's rows counted off the main loop. */
      g_signal_connect_swapped (self->model, "notify::counted", G_CALLBACK (update_footer), self);
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      g_signal_connect (self->selection, "notify::selected-item",
                        G_CALLBACK (on_selected_item), self);
      g_signal_connect_after (self->selection, "items-changed",
                              G_CALLBACK (on_view_items_changed), self);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

      self->orders_changed_id = g_signal_connect (store, "orders-changed",
                                                  G_CALLBACK (on_orders_changed), self);
      self->catalog_changed_id = g_signal_connect (store, "catalog-changed",
                                                   G_CALLBACK (on_catalog_changed), self);
      self->clients_changed_id = g_signal_connect (store, "clients-changed",
                                                   G_CALLBACK (on_clients_changed), self);
    }

  reload_clients (self);
  reload_providers (self);
  self->id_digits = 0;
  fit_id_column (self);
  if (self->model != NULL)
    {
      apply_query (self);
      restore_sort (self);
    }
  update_state (self);
  update_footer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}

void
relay_orders_page_set_settings (RelayOrdersPage *self,
                                GSettings       *settings)
{
  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;
  if (self->model != NULL)
    restore_sort (self);
}

RelayCore *
relay_orders_page_get_core (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), NULL);
  return self->core;
}

/* The footer ("… · updated 12 s ago") and the rows' times follow the
 * header's subtitle, which says the same, a frame later: the header at the
 * top and the footer at the foot changed in one frame had the whole window
 * painted (GTK 4.8's cairo renderer paints the box around a frame's
 * changes), the rows between them included. */
static gboolean
updated_later (gpointer data)
{
  RelayOrdersPage *self = data;
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

  self->updated_id = 0;
  update_footer (self);
  if (self->model != NULL && now - self->times_refreshed_at >= TIMES_REFRESH_INTERVAL)
    {
      self->times_refreshed_at = now;
      relay_order_list_model_refresh_times (self->model);
    }
  return G_SOURCE_REMOVE;
}

void
relay_orders_page_set_updated_text (RelayOrdersPage *self,
                                    const char      *text)
{
  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));

  if (g_strcmp0 (self->updated_text, text) == 0)
    return;
  g_free (self->updated_text);
  self->updated_text = g_strdup (text);
  if (self->updated_id == 0)
    self->updated_id = g_timeout_add (UPDATED_FOOTER_DELAY_MS, updated_later, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_TEXT]);
}

void
relay_orders_page_set_filter (RelayOrdersPage  *self,
                              RelayOrderFilter  filter)
{
  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));
  g_return_if_fail (filter <= RELAY_ORDER_FILTER_FAILED);
  gtk_drop_down_set_selected (self->status_dropdown, filter);
}

void
relay_orders_page_set_search (RelayOrdersPage *self,
                              const char      *text)
{
  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* Now, not after the entry's typing delay. */
  apply_query (self);
}

void
relay_orders_page_focus_search (RelayOrdersPage *self)
{
  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
relay_orders_page_select_position (RelayOrdersPage *self,
                                   guint            position)
{
  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));
  if (self->selection != NULL)
    gtk_single_selection_set_selected (self->selection, position);
}

void
relay_orders_page_show_order (RelayOrdersPage *self,
                              gint64           id)
{
  g_autofree char *text = NULL;
  guint n;

  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));
  if (self->model == NULL)
    return;

  self->updating_dropdowns = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown, RELAY_ORDER_FILTER_ALL);
  gtk_drop_down_set_selected (self->client_dropdown, 0);
  gtk_drop_down_set_selected (self->provider_dropdown, 0);
  self->updating_dropdowns = FALSE;
  text = g_strdup_printf ("%" PRId64, id);
  relay_orders_page_set_search (self, text);

  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (self->model)), RELAY_ORDER_LIST_WINDOW);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), i);

      if (item != NULL && relay_order_item_get_id (item) == id)
        {
          relay_orders_page_select_position (self, i);
          break;
        }
    }
}

static void
on_clear_filters (RelayOrdersPage *self)
{
  self->updating_dropdowns = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown, RELAY_ORDER_FILTER_ALL);
  gtk_drop_down_set_selected (self->client_dropdown, 0);
  gtk_drop_down_set_selected (self->provider_dropdown, 0);
  self->updating_dropdowns = FALSE;
  relay_orders_page_set_search (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

gboolean
relay_orders_page_get_no_match_shown (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->no_match_page));
}

void
relay_orders_page_clear_filters (RelayOrdersPage *self)
{
  g_return_if_fail (RELAY_IS_ORDERS_PAGE (self));
  on_clear_filters (self);
}

RelayOrderListModel *
relay_orders_page_get_model (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), NULL);
  return self->model;
}

GtkColumnView *
relay_orders_page_get_column_view (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), NULL);
  return self->column_view;
}

GtkListView *
relay_orders_page_get_list_view (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), NULL);
  return self->list_view;
}

RelayOrderColumns *
relay_orders_page_get_columns (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), NULL);
  return self->columns;
}

RelayOrderDetails *
relay_orders_page_get_details (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), NULL);
  return self->details;
}

const char *
relay_orders_page_get_state (RelayOrdersPage *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->state_stack);
}

/* ---- GObject ---- */

static void
relay_orders_page_dispose (GObject *object)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (object);

  if (self->column_view != NULL)
    {
      disconnect_core (self);
      g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                            on_sorter_changed, self);
    }
  g_clear_handle_id (&self->narrow_id, g_source_remove);
  g_clear_handle_id (&self->updated_id, g_source_remove);
  g_clear_object (&self->core);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_ORDERS_PAGE);

  G_OBJECT_CLASS (relay_orders_page_parent_class)->dispose (object);
}

static void
relay_orders_page_finalize (GObject *object)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->columns);
  g_clear_pointer (&self->client_ids, g_array_unref);
  g_clear_pointer (&self->provider_ids, g_array_unref);
  g_clear_pointer (&self->updated_text, g_free);

  G_OBJECT_CLASS (relay_orders_page_parent_class)->finalize (object);
}

static void
relay_orders_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_UPDATED_TEXT:
      g_value_set_string (value, self->updated_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_orders_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RelayOrdersPage *self = RELAY_ORDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_orders_page_set_core (self, g_value_get_object (value));
      break;
    case PROP_UPDATED_TEXT:
      relay_orders_page_set_updated_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_orders_page_class_init (RelayOrdersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_orders_page_dispose;
  object_class->finalize = relay_orders_page_finalize;
  object_class->get_property = relay_orders_page_get_property;
  object_class->set_property = relay_orders_page_set_property;
  widget_class->measure = relay_orders_page_measure;
  widget_class->focus = relay_orders_page_focus;
  widget_class->size_allocate = relay_orders_page_size_allocate;
  widget_class->map = relay_orders_page_map;
  widget_class->unmap = relay_orders_page_unmap;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_TEXT] =
    g_param_spec_string ("updated-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The details' toasts (Refill, Cancel, Copy Link), passed up as the page's. */
  signals[SIGNAL_TOAST] = relay_toast_signal_new (klass);

  g_type_ensure (RELAY_TYPE_ORDER_ITEM);
  g_type_ensure (RELAY_TYPE_STATUS_PILL);
  g_type_ensure (RELAY_TYPE_ORDER_DETAILS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smmrelay/SmmRelay/relay-orders-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, client_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, provider_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, paned);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, table_box);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, header_window);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, no_orders_page);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, details);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, footer_label);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, id_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, client_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, service_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, link_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, quantity_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, progress_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, start_count_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, remains_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, charge_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, status_column);
  gtk_widget_class_bind_template_child (widget_class, RelayOrdersPage, updated_column);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_filters);
  gtk_widget_class_set_css_name (widget_class, "orderspage");
}

static void
relay_orders_page_init (RelayOrdersPage *self)
{
  self->client_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->provider_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_column_view_column_set_fixed_width (self->status_column, status_column_width (110));
  gtk_search_entry_set_key_capture_widget (self->search_entry, NULL);
  g_signal_connect (self->details, "toast", G_CALLBACK (on_details_toast), self);
  gtk_widget_set_visible (GTK_WIDGET (self->details), FALSE);
  {
    GtkDropDown *dropdowns[] = { self->status_dropdown, self->client_dropdown,
                                 self->provider_dropdown };

    for (guint i = 0; i < G_N_ELEMENTS (dropdowns); i++)
      {
        g_autoptr(GBytes) bytes = g_bytes_new_static (dropdown_factory_ui,
                                                      sizeof dropdown_factory_ui - 1);
        g_autoptr(GtkListItemFactory) factory = gtk_builder_list_item_factory_new_from_bytes (NULL,
                                                                                             bytes);

        g_autoptr(GBytes) list_bytes = g_bytes_new_static (dropdown_list_factory_ui,
                                                           sizeof dropdown_list_factory_ui - 1);
        g_autoptr(GtkListItemFactory) list_factory =
          gtk_builder_list_item_factory_new_from_bytes (NULL, list_bytes);

        gtk_drop_down_set_factory (dropdowns[i], factory);
        gtk_drop_down_set_list_factory (dropdowns[i], list_factory);
      }
  }
  /* The rows are RelayOrderRows, placed by the header's columns (which are,
   * and RelayOrderSort too, in the order of RelayOrderCellKind). */
  self->columns = relay_order_columns_new ();
  {
    g_autoptr(GtkListItemFactory) factory = relay_order_cells_factory_new (self->columns);

    gtk_list_view_set_factory (self->list_view, factory);
  }
  gtk_widget_set_layout_manager (GTK_WIDGET (self->table_box),
                                 gtk_custom_layout_new (NULL, table_measure, table_allocate));
  gtk_scrolled_window_set_hadjustment (self->header_window,
                                       gtk_scrolled_window_get_hadjustment (self->scrolled_window));
  setup_sorters (self);
  update_state (self);
}
