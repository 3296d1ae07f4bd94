/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cells of the orders table, built in C.
 *
 * GTK 4.8 keeps about 200 rows alive in a list view, and a new filter or
 * sort makes every one of them again: 11 cells a row.  A GtkBuilder factory
 * parses its template for each cell and watches each binding through a
 * GtkExpression; a tooltip set at each bind asks the X server where the
 * pointer is (gtk_widget_set_tooltip_text triggers a tooltip query).  Here a
 * cell makes its widgets once, sets their values directly when bound, and
 * follows only the notifications of the properties it shows. */
#include "config.h"

#include "relay-order-cells.h"
#include "relay-order-item.h"
#include "relay-status-pill.h"

typedef struct
{
  const char             *notify[2];  /* detailed "notify::…" the cell follows */
  float                   xalign;
  GtkInscriptionOverflow  overflow;
  gboolean                numeric;
} CellSpec;

static const CellSpec specs[RELAY_ORDER_N_CELLS] = {
  [RELAY_ORDER_CELL_ID] = { { "notify::id" }, 1.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_CLIENT] = { { "notify::client" }, 0.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, FALSE },
  [RELAY_ORDER_CELL_SERVICE] = { { "notify::service" }, 0.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, FALSE },
  [RELAY_ORDER_CELL_LINK] = { { "notify::link-markup" }, 0.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE, FALSE },
  [RELAY_ORDER_CELL_QUANTITY] = { { "notify::quantity-text" }, 1.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_PROGRESS] = { { "notify::progress-text", "notify::progress" },
                                  0.0f, GTK_INSCRIPTION_OVERFLOW_CLIP, TRUE },
  [RELAY_ORDER_CELL_START_COUNT] = { { "notify::start-count-text" }, 1.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_REMAINS] = { { "notify::remains-text" }, 1.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_CHARGE] = { { "notify::charge-text" }, 1.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_STATUS] = { { "notify::status" }, 0.0f, GTK_INSCRIPTION_OVERFLOW_CLIP, FALSE },
  [RELAY_ORDER_CELL_UPDATED] = { { "notify::updated-text" }, 0.0f, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, FALSE },
};

/* One cell's widgets and what it is bound to; owned by its GtkListItem. */
typedef struct
{
  RelayOrderCellKind  kind;
  GtkInscription     *text;           /* a text cell's, or the progress count */
  GtkLabel           *label;          /* the id cell's (see new_text()) */
  GtkProgressBar     *bar;            /* the progress cell */
  RelayStatusPill    *pill;           /* the status cell */
  RelayOrderItem     *item;           /* the one shown and followed, held (see bind_cell) */
  RelayOrderItem     *next;           /* bound, to be shown when filled (pending), held */
  gulong              notify_ids[2];
  GList              *pending;        /* its link in pending_cells, or NULL */
} Cell;

static GQuark cell_quark;
static guint n_setups;
static guint n_binds;

/* Cells bound while the view moves to a new query's first rows, below the
 * rows it shows: filled a few rows a frame after it (see
 * relay_order_cells_defer_from()). */
static guint defer_from = G_MAXUINT;
static GQueue pending_cells = G_QUEUE_INIT;
static guint fill_id;                   /* an idle, when no frame clock */
static GdkFrameClock *fill_clock;       /* else after each of its paints */
static gulong fill_clock_id;

static void
set_text (GtkInscription *inscription,
          const char     *text)
{
  gtk_inscription_set_text (inscription, text);
}

static void
update_cell (Cell *cell)
{
  RelayOrderItem *item = cell->item;
  char id[24];

  if (item == NULL)
    return;

  switch (cell->kind)
    {
    case RELAY_ORDER_CELL_ID:
      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, relay_order_item_get_id (item));
      /* gtk_label_set_label() compares too, but after a notify freeze. */
      if (g_strcmp0 (gtk_label_get_label (cell->label), id) != 0)
        gtk_label_set_label (cell->label, id);
      break;
    case RELAY_ORDER_CELL_CLIENT:
      set_text (cell->text, relay_order_item_get_client (item));
      break;
    case RELAY_ORDER_CELL_SERVICE:
      set_text (cell->text, relay_order_item_get_service (item));
      break;
    case RELAY_ORDER_CELL_LINK:
      {
        const char *link = relay_order_item_get_link (item);

        gtk_inscription_set_markup (cell->text, relay_order_item_get_link_markup (item));
        /* The whole link for assistive technologies (the label shows it
         * shortened), as the tooltip set it before. */
        if (link != NULL && *link != '\0')
          gtk_accessible_update_property (GTK_ACCESSIBLE (cell->text),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, link, -1);
        else
          gtk_accessible_reset_property (GTK_ACCESSIBLE (cell->text),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      }
      break;
    case RELAY_ORDER_CELL_QUANTITY:
      set_text (cell->text, relay_order_item_get_quantity_text (item));
      break;
    case RELAY_ORDER_CELL_PROGRESS:
      set_text (cell->text, relay_order_item_get_progress_text (item));
      if (gtk_progress_bar_get_fraction (cell->bar) != relay_order_item_get_progress (item))
        gtk_progress_bar_set_fraction (cell->bar, relay_order_item_get_progress (item));
      break;
    case RELAY_ORDER_CELL_START_COUNT:
      set_text (cell->text, relay_order_item_get_start_count_text (item));
      break;
    case RELAY_ORDER_CELL_REMAINS:
      set_text (cell->text, relay_order_item_get_remains_text (item));
      break;
    case RELAY_ORDER_CELL_CHARGE:
      set_text (cell->text, relay_order_item_get_charge_text (item));
      break;
    case RELAY_ORDER_CELL_STATUS:
      relay_status_pill_set_status (cell->pill, relay_order_item_get_status (item));
      break;
    case RELAY_ORDER_CELL_UPDATED:
      set_text (cell->text, relay_order_item_get_updated_text (item));
      break;
    case RELAY_ORDER_N_CELLS:
    default:
      g_assert_not_reached ();
    }
}

