/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of RelayClientsPage share: the printed statement. */
#pragma once

#include "relay-clients-page.h"

G_BEGIN_DECLS

/* relay-clients-page-print.c */

/* "1 Nov 2026 – 30 Nov 2026", "since the first entry", "up to now" for
 * @statement's period.  New string. */
char              *relay_clients_page_describe_period  (const RelayStatement *statement);

/* A print operation that draws @statement (taken: the operation frees it):
 * a header with the client and the period on every page, the opening balance,
 * a row per order or payment, the totals with the currency, "Page N of M".
 * Paginated in ::begin-print from the page size and the font. */
GtkPrintOperation *relay_clients_page_print_operation_new (RelayStatement *statement);

G_END_DECLS
