/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: my clients and their ledger (charges, refunds, payments). */
#include "config.h"

#include "relay-store-private.h"

/* n_active counts what RELAY_ORDER_FILTER_ACTIVE shows.  The balance is not
 * SQL's SUM(), which fails the whole query with "integer overflow" once a
 * ledger sums past 64 bits: see ledger_sum(). */
#define CLIENT_SELECT \
  "SELECT c.id, c.name, " \
  "  (SELECT COUNT(*) FROM orders o WHERE o.client_id = c.id), " \
  "  (SELECT COUNT(*) FROM orders o WHERE o.client_id = c.id AND o.status IN " \
  "     ('scheduled', 'queued', 'sending', 'pending', 'processing', 'in_progress')), " \
  "  c.created_at " \
  "FROM clients c "

/* A client's ledger summed in 128 bits (2^63 rows of 2^63 fit), so reading a
 * huge or hostile book never fails: a balance outside +-G_MAXINT64 is given
 * as that limit with balance_beyond = +1 / -1.  Charges, refunds and adjustments
 * are facts and are never refused for the balance (each is at most
 * RELAY_MONEY_MAX_AMOUNT); what a person enters, a payment, is refused when
 * it would take the balance out of range (relay_store_add_payment()). */
static gboolean
ledger_sum (RelayStore  *self,
            gint64       client_id,
            __int128    *out_sum,
            GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  __int128 sum = 0;
  int rc;

  /* SQLite's SUM() over the covering index ledger_client (client_id, amount)
   * is exact while the sum fits 64 bits and several times faster than
   * stepping every row here; only when it reports an overflow is the ledger
   * summed row by row in 128 bits. */
  stmt = relay_store_prepare (self, "SELECT SUM(amount) FROM ledger WHERE client_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_sum = sqlite3_column_int64 (stmt, 0);   /* NULL (no entry) reads 0 */
      return TRUE;
    }
  /* "integer overflow" (or another failure, which the loop reports) */
  g_clear_pointer (&stmt, relay_stmt_release);

  stmt = relay_store_prepare (self, "SELECT amount FROM ledger WHERE client_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    sum += sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  *out_sum = sum;
  return TRUE;
}

static RelayClientRow *
client_from_stmt (RelayStore  *self,
                  RelayStmt   *stmt,
                  GError     **error)
{
  g_autoptr (RelayClientRow) row = g_new0 (RelayClientRow, 1);
  __int128 sum;

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = relay_stmt_dup_text (stmt, 1);
  row->n_orders = sqlite3_column_int64 (stmt, 2);
  row->n_active = sqlite3_column_int64 (stmt, 3);
  row->created_at = sqlite3_column_int64 (stmt, 4);
  if (!ledger_sum (self, row->id, &sum, error))
    return NULL;
  row->balance_beyond = sum > G_MAXINT64 ? 1 : sum < -G_MAXINT64 ? -1 : 0;
  row->balance = row->balance_beyond > 0 ? G_MAXINT64
               : row->balance_beyond < 0 ? -G_MAXINT64 : (gint64) sum;
  return g_steal_pointer (&row);
}

static gboolean
set_not_found (gint64   id,
               GError **error)
{
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
               _("No client with id %" PRId64), id);
  return FALSE;
}

gint64
relay_store_add_client (RelayStore  *self,
                        const char  *name,
                        GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));
  gint64 id;

  g_return_val_if_fail (RELAY_IS_STORE (self), 0);

  if (*stripped == '\0')
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID, _("A client needs a name"));
      return 0;
    }
  stmt = relay_store_prepare (self, "INSERT INTO clients (name, created_at) VALUES (?, ?)", error);
  if (stmt == NULL)
    return 0;
  relay_stmt_bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, relay_store_now ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS,
                     _("A client named “%s” already exists"), name);
      else
        relay_store_set_db_error (self, error);
      return 0;
    }
  id = sqlite3_last_insert_rowid (self->db);

  relay_store_emit_clients_changed (self);
  return id;
}

RelayClientRow *
relay_store_find_client (RelayStore  *self,
                         const char  *name,
                         GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = relay_store_prepare (self, CLIENT_SELECT "WHERE c.name = ?", error);
  if (stmt == NULL)
    return NULL;
  relay_stmt_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return client_from_stmt (self, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                 _("No client named “%s”"), name);
  else
    relay_store_set_db_error (self, error);
  return NULL;
}

RelayClientRow *
relay_store_get_client (RelayStore  *self,
                        gint64       id,
                        GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self, CLIENT_SELECT "WHERE c.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return client_from_stmt (self, stmt, error);
  if (rc == SQLITE_DONE)
    set_not_found (id, error);
  else
    relay_store_set_db_error (self, error);
  return NULL;
}

