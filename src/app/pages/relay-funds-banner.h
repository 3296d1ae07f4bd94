/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayFundsBanner: a warning strip over a page while a provider's balance is below its
 * threshold or its orders wait for funds, with a button that asks the balances again. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_FUNDS_BANNER (relay_funds_banner_get_type ())
G_DECLARE_FINAL_TYPE (RelayFundsBanner, relay_funds_banner, RELAY, FUNDS_BANNER, GtkWidget)

GtkWidget  *relay_funds_banner_new      (RelayCore        *core);
RelayCore  *relay_funds_banner_get_core (RelayFundsBanner *self);
/* Follows @core's providers (their balances, thresholds and waits). */
void        relay_funds_banner_set_core (RelayFundsBanner *self,
                                         RelayCore        *core);
/* What the banner says, one provider's state a line ("Balance at P is low:
 * 3.20 USD (warning below 10.00 USD)", "N orders wait for funds at P (needs
 * X, has Y)"); NULL while it is hidden. */
const char *relay_funds_banner_get_text (RelayFundsBanner *self);

G_END_DECLS
