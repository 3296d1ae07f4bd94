/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderColumns: the columns' places, read from the table's header by
 * the orders page after each allocation, and followed by every row. */
#include "config.h"

#include "relay-order-columns.h"

struct _RelayOrderColumns
{
  GObject               parent_instance;

  RelayOrderColumnPlace places[RELAY_ORDER_N_CELLS];
  int                   total_width;
};

G_DEFINE_FINAL_TYPE (RelayOrderColumns, relay_order_columns, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
relay_order_columns_class_init (RelayOrderColumnsClass *klass)
{
  /**
   * RelayOrderColumns::changed:
   *
   * A column moved, was resized, shown or hidden, or the rows' width changed.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
relay_order_columns_init (RelayOrderColumns *self)
{
}

RelayOrderColumns *
relay_order_columns_new (void)
{
  return g_object_new (RELAY_TYPE_ORDER_COLUMNS, NULL);
}

void
relay_order_columns_set (RelayOrderColumns           *self,
                         const RelayOrderColumnPlace *places,
                         int                          total_width)
{
  gboolean changed = self->total_width != total_width;

  g_return_if_fail (RELAY_IS_ORDER_COLUMNS (self));
  g_return_if_fail (places != NULL);

  for (guint i = 0; i < RELAY_ORDER_N_CELLS; i++)
    {
      RelayOrderColumnPlace place = places[i];

      if (!place.visible)
        place.x = place.width = 0;
      place.visible = place.visible != FALSE;
      if (place.visible != self->places[i].visible || place.x != self->places[i].x ||
          place.width != self->places[i].width)
        {
          self->places[i] = place;
          changed = TRUE;
        }
    }
  self->total_width = total_width;
  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
relay_order_columns_get (RelayOrderColumns  *self,
                         RelayOrderCellKind  kind,
                         int                *x,
                         int                *width)
{
  g_return_val_if_fail (RELAY_IS_ORDER_COLUMNS (self), FALSE);
  g_return_val_if_fail (kind < RELAY_ORDER_N_CELLS, FALSE);

  if (x != NULL)
    *x = self->places[kind].x;
  if (width != NULL)
    *width = self->places[kind].width;
  return self->places[kind].visible;
}

int
relay_order_columns_get_total_width (RelayOrderColumns *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_COLUMNS (self), 0);
  return self->total_width;
}

RelayOrderCellKind
relay_order_columns_kind_at (RelayOrderColumns *self,
                             int                x)
{
  g_return_val_if_fail (RELAY_IS_ORDER_COLUMNS (self), RELAY_ORDER_N_CELLS);

  for (guint i = 0; i < RELAY_ORDER_N_CELLS; i++)
    {
      const RelayOrderColumnPlace *place = &self->places[i];

      if (place->visible && x >= place->x && x < place->x + place->width)
        return (RelayOrderCellKind) i;
    }
  return RELAY_ORDER_N_CELLS;
}
