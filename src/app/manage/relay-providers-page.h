/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayProvidersPage: the provider panels, their balances and last errors; add, edit, remove, test. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_PROVIDERS_PAGE (relay_providers_page_get_type ())
G_DECLARE_FINAL_TYPE (RelayProvidersPage, relay_providers_page, RELAY, PROVIDERS_PAGE, GtkWidget)

/* Signals:
 *   ::message (const char *text)  a sentence for the window to show as a toast
 */
GtkWidget *relay_providers_page_new      (RelayCore          *core);
RelayCore *relay_providers_page_get_core (RelayProvidersPage *self);
void       relay_providers_page_set_core (RelayProvidersPage *self,
                                          RelayCore          *core);

G_END_DECLS
