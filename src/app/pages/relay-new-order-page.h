/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayNewOrderPage: the form that places one order, checked live with the core's order rules. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_NEW_ORDER_PAGE (relay_new_order_page_get_type ())
G_DECLARE_FINAL_TYPE (RelayNewOrderPage, relay_new_order_page, RELAY, NEW_ORDER_PAGE, GtkWidget)

/* Signals:
 *   ::message (const char *text)    a sentence for the window to show as a toast
 *   ::order-placed (gint64 first_id) an order was recorded (emitted once it is in the order
 *                                    book, before it is sent)
 */
GtkWidget *relay_new_order_page_new            (RelayCore         *core);
RelayCore *relay_new_order_page_get_core       (RelayNewOrderPage *self);
void       relay_new_order_page_set_core       (RelayNewOrderPage *self,
                                                RelayCore         *core);
/* Selects my service @service_id in the picker; FALSE when there is no such service. */
gboolean   relay_new_order_page_select_service (RelayNewOrderPage *self,
                                                gint64             service_id);
/* Whether an order is being placed or sent from this page right now. */
gboolean   relay_new_order_page_get_busy       (RelayNewOrderPage *self);

G_END_DECLS
