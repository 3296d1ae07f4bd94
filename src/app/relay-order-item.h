/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderItem: one order of the book as a GObject with a property for every
 * fact the table and the details pane show. */
#pragma once

#include <glib-object.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDER_ITEM (relay_order_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayOrderItem, relay_order_item, RELAY, ORDER_ITEM, GObject)

RelayOrderItem   *relay_order_item_new              (const RelayOrderRow *row);
/* Copies @row (same id) into the item, notifying only the properties whose
 * value changed, in one batch. */
void              relay_order_item_update_from_row  (RelayOrderItem      *self,
                                                     const RelayOrderRow *row);
/* Recomputes the "updated" text against @now (Unix seconds). */
void              relay_order_item_refresh_times    (RelayOrderItem      *self,
                                                     gint64               now);

gint64            relay_order_item_get_id           (RelayOrderItem *self);
RelayOrderStatus  relay_order_item_get_status       (RelayOrderItem *self);
const char       *relay_order_item_get_link         (RelayOrderItem *self);
gboolean          relay_order_item_get_can_refill   (RelayOrderItem *self);
gboolean          relay_order_item_get_can_cancel   (RelayOrderItem *self);
gint64            relay_order_item_get_updated_at   (RelayOrderItem *self);

/* What the table's cells show (borrowed, never NULL once the item has a
 * row): the same values as the properties of the same names, read without
 * a GValue. */
const char       *relay_order_item_get_client       (RelayOrderItem *self);
const char       *relay_order_item_get_service      (RelayOrderItem *self);
const char       *relay_order_item_get_link_markup  (RelayOrderItem *self);
const char       *relay_order_item_get_quantity_text (RelayOrderItem *self);
double            relay_order_item_get_progress     (RelayOrderItem *self);
const char       *relay_order_item_get_progress_text (RelayOrderItem *self);
const char       *relay_order_item_get_start_count_text (RelayOrderItem *self);
const char       *relay_order_item_get_remains_text (RelayOrderItem *self);
const char       *relay_order_item_get_charge_text  (RelayOrderItem *self);
const char       *relay_order_item_get_updated_text (RelayOrderItem *self);

G_END_DECLS
