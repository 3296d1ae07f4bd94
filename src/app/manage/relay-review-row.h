/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReviewRow: one order of the review queue, what is known of it, and the answers a person can give. */
#pragma once

#include <gtk/gtk.h>

#include "relay-review-item.h"

G_BEGIN_DECLS

#define RELAY_TYPE_REVIEW_ROW (relay_review_row_get_type ())
G_DECLARE_FINAL_TYPE (RelayReviewRow, relay_review_row, RELAY, REVIEW_ROW, GtkListBoxRow)

/* The row's buttons activate review.placed, review.not-placed, review.resend,
 * review.approve and review.reject with the order id (int64) as target; an
 * ancestor (RelayReviewPage) installs them. */
GtkWidget       *relay_review_row_new      (RelayReviewItem *item);
RelayReviewItem *relay_review_row_get_item (RelayReviewRow  *self);

G_END_DECLS
