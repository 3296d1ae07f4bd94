/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStatusChart: the period's orders by status as one stacked bar with a legend. */
#pragma once

#include "relay-chart.h"
#include "relay-store-report.h"

G_BEGIN_DECLS

#define RELAY_TYPE_STATUS_CHART (relay_status_chart_get_type ())
G_DECLARE_FINAL_TYPE (RelayStatusChart, relay_status_chart, RELAY, STATUS_CHART, RelayChart)

GtkWidget *relay_status_chart_new        (void);
/* @by_status: RELAY_ORDER_N_STATUSES counts, or NULL for none. */
void       relay_status_chart_set_counts (RelayStatusChart *self,
                                          const gint64     *by_status);

G_END_DECLS
