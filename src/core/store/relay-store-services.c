/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: my services, what my clients order, each mapped to a provider
 * service with an optional fallback. */
#include "config.h"

#include "relay-store-private.h"

#define SERVICE_SELECT \
  "SELECT s.id, s.name, s.price, s.manual, s.catalog_id, s.fallback_catalog_id, p.currency, " \
  "  s.markup_ppm, s.price_step " \
  "FROM services s JOIN catalog k ON k.id = s.catalog_id JOIN providers p ON p.id = k.provider_id "

static gboolean
set_not_found (gint64   id,
               GError **error)
{
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
               _("No service with id %" PRId64), id);
  return FALSE;
}

/* Reads the current row of @stmt, then the provider services it maps to. */
static RelayServiceRow *
service_from_stmt (RelayStore  *self,
                   RelayStmt   *stmt,
                   GError     **error)
{
  g_autoptr (RelayServiceRow) row = g_new0 (RelayServiceRow, 1);
  gint64 catalog_id;
  gint64 fallback_id;

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = relay_stmt_dup_text (stmt, 1);
  row->price = sqlite3_column_int64 (stmt, 2);
  row->manual = sqlite3_column_int (stmt, 3) != 0;
  catalog_id = sqlite3_column_int64 (stmt, 4);
  fallback_id = sqlite3_column_int64 (stmt, 5);
  row->currency = relay_stmt_dup_text (stmt, 6);
  row->has_rule = sqlite3_column_type (stmt, 7) != SQLITE_NULL;
  row->markup_ppm = row->has_rule ? sqlite3_column_int64 (stmt, 7) : 0;
  row->price_step = row->has_rule ? sqlite3_column_int64 (stmt, 8) : 0;

  row->primary = relay_store_get_catalog_row (self, catalog_id, error);
  if (row->primary == NULL)
    return NULL;
  if (fallback_id != 0)
    {
      row->fallback = relay_store_get_catalog_row (self, fallback_id, error);
      if (row->fallback == NULL)
        return NULL;
    }
  return g_steal_pointer (&row);
}

static char *
dup_current_name (RelayStore  *self,
                  gint64       id,
                  gboolean    *out_found,
                  GError     **error)
{
  g_autoptr (RelayStmt) stmt = relay_store_prepare (self, "SELECT name FROM services WHERE id = ?",
                                                    error);
  int rc;

  *out_found = FALSE;
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_found = TRUE;
      return relay_stmt_dup_text (stmt, 0);
    }
  if (rc != SQLITE_DONE)
    relay_store_set_db_error (self, error);
  return NULL;
}

