/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: the providers (panels) the orders go to. */
#include "config.h"

#include "relay-store-private.h"

#define PROVIDER_COLUMNS \
  "id, name, url, key_ref, currency, balance, balance_at, last_error, " \
  "services_synced_at, max_concurrent, created_at, low_balance, funds_needed, " \
  "funds_wait_since"

static RelayProviderRow *
provider_from_stmt (RelayStmt *stmt)
{
  RelayProviderRow *row = g_new0 (RelayProviderRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = relay_stmt_dup_text (stmt, 1);
  row->url = relay_stmt_dup_text (stmt, 2);
  row->key_ref = relay_stmt_dup_text (stmt, 3);
  row->currency = relay_stmt_dup_text (stmt, 4);
  row->has_balance = relay_stmt_get_opt_int64 (stmt, 5, &row->balance);
  row->balance_at = sqlite3_column_int64 (stmt, 6);
  row->last_error = relay_stmt_dup_text (stmt, 7);
  row->services_synced_at = sqlite3_column_int64 (stmt, 8);
  row->max_concurrent = (guint) sqlite3_column_int (stmt, 9);
  row->created_at = sqlite3_column_int64 (stmt, 10);
  if (!relay_stmt_get_opt_int64 (stmt, 11, &row->low_balance))
    row->low_balance = -1;
  if (!relay_stmt_get_opt_int64 (stmt, 12, &row->funds_needed))
    row->funds_needed = -1;
  row->funds_wait_since = row->funds_needed >= 0 ? sqlite3_column_int64 (stmt, 13) : 0;
  return row;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));

  if (*stripped != '\0')
    return TRUE;
  g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
               _("A provider needs a name"));
  return FALSE;
}

static gboolean
set_write_error (RelayStore  *self,
                 const char  *name,
                 GError     **error)
{
  if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS,
                   _("A provider named “%s” already exists"), name);
      return FALSE;
    }
  return relay_store_set_db_error (self, error);
}

static gboolean
set_not_found (gint64   id,
               GError **error)
{
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
               _("No provider with id %" PRId64), id);
  return FALSE;
}

gint64
relay_store_add_provider (RelayStore  *self,
                          const char  *name,
                          const char  *url,
                          const char  *key_ref,
                          GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 id;

  g_return_val_if_fail (RELAY_IS_STORE (self), 0);
  g_return_val_if_fail (url != NULL, 0);

  if (!check_name (name, error))
    return 0;
  stmt = relay_store_prepare (self,
                              "INSERT INTO providers (name, url, key_ref, created_at) "
                              "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  relay_stmt_bind_text (stmt, 1, name);
  relay_stmt_bind_text (stmt, 2, url);
  relay_stmt_bind_text (stmt, 3, key_ref);
  sqlite3_bind_int64 (stmt, 4, relay_store_now ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_write_error (self, name, error);
      return 0;
    }
  id = sqlite3_last_insert_rowid (self->db);

  relay_store_emit_catalog_changed (self, id);
  return id;
}

gboolean
relay_store_update_provider (RelayStore  *self,
                             gint64       id,
                             const char  *name,
                             const char  *url,
                             GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (name != NULL && !check_name (name, error))
    return FALSE;
  stmt = relay_store_prepare (self,
                              "UPDATE providers SET name = COALESCE (?, name), "
                              "url = COALESCE (?, url) WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, name);
  relay_stmt_bind_text (stmt, 2, url);
  sqlite3_bind_int64 (stmt, 3, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_write_error (self, name, error);
  if (sqlite3_changes (self->db) == 0)
    return set_not_found (id, error);

  relay_store_emit_catalog_changed (self, id);
  return TRUE;
}

static gboolean
count_blockers (RelayStore  *self,
                gint64       id,
                gint64      *out_orders,
                gint64      *out_services,
                GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  stmt = relay_store_prepare (self,
                              "SELECT (SELECT COUNT(*) FROM orders WHERE provider_id = ?1 "
                              "          AND status NOT IN ('completed', 'partial', 'canceled', 'failed')), "
                              "       (SELECT COUNT(*) FROM services s JOIN catalog k ON k.id = s.catalog_id "
                              "          WHERE k.provider_id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return relay_store_set_db_error (self, error);
  *out_orders = sqlite3_column_int64 (stmt, 0);
  *out_services = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

gboolean
relay_store_remove_provider (RelayStore  *self,
                             gint64       id,
                             GError     **error)
{
  g_autoptr (RelayProviderRow) provider = NULL;
  gint64 n_orders = 0;
  gint64 n_services = 0;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  provider = relay_store_get_provider (self, id, error);
  if (provider == NULL || !count_blockers (self, id, &n_orders, &n_services, error))
    goto fail;
  if (n_orders > 0)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Provider “%s” has %" PRId64 " order that is not finished; remove it when it is",
                                "Provider “%s” has %" PRId64 " orders that are not finished; remove it when they are",
                                n_orders),
                   provider->name, n_orders);
      goto fail;
    }
  if (n_services > 0)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%" PRId64 " of my services is mapped to provider “%s”; map it elsewhere or remove it first",
                                "%" PRId64 " of my services are mapped to provider “%s”; map them elsewhere or remove them first",
                                n_services),
                   n_services, provider->name);
      goto fail;
    }

  {
    /* The catalog goes with it; finished orders keep their history and lose
     * the link to the provider (ON DELETE SET NULL). */
    g_autoptr (RelayStmt) stmt = relay_store_prepare (self, "DELETE FROM providers WHERE id = ?", error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, id);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        relay_store_set_db_error (self, error);
        goto fail;
      }
  }
  if (!relay_store_commit (self, error))
    return FALSE;

  relay_store_emit_catalog_changed (self, id);
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}

