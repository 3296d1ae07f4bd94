/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReportItem: one row of the Reports page's table, as the texts it shows. */
#pragma once

#include <glib-object.h>

#include "relay-store-report.h"

G_BEGIN_DECLS

typedef enum
{
  RELAY_REPORT_COLUMN_KEY,
  RELAY_REPORT_COLUMN_ORDERS,
  RELAY_REPORT_COLUMN_CHARGED,
  RELAY_REPORT_COLUMN_REFUNDED,
  RELAY_REPORT_COLUMN_COST,
  RELAY_REPORT_COLUMN_PROFIT,
  RELAY_REPORT_COLUMN_MARGIN,
  RELAY_REPORT_N_COLUMNS
} RelayReportColumn;

#define RELAY_TYPE_REPORT_ITEM (relay_report_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayReportItem, relay_report_item, RELAY, REPORT_ITEM, GObject)

/* @none_key: what a row without a key (no client, ...) is called. */
RelayReportItem *relay_report_item_new       (const RelayReportRow *row,
                                              const char           *none_key);
const char      *relay_report_item_get_text  (RelayReportItem      *self,
                                              RelayReportColumn     column);
/* Whether the row lost money (its profit is below zero). */
gboolean         relay_report_item_get_loss  (RelayReportItem      *self);

G_END_DECLS
