/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayServiceItem: one of my services as a list-model item, with the texts the picker shows. */
#pragma once

#include <glib-object.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SERVICE_ITEM (relay_service_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayServiceItem, relay_service_item, RELAY, SERVICE_ITEM, GObject)

/* Takes ownership of @row. */
RelayServiceItem      *relay_service_item_new            (RelayServiceRow  *row);
/* Borrowed; valid as long as the item. */
const RelayServiceRow *relay_service_item_get_row        (RelayServiceItem *self);
gint64                 relay_service_item_get_id         (RelayServiceItem *self);
const char            *relay_service_item_get_name       (RelayServiceItem *self);
const char            *relay_service_item_get_search_text (RelayServiceItem *self);
/* FALSE when relay_service_check_orderable() refuses the service;
 * relay_service_item_get_reason() then says why. */
gboolean               relay_service_item_get_orderable  (RelayServiceItem *self);
const char            *relay_service_item_get_reason     (RelayServiceItem *self);

G_END_DECLS
