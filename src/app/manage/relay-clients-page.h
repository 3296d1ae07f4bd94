/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientsPage: clients with their orders and what they owe; a client's ledger and payments. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CLIENTS_PAGE (relay_clients_page_get_type ())
G_DECLARE_FINAL_TYPE (RelayClientsPage, relay_clients_page, RELAY, CLIENTS_PAGE, GtkWidget)

/* Signals:
 *   ::message (const char *text)  a sentence for the window to show as a toast
 */
GtkWidget *relay_clients_page_new      (RelayCore        *core);
RelayCore *relay_clients_page_get_core (RelayClientsPage *self);
void       relay_clients_page_set_core (RelayClientsPage *self,
                                        RelayCore        *core);

G_END_DECLS