static gboolean
write_service (RelayStore  *self,
               gint64       id,
               const char  *name,
               gint64       price,
               gint64       catalog_id,
               gint64       fallback_catalog_id,
               gboolean     manual,
               gint64       markup_ppm,
               gint64       price_step,
               GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  stmt = relay_store_prepare (self,
                              "INSERT INTO services (id, name, price, catalog_id, fallback_catalog_id, manual, "
                              "  markup_ppm, price_step) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                              "  price = excluded.price, catalog_id = excluded.catalog_id, "
                              "  fallback_catalog_id = excluded.fallback_catalog_id, "
                              "  manual = excluded.manual, markup_ppm = excluded.markup_ppm, "
                              "  price_step = excluded.price_step", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  relay_stmt_bind_text (stmt, 2, name);
  sqlite3_bind_int64 (stmt, 3, price);
  sqlite3_bind_int64 (stmt, 4, catalog_id);
  relay_stmt_bind_opt_int64 (stmt, 5, fallback_catalog_id != 0, fallback_catalog_id);
  sqlite3_bind_int (stmt, 6, manual != FALSE);
  relay_stmt_bind_opt_int64 (stmt, 7, markup_ppm >= 0, markup_ppm);
  sqlite3_bind_int64 (stmt, 8, markup_ppm >= 0 ? price_step : 0);
  return relay_store_step_done (self, stmt, error);
}

gboolean
relay_store_map_service (RelayStore  *self,
                         gint64       id,
                         const char  *name,
                         gint64       price,
                         gint64       catalog_id,
                         gint64       fallback_catalog_id,
                         gboolean     manual,
                         GError     **error)
{
  return relay_store_map_service_full (self, id, name, price, -1, 0, catalog_id,
                                       fallback_catalog_id, manual, error);
}

gboolean
relay_store_map_service_full (RelayStore  *self,
                              gint64       id,
                              const char  *name,
                              gint64       price,
                              gint64       markup_ppm,
                              gint64       price_step,
                              gint64       catalog_id,
                              gint64       fallback_catalog_id,
                              gboolean     manual,
                              GError     **error)
{
  g_autoptr (RelayCatalogRow) primary = NULL;
  g_autoptr (RelayCatalogRow) fallback = NULL;
  g_autofree char *old_name = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (id <= 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A service id must be a whole number above zero, not %" PRId64), id);
      return FALSE;
    }
  if (price < 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A service’s price cannot be negative"));
      return FALSE;
    }
  if (price_step < 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A rounding step cannot be negative"));
      return FALSE;
    }

  if (!relay_store_begin (self, error))
    return FALSE;
  primary = relay_store_get_catalog_row (self, catalog_id, error);
  if (primary == NULL)
    goto fail;
  if (fallback_catalog_id != 0)
    {
      fallback = relay_store_get_catalog_row (self, fallback_catalog_id, error);
      if (fallback == NULL)
        goto fail;
    }
  if (name == NULL)
    {
      g_autoptr (GError) local_error = NULL;

      old_name = dup_current_name (self, id, &found, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
      name = found ? old_name : primary->name;
    }
  if (!write_service (self, id, name, price, catalog_id, fallback_catalog_id, manual,
                      markup_ppm, price_step, error) ||
      !relay_store_commit (self, error))
    goto fail;

  relay_store_emit_catalog_changed (self, primary->provider_id);
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}

gboolean
relay_store_remove_service (RelayStore  *self,
                            gint64       id,
                            GError     **error)
{
  g_autoptr (RelayServiceRow) service = NULL;
  gint64 n_open = 0;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  service = relay_store_get_service (self, id, error);
  if (service == NULL)
    goto fail;

  {
    g_autoptr (RelayStmt) stmt = NULL;

    stmt = relay_store_prepare (self,
                                "SELECT COUNT(*) FROM orders WHERE service_id = ? "
                                "AND status NOT IN ('completed', 'partial', 'canceled', 'failed')",
                                error);
    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, id);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        relay_store_set_db_error (self, error);
        goto fail;
      }
    n_open = sqlite3_column_int64 (stmt, 0);
  }
  if (n_open > 0)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Service %" PRId64 " has %" PRId64 " order that is not finished; remove it when it is",
                                "Service %" PRId64 " has %" PRId64 " orders that are not finished; remove it when they are",
                                n_open),
                   id, n_open);
      goto fail;
    }

  {
    /* Finished orders keep their history (service_id becomes NULL). */
    g_autoptr (RelayStmt) stmt = relay_store_prepare (self, "DELETE FROM services WHERE id = ?", error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, id);
    if (!relay_store_step_done (self, stmt, error))
      goto fail;
  }
  if (!relay_store_commit (self, error))
    return FALSE;

  relay_store_emit_catalog_changed (self, service->primary->provider_id);
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}

RelayServiceRow *
relay_store_get_service (RelayStore  *self,
                         gint64       id,
                         GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self, SERVICE_SELECT "WHERE s.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return service_from_stmt (self, stmt, error);
  if (rc == SQLITE_DONE)
    set_not_found (id, error);
  else
    relay_store_set_db_error (self, error);
  return NULL;
}

GPtrArray *
relay_store_list_services (RelayStore  *self,
                           GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self, SERVICE_SELECT "ORDER BY s.id", error);
  if (stmt == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_service_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayServiceRow *row = service_from_stmt (self, stmt, error);

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

gboolean
relay_store_set_price_rule (RelayStore  *self,
                            gint64       id,
                            gint64       old_price,
                            gint64       price,
                            gint64       markup_ppm,
                            gint64       price_step,
                            GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (RelayServiceRow) service = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (price < 0 || price_step < 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A service’s price cannot be negative"));
      return FALSE;
    }
  if (!relay_store_begin (self, error))
    return FALSE;
  service = relay_store_get_service (self, id, error);
  if (service == NULL)
    goto fail;
  /* Guarded on the price the caller computed from: a sync that repriced the
   * service meanwhile makes the caller read it again. */
  stmt = relay_store_prepare (self,
                              "UPDATE services SET price = ?1, markup_ppm = ?2, price_step = ?3 "
                              "WHERE id = ?4 AND price = ?5", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, price);
  relay_stmt_bind_opt_int64 (stmt, 2, markup_ppm >= 0, markup_ppm);
  sqlite3_bind_int64 (stmt, 3, markup_ppm >= 0 ? price_step : 0);
  sqlite3_bind_int64 (stmt, 4, id);
  sqlite3_bind_int64 (stmt, 5, old_price);
  if (!relay_store_step_done (self, stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) != 1)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                   _("The price of service %" PRId64 " changed meanwhile; try again"), id);
      goto fail;
    }
  if (!relay_store_commit (self, error))
    return FALSE;
  relay_store_emit_catalog_changed (self, service->primary->provider_id);
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}
