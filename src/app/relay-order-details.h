/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderDetails: the pane beside the orders table with every fact of the
 * selected order, its event history and the Refill / Cancel / Copy link actions. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"
#include "relay-order-item.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDER_DETAILS (relay_order_details_get_type ())
G_DECLARE_FINAL_TYPE (RelayOrderDetails, relay_order_details, RELAY, ORDER_DETAILS, GtkWidget)

void            relay_order_details_set_core      (RelayOrderDetails *self,
                                                   RelayCore         *core);
/* @item NULL shows the "select an order" page.  The pane follows the item's
 * property notifications (the table's in-place updates). */
void            relay_order_details_set_item      (RelayOrderDetails *self,
                                                   RelayOrderItem    *item);
RelayOrderItem *relay_order_details_get_item      (RelayOrderDetails *self);
/* One column (narrow windows) or side by side. */
void            relay_order_details_set_narrow    (RelayOrderDetails *self,
                                                   gboolean           narrow);
/* What is shown, for tests: the title ("Order #12") and the number of events. */
const char     *relay_order_details_get_title     (RelayOrderDetails *self);
guint           relay_order_details_get_n_events  (RelayOrderDetails *self);

G_END_DECLS