static void
unqueue (Cell *cell)
{
  if (cell->pending == NULL)
    return;
  g_queue_delete_link (&pending_cells, cell->pending);
  cell->pending = NULL;
}

/* Rows of 11 cells a turn: the frame after each turn lays out that many. */
#define FILL_CELLS_PER_TURN (40 * RELAY_ORDER_N_CELLS)

static void show_item (Cell           *cell,
                       RelayOrderItem *item);

static void
fill_some (void)
{
  for (guint i = 0; i < FILL_CELLS_PER_TURN && !g_queue_is_empty (&pending_cells); i++)
    {
      Cell *cell = g_queue_peek_head (&pending_cells);
      g_autoptr(RelayOrderItem) item = g_steal_pointer (&cell->next);

      unqueue (cell);
      if (item != NULL)
        show_item (cell, item);
    }
}

static gboolean
fill_idle (gpointer data)
{
  fill_some ();
  if (!g_queue_is_empty (&pending_cells))
    return G_SOURCE_CONTINUE;
  fill_id = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_filling_after_paint (void)
{
  if (fill_clock == NULL)
    return;
  g_clear_signal_handler (&fill_clock_id, fill_clock);
  g_clear_object (&fill_clock);
}

/* One turn a frame, once it is painted: the rows in view show first, the
 * others follow without holding a frame up. */
static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  fill_some ();
  if (g_queue_is_empty (&pending_cells))
    stop_filling_after_paint ();
  else
    gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static void
queue_fill (Cell      *cell,
            GtkWidget *widget)
{
  GdkFrameClock *clock;

  g_queue_push_tail (&pending_cells, cell);
  cell->pending = g_queue_peek_tail_link (&pending_cells);
  if (fill_clock != NULL || fill_id != 0)
    return;
  clock = gtk_widget_get_frame_clock (widget);
  if (clock != NULL)
    {
      fill_clock = g_object_ref (clock);
      fill_clock_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
    }
  else
    fill_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fill_idle, NULL, NULL);
}

/* The service and link cells are often cut short: the whole text as a
 * tooltip, computed when GTK asks (a hover), never at bind time. */
