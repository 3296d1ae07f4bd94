/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCatalogItem: one service of a provider's catalog as a list item, with what the last sync changed. */
#pragma once

#include <glib-object.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

/* What the last sync did to a catalog row, summed up for counts. */
typedef enum
{
  RELAY_CATALOG_CHANGE_NONE,
  RELAY_CATALOG_CHANGE_NEW,
  RELAY_CATALOG_CHANGE_CHANGED,   /* rate, limits or type */
  RELAY_CATALOG_CHANGE_REMOVED,
} RelayCatalogChange;

/* Reads RelayCatalogRow.change (a comma list, or NULL). */
RelayCatalogChange relay_catalog_change_from_markers (const char *markers);

#define RELAY_TYPE_CATALOG_ITEM (relay_catalog_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayCatalogItem, relay_catalog_item, RELAY, CATALOG_ITEM, GObject)

/* Takes @row.  @currency: the provider's, may be NULL.  @group_start: the
 * first row of its category in the list, which shows the category. */
RelayCatalogItem      *relay_catalog_item_new     (RelayCatalogRow  *row,
                                                   const char       *currency,
                                                   gboolean          group_start);
const RelayCatalogRow *relay_catalog_item_get_row (RelayCatalogItem *self);
/* "New · Rate ↑ 0.90 → 1.20", or NULL when the last sync changed nothing. */
const char            *relay_catalog_item_get_change_text (RelayCatalogItem *self);

G_END_DECLS
