/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReviewPage: orders whose outcome is unknown or that wait for approval, and a person's answers. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_REVIEW_PAGE (relay_review_page_get_type ())
G_DECLARE_FINAL_TYPE (RelayReviewPage, relay_review_page, RELAY, REVIEW_PAGE, GtkWidget)

/* Properties:
 *   "n-items" (guint, read-only)  how many orders wait in review, for the sidebar's badge
 * Signals:
 *   ::message (const char *text)  a sentence for the window to show as a toast
 */
GtkWidget *relay_review_page_new         (RelayCore       *core);
RelayCore *relay_review_page_get_core    (RelayReviewPage *self);
void       relay_review_page_set_core    (RelayReviewPage *self,
                                          RelayCore       *core);
guint      relay_review_page_get_n_items (RelayReviewPage *self);

G_END_DECLS
