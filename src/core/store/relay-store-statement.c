/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: a client's ledger for a statement, with the orders it is about. */
#include "config.h"

#include "relay-store-statement.h"
#include "relay-store-private.h"
#include "relay-money.h"

void
relay_statement_entry_free (RelayStatementEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->note);
  g_free (entry->service_name);
  g_free (entry->link);
  g_free (entry->status);
  g_free (entry->currency);
  g_free (entry);
}

gboolean
relay_store_client_statement (RelayStore  *self,
                              gint64       client_id,
                              gint64       from,
                              gint64       to,
                              gint64      *out_opening,
                              GPtrArray  **out_entries,
                              GError     **error)
{
  g_autoptr(RelayStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 opening = 0;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_opening != NULL && out_entries != NULL, FALSE);

  /* The ledger is append-only per client; ledger_client covers the client. */
  stmt = relay_store_prepare (self,
                              "SELECT l.id, l.kind, l.amount, l.at, l.note, l.order_id, "
                              "  o.created_at, s.name, o.link, o.quantity, o.runs, o.status, "
                              /* Not sent yet: the currency its provider will give it. */
                              "  COALESCE (o.currency, (SELECT p.currency FROM providers p "
                              "                         WHERE p.id = o.provider_id)) "
                              "FROM ledger l "
                              "LEFT JOIN orders o ON o.id = l.order_id "
                              "LEFT JOIN services s ON s.id = o.service_id "
                              "WHERE l.client_id = ? AND l.at < ? "
                              "ORDER BY l.at, l.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, to);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_statement_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayStatementEntry *e;
      gint64 at = sqlite3_column_int64 (stmt, 3);

      if (at < from)
        {
          if (!relay_money_add (opening, sqlite3_column_int64 (stmt, 2), &opening, error))
            return FALSE;
          continue;
        }
      e = g_new0 (RelayStatementEntry, 1);
      e->ledger_id = sqlite3_column_int64 (stmt, 0);
      e->kind = relay_stmt_dup_text (stmt, 1);
      e->amount = sqlite3_column_int64 (stmt, 2);
      e->at = at;
      e->note = relay_stmt_dup_text (stmt, 4);
      e->order_id = sqlite3_column_int64 (stmt, 5);
      e->order_created_at = sqlite3_column_int64 (stmt, 6);
      e->service_name = relay_stmt_dup_text (stmt, 7);
      e->link = relay_stmt_dup_text (stmt, 8);
      e->quantity = sqlite3_column_int64 (stmt, 9);
      e->runs = sqlite3_column_int64 (stmt, 10);
      e->status = relay_stmt_dup_text (stmt, 11);
      e->currency = relay_stmt_dup_text (stmt, 12);
      g_ptr_array_add (entries, e);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return FALSE;
    }
  *out_opening = opening;
  *out_entries = g_steal_pointer (&entries);
  return TRUE;
}
