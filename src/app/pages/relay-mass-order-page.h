/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassOrderPage: many orders pasted as text, previewed line by line, recorded at once and
 * sent with progress. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MASS_ORDER_PAGE (relay_mass_order_page_get_type ())
G_DECLARE_FINAL_TYPE (RelayMassOrderPage, relay_mass_order_page, RELAY, MASS_ORDER_PAGE, GtkWidget)

/* The text not sent is kept beside the book (BOOK.mass-order-draft) when the
 * page goes (the window closed, the application quit) and put back, once, by
 * the next page on that book.
 *
 * Signals:
 *   ::message (const char *text)     a sentence for the window to show as a toast
 *   ::order-placed (gint64 first_id) the good lines were recorded as orders (emitted before
 *                                    they are sent); @first_id is the first of them
 */
GtkWidget *relay_mass_order_page_new      (RelayCore          *core);
RelayCore *relay_mass_order_page_get_core (RelayMassOrderPage *self);
void       relay_mass_order_page_set_core (RelayMassOrderPage *self,
                                           RelayCore          *core);
/* Replaces the text in the paste box (it is checked 300 ms later, as if typed). */
void       relay_mass_order_page_set_text (RelayMassOrderPage *self,
                                           const char         *text);
/* The largest CSV file Import CSV… reads. */
#define RELAY_MASS_ORDER_CSV_MAX_BYTES RELAY_MASS_ORDER_MAX_BYTES

/* Reads the CSV file of orders @file (UTF-8, at most
 * RELAY_MASS_ORDER_CSV_MAX_BYTES; the size is checked before reading) without
 * blocking, puts it in the text box and plans it with
 * relay_core_plan_mass_order_csv(): the same preview, line errors and
 * one-transaction submit as pasted lines.  When it completes successfully the
 * preview is up to date.  Clearing the text returns to pasted lines. */
void       relay_mass_order_page_import_csv_async  (RelayMassOrderPage  *self,
                                                    GFile               *file,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean   relay_mass_order_page_import_csv_finish (RelayMassOrderPage  *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Whether orders of this page are being sent right now. */
gboolean   relay_mass_order_page_get_busy (RelayMassOrderPage *self);
/* Whether the good lines of a submit are being written to the book right
 * now (on a worker; ::notify::recording when done, and by then the text holds
 * the lines left).  Quitting meanwhile would lose them: the application waits
 * for it. */
gboolean   relay_mass_order_page_get_recording (RelayMassOrderPage *self);

G_END_DECLS