static gboolean
on_query_tooltip (GtkWidget   *widget,
                  int          x,
                  int          y,
                  gboolean     keyboard_mode,
                  GtkTooltip  *tooltip,
                  GtkListItem *list_item)
{
  Cell *cell = g_object_get_qdata (G_OBJECT (list_item), cell_quark);
  const char *text;

  RelayOrderItem *item;

  if (cell == NULL)
    return FALSE;
  item = cell->next != NULL ? cell->next : cell->item;
  if (item == NULL)
    return FALSE;
  text = cell->kind == RELAY_ORDER_CELL_LINK ? relay_order_item_get_link (item)
                                             : relay_order_item_get_service (item);
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* A GtkInscription, not a GtkLabel: its size comes from the font, not from
 * its text, so a new text only redraws it.  A label's new text queues a
 * resize: after a new filter or sort every row in view was measured again
 * (each label shaping its text for its height), about a third of the
 * frame.  The id cell stays a GtkLabel, where a row is looked up by its id
 * text (the window tests do): a few digits, one short text a row to shape. */
static GtkInscription *
new_text (const CellSpec *spec)
{
  GtkInscription *text = GTK_INSCRIPTION (gtk_inscription_new (NULL));

  gtk_inscription_set_xalign (text, spec->xalign);
  gtk_inscription_set_text_overflow (text, spec->overflow);
  if (spec->numeric)
    gtk_widget_add_css_class (GTK_WIDGET (text), "numeric");
  return text;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  RelayOrderCellKind kind = GPOINTER_TO_UINT (data);
  const CellSpec *spec = &specs[kind];
  Cell *cell = g_new0 (Cell, 1);
  GtkWidget *child;

  cell->kind = kind;
  switch (kind)
    {
    case RELAY_ORDER_CELL_PROGRESS:
      child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
      cell->text = new_text (spec);
      gtk_widget_add_css_class (GTK_WIDGET (cell->text), "caption");
      cell->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
      gtk_box_append (GTK_BOX (child), GTK_WIDGET (cell->text));
      gtk_box_append (GTK_BOX (child), GTK_WIDGET (cell->bar));
      break;
    case RELAY_ORDER_CELL_STATUS:
      child = relay_status_pill_new ();
      cell->pill = RELAY_STATUS_PILL (child);
      break;
    case RELAY_ORDER_CELL_LINK:
    case RELAY_ORDER_CELL_SERVICE:
      cell->text = new_text (spec);
      child = GTK_WIDGET (cell->text);
      gtk_widget_set_has_tooltip (child, TRUE);
      g_signal_connect_object (child, "query-tooltip", G_CALLBACK (on_query_tooltip),
                               list_item, 0);
      break;
    case RELAY_ORDER_CELL_ID:
      cell->label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (cell->label, spec->xalign);
      gtk_label_set_ellipsize (cell->label, PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (GTK_WIDGET (cell->label), "numeric");
      child = GTK_WIDGET (cell->label);
      break;
    case RELAY_ORDER_CELL_CLIENT:
    case RELAY_ORDER_CELL_QUANTITY:
    case RELAY_ORDER_CELL_START_COUNT:
    case RELAY_ORDER_CELL_REMAINS:
    case RELAY_ORDER_CELL_CHARGE:
    case RELAY_ORDER_CELL_UPDATED:
      cell->text = new_text (spec);
      child = GTK_WIDGET (cell->text);
      break;
    case RELAY_ORDER_N_CELLS:
    default:
      g_assert_not_reached ();
    }

  g_object_set_qdata_full (G_OBJECT (list_item), cell_quark, cell, g_free);
  gtk_list_item_set_child (list_item, child);
  n_setups++;
}

static void
release_item (Cell *cell)
{
  if (cell->item == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cell->notify_ids); i++)
    if (cell->notify_ids[i] != 0)
      g_clear_signal_handler (&cell->notify_ids[i], cell->item);
  g_clear_object (&cell->item);
}

/* Shows @item and follows its notifications. */
static void
show_item (Cell           *cell,
           RelayOrderItem *item)
{
  const CellSpec *spec = &specs[cell->kind];

  if (cell->item == item)
    return;
  release_item (cell);
  cell->item = g_object_ref (item);
  update_cell (cell);
  for (guint i = 0; i < G_N_ELEMENTS (spec->notify) && spec->notify[i] != NULL; i++)
    cell->notify_ids[i] = g_signal_connect_swapped (item, spec->notify[i],
                                                    G_CALLBACK (update_cell), cell);
}

/* GTK 4.8 unbinds and binds a row again when only its position changes (rows
 * above it came or went): the cell keeps its item (a reference) and its
 * notification handlers over an unbind, so that binding the same item again
 * costs nothing.  Another item replaces it; in a row below the view after a
 * new query (relay_order_cells_defer_from()) only when the cell is filled:
 * its text and its notification handlers (a connect and a disconnect per
 * cell, ~2,000 a query change) wait for the frames after the first. */
static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  data)
{
  Cell *cell = g_object_get_qdata (G_OBJECT (list_item), cell_quark);
  RelayOrderItem *item = gtk_list_item_get_item (list_item);

  g_return_if_fail (RELAY_IS_ORDER_ITEM (item));

  if (cell->pending == NULL ? cell->item == item : cell->next == item)
    return;
  if (gtk_list_item_get_position (list_item) < defer_from || cell->item == item)
    {
      unqueue (cell);
      g_clear_object (&cell->next);
      show_item (cell, item);
    }
  else
    {
      g_set_object (&cell->next, item);
      if (cell->pending == NULL)
        queue_fill (cell, gtk_list_item_get_child (list_item));
    }
  n_binds++;
}

static void
teardown_cell (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  data)
{
  Cell *cell = g_object_get_qdata (G_OBJECT (list_item), cell_quark);

  if (cell != NULL)
    {
      unqueue (cell);
      g_clear_object (&cell->next);
      release_item (cell);
    }
  if (g_queue_is_empty (&pending_cells))
    stop_filling_after_paint ();
  gtk_list_item_set_child (list_item, NULL);
  g_object_set_qdata (G_OBJECT (list_item), cell_quark, NULL);
}

GtkListItemFactory *
relay_order_cells_factory_new (RelayOrderCellKind kind)
{
  GtkListItemFactory *factory;
  gpointer data = GUINT_TO_POINTER (kind);

  g_return_val_if_fail (kind < RELAY_ORDER_N_CELLS, NULL);

  if (cell_quark == 0)
    cell_quark = g_quark_from_static_string ("relay-order-cell");

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), data);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), data);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cell), data);
  return factory;
}

void
relay_order_cells_defer_from (guint position)
{
  defer_from = position;
}

guint
relay_order_cells_get_n_pending (void)
{
  return g_queue_get_length (&pending_cells);
}

guint
relay_order_cells_get_n_setups (void)
{
  return n_setups;
}

guint
relay_order_cells_get_n_binds (void)
{
  return n_binds;
}
