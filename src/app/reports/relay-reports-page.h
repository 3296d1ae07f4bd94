/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReportsPage: what the order book says about a period, in figures and charts. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_REPORTS_PAGE (relay_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (RelayReportsPage, relay_reports_page, RELAY, REPORTS_PAGE, GtkWidget)

/* Properties:
 *   core     RelayCore   the engine the report is asked from
 *   loading  gboolean    a report is being read
 * Signals:
 *   ::message (const char *text)  a sentence for the window to show as a toast */
GtkWidget         *relay_reports_page_new         (RelayCore        *core);
RelayCore         *relay_reports_page_get_core    (RelayReportsPage *self);
void               relay_reports_page_set_core    (RelayReportsPage *self,
                                                   RelayCore        *core);
gboolean           relay_reports_page_get_loading (RelayReportsPage *self);
/* The report shown, or NULL (before the first one, or after an error). */
const RelayReport *relay_reports_page_get_report  (RelayReportsPage *self);
/* Asks for the report again (the book changed). */
void               relay_reports_page_reload      (RelayReportsPage *self);

G_END_DECLS
