/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReviewItem: one order of the review queue as a list item. */
#pragma once

#include <glib-object.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_REVIEW_ITEM (relay_review_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayReviewItem, relay_review_item, RELAY, REVIEW_ITEM, GObject)

/* Takes @order. */
RelayReviewItem     *relay_review_item_new         (RelayOrderRow   *order);
const RelayOrderRow *relay_review_item_get_order   (RelayReviewItem *self);
gint64               relay_review_item_get_id      (RelayReviewItem *self);
/* An order of a manual service waiting for approval (not an unknown outcome). */
gboolean             relay_review_item_is_awaiting_approval (RelayReviewItem *self);

G_END_DECLS