GPtrArray *
relay_store_list_clients (RelayStore  *self,
                          GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self, CLIENT_SELECT "ORDER BY c.name, c.id", error);
  if (stmt == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_client_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayClientRow *row = client_from_stmt (self, stmt, error);

      if (row == NULL)
        return NULL;
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
relay_store_list_client_names (RelayStore  *self,
                               GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  /* No order or ledger row is read: a client with a million orders costs
   * the same as one with none (relay_store_list_clients() counts them). */
  stmt = relay_store_prepare (self, "SELECT id, name, created_at FROM clients ORDER BY name, id",
                              error);
  if (stmt == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_client_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayClientRow *row = g_new0 (RelayClientRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->name = relay_stmt_dup_text (stmt, 1);
      row->created_at = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
client_exists (RelayStore  *self,
               gint64       id,
               GError     **error)
{
  g_autoptr (RelayStmt) stmt = relay_store_prepare (self, "SELECT 1 FROM clients WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    return set_not_found (id, error);
  return relay_store_set_db_error (self, error);
}

static GPtrArray *read_ledger_rows (RelayStore *self, RelayStmt *stmt, GError **error);

GPtrArray *
relay_store_list_ledger (RelayStore  *self,
                         gint64       client_id,
                         GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  if (!client_exists (self, client_id, error))
    return NULL;
  stmt = relay_store_prepare (self,
                              "SELECT id, client_id, order_id, event_id, kind, amount, note, at "
                              "FROM ledger WHERE client_id = ? ORDER BY at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  return read_ledger_rows (self, stmt, error);
}

/* How many of the ledger's last rows relay_store_list_ledger_recent() looks
 * at before it asks the client's index. */
#define RECENT_WINDOW 20000

static GPtrArray *read_ledger_rows (RelayStore *self, RelayStmt *stmt, GError **error);

GPtrArray *
relay_store_list_ledger_recent (RelayStore  *self,
                                gint64       client_id,
                                guint        limit,
                                GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  if (!client_exists (self, client_id, error))
    return NULL;
  /* The newest @limit of the client, oldest of them first.  The ledger is
   * append-only, so its newest are its highest ids.  First the last
   * RECENT_WINDOW rows of the whole ledger (a rowid range: a few ms): when
   * they hold @limit of the client, those are its @limit highest ids (every
   * one above the window's start is in it).  Else (a client with few recent
   * entries) the client's ids through ledger_client, which holds them all. */
  stmt = relay_store_prepare (self,
                              "SELECT id, client_id, order_id, event_id, kind, amount, note, at "
                              "FROM (SELECT * FROM ledger NOT INDEXED WHERE client_id = ?1 "
                              "      AND id > (SELECT MAX(id) FROM ledger) - ?3 "
                              "      ORDER BY id DESC LIMIT ?2) "
                              "ORDER BY at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, MAX (RECENT_WINDOW, (gint64) limit * 4));
  rows = read_ledger_rows (self, stmt, error);
  if (rows == NULL || rows->len >= limit)
    return g_steal_pointer (&rows);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&stmt, relay_stmt_release);

  stmt = relay_store_prepare (self,
                              "SELECT id, client_id, order_id, event_id, kind, amount, note, at "
                              "FROM ledger WHERE id IN "
                              "  (SELECT id FROM ledger WHERE client_id = ? ORDER BY id DESC LIMIT ?) "
                              "ORDER BY at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  return read_ledger_rows (self, stmt, error);
}

static GPtrArray *
read_ledger_rows (RelayStore  *self,
                  RelayStmt   *stmt,
                  GError     **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_ledger_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayLedgerEntry *entry = g_new0 (RelayLedgerEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->client_id = sqlite3_column_int64 (stmt, 1);
      entry->order_id = sqlite3_column_int64 (stmt, 2);
      entry->event_id = sqlite3_column_int64 (stmt, 3);
      entry->kind = relay_stmt_dup_text (stmt, 4);
      entry->amount = sqlite3_column_int64 (stmt, 5);
      entry->note = relay_stmt_dup_text (stmt, 6);
      entry->at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (rows, entry);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

char *
relay_store_dup_book_currency (RelayStore *self)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *currency = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self,
                              "SELECT DISTINCT currency FROM providers "
                              "WHERE currency IS NOT NULL AND currency <> '' LIMIT 2", NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  currency = relay_stmt_dup_text (stmt, 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&currency);
}

gboolean
relay_store_add_payment (RelayStore  *self,
                         gint64       client_id,
                         gint64       amount,
                         const char  *note,
                         GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  __int128 balance;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (amount <= 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A payment must be more than zero"));
      return FALSE;
    }
  if (!relay_money_check_amount (amount, error))
    return FALSE;
  if (!client_exists (self, client_id, error))
    return FALSE;
  /* A payment is in money people hold: no fractions of a cent, else the
   * ledger and the balance, each rounded, disagree on screen. */
  {
    g_autofree char *currency = relay_store_dup_book_currency (self);

    if (!relay_money_check_decimals (amount, currency, error))
      return FALSE;
  }
  /* The balance after the payment must stay countable (a payment only
   * lowers it, so the bound below is the one to keep). */
  if (!ledger_sum (self, client_id, &balance, error))
    return FALSE;
  if (balance - amount < -G_MAXINT64)
    {
      g_autofree char *limit = relay_money_format (-G_MAXINT64);

      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("This payment would take the client’s balance below %s, more than SMM Relay can count"),
                   limit);
      return FALSE;
    }
  stmt = relay_store_prepare (self,
                              "INSERT INTO ledger (client_id, kind, amount, note, at) "
                              "VALUES (?, 'payment', ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, -amount);
  relay_stmt_bind_text (stmt, 3, note);
  sqlite3_bind_int64 (stmt, 4, relay_store_now ());
  if (!relay_store_step_done (self, stmt, error))
    return FALSE;

  relay_store_emit_clients_changed (self);
  return TRUE;
}
