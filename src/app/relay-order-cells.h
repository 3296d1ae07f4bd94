/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of the orders table: the kinds of its columns, and the list
 * item factory that makes and binds its rows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* In the order of the table's columns (and of RelayOrderSort). */
typedef enum
{
  RELAY_ORDER_CELL_ID,
  RELAY_ORDER_CELL_CLIENT,
  RELAY_ORDER_CELL_SERVICE,
  RELAY_ORDER_CELL_LINK,
  RELAY_ORDER_CELL_QUANTITY,
  RELAY_ORDER_CELL_PROGRESS,
  RELAY_ORDER_CELL_START_COUNT,
  RELAY_ORDER_CELL_REMAINS,
  RELAY_ORDER_CELL_CHARGE,
  RELAY_ORDER_CELL_STATUS,
  RELAY_ORDER_CELL_UPDATED,
  RELAY_ORDER_N_CELLS
} RelayOrderCellKind;

typedef struct _RelayOrderColumns RelayOrderColumns;

/* A factory for the rows of the orders table over a model of
 * RelayOrderItem: one RelayOrdersRow each (see relay-orders-row.c), placed by
 * @columns.  A row is made once (setup) and kept over every item it shows;
 * binding gives it the item, whose notifications it follows. */
GtkListItemFactory *relay_order_cells_factory_new   (RelayOrderColumns *columns);

/* Rows bound from now on at a position >= @position (G_MAXUINT: none) keep
 * what they show and are filled a few rows per main-loop turn after the
 * next frames.  The orders page sets it while the view moves to a new
 * query's first rows: the ~200 rows GTK 4.8 keeps are rebound at once,
 * but only the ones in view are filled before the first frame. */
void                relay_order_cells_defer_from    (guint position);
/* Rows bound and not filled yet. */
guint               relay_order_cells_get_n_pending (void);

/* Diagnostics for tests and benches: rows set up (widgets made) and bound
 * since the process started, over every factory. */
guint               relay_order_cells_get_n_setups (void);
guint               relay_order_cells_get_n_binds  (void);

G_END_DECLS
