/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayProviderItem: one provider of the order book as a list item, with its facts as text. */
#pragma once

#include <glib-object.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_PROVIDER_ITEM (relay_provider_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayProviderItem, relay_provider_item, RELAY, PROVIDER_ITEM, GObject)

/* Takes @row. */
RelayProviderItem      *relay_provider_item_new     (RelayProviderRow  *row);
const RelayProviderRow *relay_provider_item_get_row (RelayProviderItem *self);
gint64                  relay_provider_item_get_id  (RelayProviderItem *self);

G_END_DECLS
