/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStatusPill: an order status as a small coloured label. */
#pragma once

#include <gtk/gtk.h>

#include "relay-order-status.h"

G_BEGIN_DECLS

#define RELAY_TYPE_STATUS_PILL (relay_status_pill_get_type ())
G_DECLARE_FINAL_TYPE (RelayStatusPill, relay_status_pill, RELAY, STATUS_PILL, GtkWidget)

GtkWidget        *relay_status_pill_new        (void);
/* RELAY_ORDER_N_STATUSES shows nothing. */
void              relay_status_pill_set_status (RelayStatusPill  *self,
                                                RelayOrderStatus  status);
RelayOrderStatus  relay_status_pill_get_status (RelayStatusPill  *self);

G_END_DECLS
