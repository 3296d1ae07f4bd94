/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayProfitChart: profit per day as bars, losses below the axis. */
#pragma once

#include "relay-chart.h"
#include "relay-store-report.h"

G_BEGIN_DECLS

#define RELAY_TYPE_PROFIT_CHART (relay_profit_chart_get_type ())
G_DECLARE_FINAL_TYPE (RelayProfitChart, relay_profit_chart, RELAY, PROFIT_CHART, RelayChart)

GtkWidget *relay_profit_chart_new      (void);
/* Shows every local day of @report's period, with the profit of its days in
 * @currency (a day without orders is 0).  NULL @report: nothing. */
void       relay_profit_chart_set_report (RelayProfitChart *self,
                                          const RelayReport *report,
                                          const char       *currency);
guint      relay_profit_chart_get_n_days (RelayProfitChart *self);

G_END_DECLS
