/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrdersRow: one row of the orders table, one widget that lays out and
 * draws the columns of one order itself (the status pill is its child). */
#pragma once

#include <gtk/gtk.h>

#include "relay-order-cells.h"
#include "relay-order-columns.h"
#include "relay-order-item.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDERS_ROW (relay_orders_row_get_type ())
G_DECLARE_FINAL_TYPE (RelayOrdersRow, relay_orders_row, RELAY, ORDERS_ROW, GtkWidget)

/* A row whose columns are placed by @columns (held). */
GtkWidget      *relay_orders_row_new      (RelayOrderColumns  *columns);
/* Shows @item (NULL: nothing) and follows the notifications of what its
 * columns show; the row holds a reference. */
void            relay_orders_row_set_item (RelayOrdersRow      *self,
                                          RelayOrderItem     *item);
/* The item shown (borrowed), or NULL. */
RelayOrderItem *relay_orders_row_get_item (RelayOrdersRow      *self);
/* The plain text column @kind shows (borrowed; the link without markup, the
 * status's label, "" when nothing is shown), valid until the row changes. */
const char     *relay_orders_row_get_text (RelayOrdersRow      *self,
                                          RelayOrderCellKind  kind);
/* Where column @kind is drawn, in the row's coordinates: FALSE when hidden. */
gboolean        relay_orders_row_get_column_rect (RelayOrdersRow      *self,
                                                 RelayOrderCellKind  kind,
                                                 graphene_rect_t    *rect);

G_END_DECLS
