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

/* The chosen client's statement for the period chosen on the page (this
 * month by default): see relay_core_client_statement().  NULL with @error
 * when no client is chosen or the book cannot be read. */
RelayStatement *relay_clients_page_dup_statement (RelayClientsPage  *self,
                                                  GError           **error);
/* Writes that statement to @file as CSV (relay_statement_to_csv()), replacing
 * the file, without blocking the main loop. */
void       relay_clients_page_export_statement_async  (RelayClientsPage    *self,
                                                       GFile               *file,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean   relay_clients_page_export_statement_finish (RelayClientsPage  *self,
                                                       GAsyncResult      *result,
                                                       GError           **error);
/* Prints that statement.  With @pdf_path: into that PDF file, no dialog,
 * done when this returns, @out_n_pages (may be NULL) set to its pages.
 * Without: through the print dialog (the printing goes on after this returns;
 * a failure then comes as ::message). */
gboolean   relay_clients_page_print_statement (RelayClientsPage  *self,
                                               const char        *pdf_path,
                                               int               *out_n_pages,
                                               GError           **error);

G_END_DECLS
