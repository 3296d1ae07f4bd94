/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of the orders table: the list item factory and the rows filled
 * after the first frame.
 *
 * GTK 4.8 keeps about 200 rows alive in a list view, and a new filter or
 * sort binds every one of them again.  A row (RelayOrdersRow) is made once
 * and given each new item; after a new query, the rows below the view are
 * given theirs a few a frame after the first one (see
 * relay_order_cells_defer_from()). */
#include "config.h"

#include "relay-order-cells.h"
#include "relay-order-columns.h"
#include "relay-order-item.h"
#include "relay-orders-row.h"

/* One list item's row and the item it waits for; owned by its GtkListItem. */
typedef struct
{
  RelayOrdersRow  *row;       /* held: GTK may drop the widget before the teardown */
  RelayOrderItem *next;      /* bound, to be shown when filled (pending), held */
  GList          *pending;   /* its link in pending_slots, or NULL */
} Slot;

static GQuark slot_quark;
static guint n_setups;
static guint n_binds;

/* Rows bound while the view moves to a new query's first rows, below the
 * rows it shows: filled a few a frame after it. */
static guint defer_from = G_MAXUINT;
static GQueue pending_slots = G_QUEUE_INIT;
static guint fill_id;                   /* an idle, when no frame clock */
static GdkFrameClock *fill_clock;       /* else after each of its paints */
static gulong fill_clock_id;

/* Rows a turn: the frame after each turn draws that many. */
#define FILL_ROWS_PER_TURN 40

static void
unqueue (Slot *slot)
{
  if (slot->pending == NULL)
    return;
  g_queue_delete_link (&pending_slots, slot->pending);
  slot->pending = NULL;
}

static void
fill_some (void)
{
  for (guint i = 0; i < FILL_ROWS_PER_TURN && !g_queue_is_empty (&pending_slots); i++)
    {
      Slot *slot = g_queue_peek_head (&pending_slots);
      g_autoptr(RelayOrderItem) item = g_steal_pointer (&slot->next);

      unqueue (slot);
      if (item != NULL)
        relay_orders_row_set_item (slot->row, item);
    }
}

static gboolean
fill_idle (gpointer data)
{
  fill_some ();
  if (!g_queue_is_empty (&pending_slots))
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
  if (g_queue_is_empty (&pending_slots))
    stop_filling_after_paint ();
  else
    gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static void
queue_fill (Slot *slot)
{
  GdkFrameClock *clock;

  g_queue_push_tail (&pending_slots, slot);
  slot->pending = g_queue_peek_tail_link (&pending_slots);
  if (fill_clock != NULL || fill_id != 0)
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (slot->row));
  if (clock != NULL)
    {
      fill_clock = g_object_ref (clock);
      fill_clock_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
    }
  else
    fill_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fill_idle, NULL, NULL);
}

static void
free_slot (gpointer data)
{
  Slot *slot = data;

  unqueue (slot);
  g_clear_object (&slot->next);
  g_clear_object (&slot->row);
  g_free (slot);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           RelayOrderColumns        *columns)
{
  Slot *slot = g_new0 (Slot, 1);

  slot->row = RELAY_ORDERS_ROW (g_object_ref_sink (relay_orders_row_new (columns)));
  g_object_set_qdata_full (G_OBJECT (list_item), slot_quark, slot, free_slot);
  gtk_list_item_set_child (list_item, GTK_WIDGET (slot->row));
  n_setups++;
}

/* GTK 4.8 unbinds and binds a row again when only its position changes
 * (rows above it came or went): the row keeps its item (a reference) and
 * its notification handler over an unbind, so that binding the same item
 * again costs nothing.  Another item replaces it; in a row below the view
 * after a new query (relay_order_cells_defer_from()) only when the row is
 * filled, in the frames after the first. */
static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  data)
{
  Slot *slot = g_object_get_qdata (G_OBJECT (list_item), slot_quark);
  RelayOrderItem *item = gtk_list_item_get_item (list_item);
  RelayOrderItem *shown = relay_orders_row_get_item (slot->row);

  g_return_if_fail (RELAY_IS_ORDER_ITEM (item));

  if (slot->pending == NULL ? shown == item : slot->next == item)
    return;
  if (gtk_list_item_get_position (list_item) < defer_from || shown == item)
    {
      unqueue (slot);
      g_clear_object (&slot->next);
      relay_orders_row_set_item (slot->row, item);
    }
  else
    {
      g_set_object (&slot->next, item);
      if (slot->pending == NULL)
        queue_fill (slot);
    }
  n_binds++;
}

static void
teardown_row (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  data)
{
  Slot *slot = g_object_get_qdata (G_OBJECT (list_item), slot_quark);

  if (slot != NULL)
    {
      unqueue (slot);
      g_clear_object (&slot->next);
      relay_orders_row_set_item (slot->row, NULL);
    }
  if (g_queue_is_empty (&pending_slots))
    stop_filling_after_paint ();
  gtk_list_item_set_child (list_item, NULL);
  g_object_set_qdata (G_OBJECT (list_item), slot_quark, NULL);
}

static void
release_columns (gpointer  data,
                 GClosure *closure)
{
  g_object_unref (data);
}

GtkListItemFactory *
relay_order_cells_factory_new (RelayOrderColumns *columns)
{
  GtkListItemFactory *factory;

  g_return_val_if_fail (RELAY_IS_ORDER_COLUMNS (columns), NULL);

  if (slot_quark == 0)
    slot_quark = g_quark_from_static_string ("relay-order-row-slot");

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_data (factory, "setup", G_CALLBACK (setup_row), g_object_ref (columns),
                         release_columns, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row), NULL);
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
  return g_queue_get_length (&pending_slots);
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
