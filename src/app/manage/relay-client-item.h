/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientItem: one client as a list item, with their orders and what they owe. */
#pragma once

#include <glib-object.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CLIENT_ITEM (relay_client_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayClientItem, relay_client_item, RELAY, CLIENT_ITEM, GObject)

/* Takes @row.  @currency: the book's, may be NULL. */
RelayClientItem      *relay_client_item_new     (RelayClientRow  *row,
                                                 const char      *currency);
const RelayClientRow *relay_client_item_get_row (RelayClientItem *self);
/* "12.50 USD".  Borrowed. */
const char           *relay_client_item_get_owes_text (RelayClientItem *self);

G_END_DECLS
