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
 * first row of its category in the list, which shows the category.
 * @first_sync: the provider's catalog came in whole at its last sync (every
 * service is "new"), so nothing is badged New: new is only what a provider
 * adds to a catalog that was known. */
RelayCatalogItem      *relay_catalog_item_new     (RelayCatalogRow  *row,
                                                   const char       *currency,
                                                   gboolean          group_start,
                                                   gboolean          first_sync);
/* Whether every service still offered in @rows (RelayCatalogRow) is marked
 * "new": the catalog's first sync. */
gboolean               relay_catalog_rows_first_sync (GPtrArray *rows);
const RelayCatalogRow *relay_catalog_item_get_row (RelayCatalogItem *self);
/* "New · Rate ↑ 0.90 → 1.20", or NULL when the last sync changed nothing. */
const char            *relay_catalog_item_get_change_text (RelayCatalogItem *self);

G_END_DECLS
