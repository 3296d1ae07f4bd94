/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayServicesPage: a provider's catalog with the last sync's changes, and my services mapped to it. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SERVICES_PAGE (relay_services_page_get_type ())
G_DECLARE_FINAL_TYPE (RelayServicesPage, relay_services_page, RELAY, SERVICES_PAGE, GtkWidget)

/* Signals:
 *   ::message (const char *text)  a sentence for the window to show as a toast
 */
GtkWidget *relay_services_page_new      (RelayCore         *core);
RelayCore *relay_services_page_get_core (RelayServicesPage *self);
void       relay_services_page_set_core (RelayServicesPage *self,
                                         RelayCore         *core);

G_END_DECLS
