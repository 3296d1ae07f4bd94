/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayDeliveryChart: time to complete per provider service as a box plot. */
#pragma once

#include "relay-chart.h"
#include "relay-store-report.h"

G_BEGIN_DECLS

#define RELAY_TYPE_DELIVERY_CHART (relay_delivery_chart_get_type ())
G_DECLARE_FINAL_TYPE (RelayDeliveryChart, relay_delivery_chart, RELAY, DELIVERY_CHART, RelayChart)

GtkWidget *relay_delivery_chart_new      (void);
/* @delivery: RelayDeliveryRow per provider service (copied), or NULL. */
void       relay_delivery_chart_set_rows (RelayDeliveryChart *self,
                                          GPtrArray          *delivery);
/* "45 s", "12 min", "3.5 h", "2.1 d".  New string. */
char      *relay_delivery_chart_format_duration (gint64 seconds);

G_END_DECLS
