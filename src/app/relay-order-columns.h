/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderColumns: where each column of the orders table is, shared by
 * the table's header (which places the columns) and its rows (which draw
 * them). */
#pragma once

#include <glib-object.h>

#include "relay-order-cells.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDER_COLUMNS (relay_order_columns_get_type ())
G_DECLARE_FINAL_TYPE (RelayOrderColumns, relay_order_columns, RELAY, ORDER_COLUMNS, GObject)

/* One column's place in a row, in pixels from the row's left edge. */
typedef struct
{
  gboolean visible;
  int      x;
  int      width;
} RelayOrderColumnPlace;

RelayOrderColumns *relay_order_columns_new             (void);
/* Sets every column's place (@places: RELAY_ORDER_N_CELLS of them) and the
 * width of a row; emits ::changed once if anything differs. */
void               relay_order_columns_set             (RelayOrderColumns           *self,
                                                        const RelayOrderColumnPlace *places,
                                                        int                          total_width);
/* Whether column @kind is shown; its x and width when it is (else 0). */
gboolean           relay_order_columns_get             (RelayOrderColumns           *self,
                                                        RelayOrderCellKind           kind,
                                                        int                         *x,
                                                        int                         *width);
/* The width of a row: the header's. */
int                relay_order_columns_get_total_width (RelayOrderColumns           *self);
/* The kind of the shown column at @x (pixels from a row's left edge), or
 * RELAY_ORDER_N_CELLS where there is none. */
RelayOrderCellKind relay_order_columns_kind_at         (RelayOrderColumns           *self,
                                                        int                          x);

G_END_DECLS