RelayProviderRow *
relay_store_get_provider (RelayStore  *self,
                          gint64       id,
                          GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self, "SELECT " PROVIDER_COLUMNS " FROM providers WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return provider_from_stmt (stmt);
  if (rc == SQLITE_DONE)
    set_not_found (id, error);
  else
    relay_store_set_db_error (self, error);
  return NULL;
}

RelayProviderRow *
relay_store_find_provider (RelayStore  *self,
                           const char  *name,
                           GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = relay_store_prepare (self, "SELECT " PROVIDER_COLUMNS " FROM providers WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  relay_stmt_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return provider_from_stmt (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                 _("No provider named “%s”"), name);
  else
    relay_store_set_db_error (self, error);
  return NULL;
}

GPtrArray *
relay_store_list_providers (RelayStore  *self,
                            GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self, "SELECT " PROVIDER_COLUMNS " FROM providers ORDER BY name, id",
                              error);
  if (stmt == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, provider_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
update_provider_field (RelayStore  *self,
                       gint64       id,
                       RelayStmt   *stmt,
                       GError     **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  if (sqlite3_changes (self->db) == 0)
    return set_not_found (id, error);
  relay_store_emit_catalog_changed (self, id);
  return TRUE;
}

gboolean
relay_store_set_provider_balance (RelayStore  *self,
                                  gint64       id,
                                  gint64       balance,
                                  const char  *currency,
                                  GError     **error)
{
  static const char sql[] =
    "UPDATE providers SET balance = ?, currency = COALESCE (?, currency), balance_at = ? "
    "WHERE id = ?";
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  stmt = relay_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, balance);
  relay_stmt_bind_text (stmt, 2, currency);
  sqlite3_bind_int64 (stmt, 3, relay_store_now ());
  sqlite3_bind_int64 (stmt, 4, id);
  return update_provider_field (self, id, stmt, error);
}

gboolean
relay_store_set_provider_error (RelayStore  *self,
                                gint64       id,
                                const char  *message,
                                GError     **error)
{
  static const char sql[] = "UPDATE providers SET last_error = ? WHERE id = ?";
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  stmt = relay_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, message);
  sqlite3_bind_int64 (stmt, 2, id);
  return update_provider_field (self, id, stmt, error);
}

/* ---- funds: the low-balance threshold and the wait for funds ---- */

gboolean
relay_store_set_low_balance (RelayStore  *self,
                             gint64       id,
                             gint64       threshold,
                             GError     **error)
{
  static const char sql[] = "UPDATE providers SET low_balance = ? WHERE id = ?";
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (threshold < -1)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A low-balance threshold cannot be negative"));
      return FALSE;
    }
  if (threshold >= 0 && !relay_money_check_amount (threshold, error))
    return FALSE;
  stmt = relay_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_opt_int64 (stmt, 1, threshold >= 0, threshold);
  sqlite3_bind_int64 (stmt, 2, id);
  return update_provider_field (self, id, stmt, error);
}

