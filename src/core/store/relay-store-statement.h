/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client's ledger up to the end of a period, with the order each entry is
 * about: what a statement is made of (see relay_core_client_statement()). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RelayStore RelayStore;

typedef struct
{
  gint64  ledger_id;
  char   *kind;             /* "charge", "refund", "payment", "adjustment" */
  gint64  amount;           /* signed: positive = the client owes more */
  gint64  at;
  char   *note;
  gint64  order_id;         /* 0 when not about an order; then the rest is empty */
  gint64  order_created_at;
  char   *service_name;     /* my service's name; NULL once the service was removed */
  char   *link;
  gint64  quantity;
  gint64  runs;
  char   *status;           /* the order's status now */
  char   *currency;
} RelayStatementEntry;

void relay_statement_entry_free (RelayStatementEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStatementEntry, relay_statement_entry_free)

/* Reads client @client_id's ledger up to @to (exclusive) in one statement (one
 * consistent view of the book): the entries before @from summed into
 * @out_opening with relay_money_add() (RELAY_INPUT_ERROR_RANGE when the sum
 * leaves 64 bits), the others as RelayStatementEntry in @out_entries, in
 * ledger order (time, then id). */
gboolean relay_store_client_statement (RelayStore  *self,
                                       gint64       client_id,
                                       gint64       from,
                                       gint64       to,
                                       gint64      *out_opening,
                                       GPtrArray  **out_entries,
                                       GError     **error);

G_END_DECLS
