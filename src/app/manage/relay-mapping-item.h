/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMappingItem: one of my services as a list item, with its margin and whether it blocks ordering. */
#pragma once

#include <glib-object.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MAPPING_ITEM (relay_mapping_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayMappingItem, relay_mapping_item, RELAY, MAPPING_ITEM, GObject)

/* Takes @row. */
RelayMappingItem      *relay_mapping_item_new         (RelayServiceRow  *row);
const RelayServiceRow *relay_mapping_item_get_row     (RelayMappingItem *self);
/* Why orders of this service are refused (relay_service_check_orderable()),
 * or NULL when they are not. */
const char            *relay_mapping_item_get_problem (RelayMappingItem *self);
/* How @row is priced, for people: "Fixed", "Rate + 35 %, rounded up to
 * 0.05 USD".  New string. */
char                  *relay_mapping_item_describe_pricing (const RelayServiceRow *row);

G_END_DECLS
