/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports library: resources, style sheet and types. */
#include "config.h"

#include "relay-reports.h"
#include "relay-reports-resources.h"
#include "relay-delivery-chart.h"
#include "relay-profit-chart.h"
#include "relay-report-item.h"
#include "relay-status-chart.h"

void
relay_reports_init (void)
{
  static gsize style_loaded = 0;
  GdkDisplay *display;

  /* Referencing the generated resource keeps its object file (and the
   * constructor that registers it) in the link of the static library. */
  g_assert (relay_reports_get_resource () != NULL);
  g_type_ensure (RELAY_TYPE_REPORT_ITEM);
  g_type_ensure (RELAY_TYPE_PROFIT_CHART);
  g_type_ensure (RELAY_TYPE_STATUS_CHART);
  g_type_ensure (RELAY_TYPE_DELIVERY_CHART);

  display = gdk_display_get_default ();
  if (display != NULL && g_once_init_enter (&style_loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider,
                                           "/io/github/smmrelay/SmmRelay/reports/relay-reports.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&style_loaded, 1);
    }
}