/* Runs a guarded UPDATE of one provider: *@out_changed says whether this call
 * changed the row (another process may have got there first). */
static gboolean
step_guarded (RelayStore  *self,
              RelayStmt   *stmt,
              gboolean    *out_changed,
              GError     **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  *out_changed = sqlite3_changes (self->db) > 0;
  return TRUE;
}

gboolean
relay_store_start_funds_wait (RelayStore  *self,
                              gint64       id,
                              gint64       needed,
                              gboolean     at_least,
                              gboolean    *out_started,
                              GError     **error)
{
  gboolean started = FALSE;
  gboolean changed = FALSE;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (needed >= 0, FALSE);

  {
    /* Only the UPDATE that finds it not waiting starts the wait: of two
     * processes (or runs) that find the same shortage, one announces it. */
    g_autoptr (RelayStmt) stmt =
      relay_store_prepare (self,
                           "UPDATE providers SET funds_needed = ?1, funds_wait_since = ?2 "
                           "WHERE id = ?3 AND funds_needed IS NULL", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, needed);
    sqlite3_bind_int64 (stmt, 2, relay_store_now ());
    sqlite3_bind_int64 (stmt, 3, id);
    if (!step_guarded (self, stmt, &started, error))
      return FALSE;
  }
  if (!started)
    {
      /* Waiting already: only what they need may have changed (grown, when
       * @needed counts only some of the orders). */
      g_autoptr (RelayStmt) stmt =
        relay_store_prepare (self,
                             at_least
                             ? "UPDATE providers SET funds_needed = ?1 "
                               "WHERE id = ?2 AND funds_needed IS NOT NULL AND funds_needed < ?1"
                             : "UPDATE providers SET funds_needed = ?1 "
                               "WHERE id = ?2 AND funds_needed IS NOT NULL AND funds_needed != ?1",
                             error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, needed);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!step_guarded (self, stmt, &changed, error))
        return FALSE;
    }
  if (started || changed)
    relay_store_emit_catalog_changed (self, id);
  if (out_started != NULL)
    *out_started = started;
  return TRUE;
}

gboolean
relay_store_end_funds_wait (RelayStore  *self,
                            gint64       id,
                            gboolean    *out_ended,
                            GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  gboolean ended = FALSE;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  stmt = relay_store_prepare (self,
                              "UPDATE providers SET funds_needed = NULL, funds_wait_since = 0 "
                              "WHERE id = ? AND funds_needed IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_guarded (self, stmt, &ended, error))
    return FALSE;
  if (ended)
    relay_store_emit_catalog_changed (self, id);
  if (out_ended != NULL)
    *out_ended = ended;
  return TRUE;
}

static GArray *
collect_ids (RelayStore  *self,
             RelayStmt   *stmt,
             GError     **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

GArray *
relay_store_list_due_providers (RelayStore  *self,
                                gint64       now,
                                GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  /* Not the providers of the due orders themselves: with thousands queued
   * that read takes a table lookup per order on the main thread.  The
   * providers my services send to (or fall back to) are a small join, and
   * whether any order is due one look at orders_due. */
  stmt = relay_store_prepare (self,
                              "SELECT k.provider_id FROM services s "
                              "  JOIN catalog k ON k.id = s.catalog_id "
                              "  WHERE EXISTS (SELECT 1 FROM orders "
                              "                WHERE status = 'queued' AND next_attempt_at <= ?1) "
                              "UNION "
                              "SELECT k.provider_id FROM services s "
                              "  JOIN catalog k ON k.id = s.fallback_catalog_id "
                              "  WHERE EXISTS (SELECT 1 FROM orders "
                              "                WHERE status = 'queued' AND next_attempt_at <= ?1) "
                              "ORDER BY 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return collect_ids (self, stmt, error);
}

gboolean
relay_store_count_queued_for_provider (RelayStore  *self,
                                       gint64       id,
                                       gint64      *out_count,
                                       GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  /* Not those queued for a later retry (a rate limit, a network error):
   * what holds them is not the balance. */
  stmt = relay_store_prepare (self,
                              "SELECT COUNT(*) FROM orders WHERE provider_id = ? AND status = 'queued' "
                              "  AND next_attempt_at <= ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, relay_store_now ());
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return relay_store_set_db_error (self, error);
  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}
