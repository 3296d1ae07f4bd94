/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReviewPlacedDialog: "It was placed" — asks the provider's id of an order in review. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_REVIEW_PLACED_DIALOG (relay_review_placed_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RelayReviewPlacedDialog, relay_review_placed_dialog, RELAY, REVIEW_PLACED_DIALOG, GtkWindow)

/* Signals:
 *   ::saved (gint64 order_id)  the order book took the answer (the order is pending); the dialog then closes
 */
RelayReviewPlacedDialog *relay_review_placed_dialog_new (RelayCore *core,
                                                         gint64     order_id,
                                                         GtkWindow *parent);

G_END_DECLS
