/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: the providers' catalogs, replaced at each services sync with
 * what changed marked on every row. */
#include "config.h"

#include "relay-store-private.h"
#include "relay-provider-types.h"
#include "relay-price-rule.h"

#define CATALOG_SELECT \
  "SELECT " RELAY_CATALOG_COLUMNS " FROM catalog k JOIN providers p ON p.id = k.provider_id "

/* A row of the catalog as it was before the sync. */
typedef struct
{
  gint64   id;
  gint64   rate;
  gint64   min;
  gint64   max;
  char    *type;
  char    *name;
  char    *category;
  gboolean refill;
  gboolean cancel;
  gboolean dripfeed;
  gboolean removed;
  gboolean seen;
} Existing;

/* A provider rate that a sync changed. */
typedef struct
{
  gint64 catalog_id;
  gint64 old_rate;
  gint64 new_rate;
} RateChange;

/* One of my services on a provider service whose rate changed. */
typedef struct
{
  gint64   id;
  gint64   price;
  gboolean has_rule;
  gint64   markup_ppm;
  gint64   price_step;
} Mapped;

#define PRICE_CHANGE_SELECT \
  "SELECT c.id, c.service_id, s.name, k.provider_id, p.name, p.currency, c.at, c.old_cost, " \
  "  c.new_cost, c.old_price, c.new_price, c.below_cost " \
  "FROM price_changes c JOIN services s ON s.id = c.service_id " \
  "  JOIN catalog k ON k.id = s.catalog_id JOIN providers p ON p.id = k.provider_id "

static void
existing_free (Existing *existing)
{
  g_free (existing->type);
  g_free (existing->name);
  g_free (existing->category);
  g_free (existing);
}

RelayCatalogRow *
relay_store_catalog_from_stmt (RelayStmt *stmt)
{
  RelayCatalogRow *row = g_new0 (RelayCatalogRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->provider_id = sqlite3_column_int64 (stmt, 1);
  row->provider_name = relay_stmt_dup_text (stmt, 2);
  row->service_id = relay_stmt_dup_text (stmt, 3);
  row->name = relay_stmt_dup_text (stmt, 4);
  row->type = relay_stmt_dup_text (stmt, 5);
  row->category = relay_stmt_dup_text (stmt, 6);
  row->rate = sqlite3_column_int64 (stmt, 7);
  row->min = sqlite3_column_int64 (stmt, 8);
  row->max = sqlite3_column_int64 (stmt, 9);
  row->refill = sqlite3_column_int (stmt, 10) != 0;
  row->cancel = sqlite3_column_int (stmt, 11) != 0;
  row->dripfeed = sqlite3_column_int (stmt, 12) != 0;
  row->removed = sqlite3_column_int (stmt, 13) != 0;
  row->change = relay_stmt_dup_text (stmt, 14);
  row->prev_rate = sqlite3_column_int64 (stmt, 15);
  row->synced_at = sqlite3_column_int64 (stmt, 16);
  return row;
}

RelayCatalogRow *
relay_store_get_catalog_row (RelayStore  *self,
                             gint64       catalog_id,
                             GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  stmt = relay_store_prepare (self, CATALOG_SELECT "WHERE k.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, catalog_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return relay_store_catalog_from_stmt (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                 _("No provider service with catalog id %" PRId64), catalog_id);
  else
    relay_store_set_db_error (self, error);
  return NULL;
}

static GHashTable *
load_existing (RelayStore  *self,
               gint64       provider_id,
               GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GHashTable) existing = NULL;
  int rc;

  stmt = relay_store_prepare (self,
                              "SELECT id, service_id, rate, min, max, type, removed, name, category, "
                              "  refill, cancel, dripfeed "
                              "FROM catalog WHERE provider_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, provider_id);
  existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) existing_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Existing *row = g_new0 (Existing, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->rate = sqlite3_column_int64 (stmt, 2);
      row->min = sqlite3_column_int64 (stmt, 3);
      row->max = sqlite3_column_int64 (stmt, 4);
      row->type = relay_stmt_dup_text (stmt, 5);
      row->removed = sqlite3_column_int (stmt, 6) != 0;
      row->name = relay_stmt_dup_text (stmt, 7);
      row->category = relay_stmt_dup_text (stmt, 8);
      row->refill = sqlite3_column_int (stmt, 9) != 0;
      row->cancel = sqlite3_column_int (stmt, 10) != 0;
      row->dripfeed = sqlite3_column_int (stmt, 11) != 0;
      g_hash_table_insert (existing, relay_stmt_dup_text (stmt, 1), row);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&existing);
}

static const char *
service_type (const RelayProviderService *service)
{
  return service->type != NULL && *service->type != '\0' ? service->type : "Default";
}

/* The comma list of what changed, or NULL when nothing did. */
static char *
describe_change (const Existing             *old,
                 const RelayProviderService *service)
{
  g_autoptr (GString) change = g_string_new (NULL);

  if (old->removed)
    g_string_append (change, "new,");
  if (service->rate > old->rate)
    g_string_append (change, "rate_up,");
  else if (service->rate < old->rate)
    g_string_append (change, "rate_down,");
  if (service->min != old->min || service->max != old->max)
    g_string_append (change, "limits,");
  if (g_ascii_strcasecmp (service_type (service), old->type ? old->type : "") != 0)
    g_string_append (change, "type,");
  if (change->len == 0)
    return NULL;
  g_string_truncate (change, change->len - 1);
  return g_string_free (g_steal_pointer (&change), FALSE);
}

static void
bind_service (RelayStmt                  *stmt,
              const RelayProviderService *service)
{
  relay_stmt_bind_text (stmt, 1, service->name ? service->name : "");
  relay_stmt_bind_text (stmt, 2, service_type (service));
  relay_stmt_bind_text (stmt, 3, service->category ? service->category : "");
  sqlite3_bind_int64 (stmt, 4, MAX (service->rate, 0));
  sqlite3_bind_int64 (stmt, 5, service->min);
  sqlite3_bind_int64 (stmt, 6, service->max);
  sqlite3_bind_int (stmt, 7, service->refill != FALSE);
  sqlite3_bind_int (stmt, 8, service->cancel != FALSE);
  sqlite3_bind_int (stmt, 9, service->dripfeed != FALSE);
}

static gboolean
insert_service (RelayStore                 *self,
                gint64                      provider_id,
                const RelayProviderService *service,
                gint64                      now,
                GArray                     *changed,
                GError                    **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 id;

  stmt = relay_store_prepare (self,
                              "INSERT INTO catalog (name, type, category, rate, min, max, refill, "
                              "  cancel, dripfeed, provider_id, service_id, change, synced_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'new', ?12)",
                              error);
  if (stmt == NULL)
    return FALSE;
  bind_service (stmt, service);
  sqlite3_bind_int64 (stmt, 10, provider_id);
  relay_stmt_bind_text (stmt, 11, service->service_id);
  sqlite3_bind_int64 (stmt, 12, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  id = sqlite3_last_insert_rowid (self->db);
  g_array_append_val (changed, id);
  return TRUE;
}

static gboolean
update_service (RelayStore                 *self,
                Existing                   *old,
                const RelayProviderService *service,
                gint64                      now,
                GArray                     *changed,
                GArray                     *rate_changes,
                GError                    **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *change = describe_change (old, service);

  /* Nothing to write: write_catalog() already reset the last sync's marks. */
  if (change == NULL && !old->removed &&
      g_strcmp0 (old->name, service->name ? service->name : "") == 0 &&
      g_strcmp0 (old->category, service->category ? service->category : "") == 0 &&
      g_strcmp0 (old->type, service_type (service)) == 0 &&
      old->refill == (service->refill != FALSE) && old->cancel == (service->cancel != FALSE) &&
      old->dripfeed == (service->dripfeed != FALSE))
    return TRUE;

  stmt = relay_store_prepare (self,
                              "UPDATE catalog SET name = ?1, type = ?2, category = ?3, rate = ?4, "
                              "  min = ?5, max = ?6, refill = ?7, cancel = ?8, dripfeed = ?9, "
                              "  removed = 0, change = ?10, prev_rate = ?11, synced_at = ?12 "
                              "WHERE id = ?13", error);
  if (stmt == NULL)
    return FALSE;
  bind_service (stmt, service);
  relay_stmt_bind_text (stmt, 10, change);
  sqlite3_bind_int64 (stmt, 11, service->rate != old->rate ? old->rate : 0);
  sqlite3_bind_int64 (stmt, 12, now);
  sqlite3_bind_int64 (stmt, 13, old->id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  if (change != NULL)
    g_array_append_val (changed, old->id);
  if (MAX (service->rate, 0) != old->rate)
    {
      RateChange rate_change = { old->id, old->rate, MAX (service->rate, 0) };

      g_array_append_val (rate_changes, rate_change);
    }
  return TRUE;
}

/* My services on @provider_id's catalog, by the catalog row they are
 * mapped to (catalog id -> GArray of Mapped, by service id): one query for
 * the whole sync. */
static GHashTable *
list_mapped (RelayStore  *self,
             gint64       provider_id,
             GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GHashTable) mapped = NULL;
  int rc;

  stmt = relay_store_prepare (self,
                              "SELECT s.id, s.price, s.markup_ppm, s.price_step, s.catalog_id "
                              "FROM services s JOIN catalog k ON k.id = s.catalog_id "
                              "WHERE k.provider_id = ? ORDER BY s.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, provider_id);
  mapped = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Mapped row = { 0 };
      gint64 catalog_id = sqlite3_column_int64 (stmt, 4);
      GArray *list = g_hash_table_lookup (mapped, &catalog_id);

      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (Mapped));
          g_hash_table_insert (mapped, g_memdup2 (&catalog_id, sizeof catalog_id), list);
        }
      row.id = sqlite3_column_int64 (stmt, 0);
      row.price = sqlite3_column_int64 (stmt, 1);
      row.has_rule = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
      row.markup_ppm = sqlite3_column_int64 (stmt, 2);
      row.price_step = sqlite3_column_int64 (stmt, 3);
      g_array_append_val (list, row);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&mapped);
}

/* The price a service takes at @rate: a rule's, or the fixed one.  A rule
 * that cannot price the rate (zero, or beyond the limits) keeps the old
 * price; the margin rule then stops orders if it is under the rate. */
static gint64
repriced (const Mapped *service,
          gint64        rate)
{
  gint64 price;

  if (service->has_rule && rate > 0 &&
      relay_price_apply_rule (rate, service->markup_ppm, service->price_step, &price, NULL))
    return price;
  return service->price;
}

/* Reprices every rule-priced service mapped to the provider service of
 * @change and records the change for each mapped service, in the caller's
 * transaction. */
static gboolean
apply_rate_change (RelayStore        *self,
                   const RateChange  *change,
                   GHashTable        *all_mapped,
                   gint64             now,
                   GArray            *price_change_ids,
                   GError           **error)
{
  GArray *mapped = g_hash_table_lookup (all_mapped, &change->catalog_id);

  for (guint i = 0; mapped != NULL && i < mapped->len; i++)
    {
      const Mapped *service = &g_array_index (mapped, Mapped, i);
      gint64 new_price = repriced (service, change->new_rate);
      gint64 id;

      if (new_price != service->price)
        {
          g_autoptr (RelayStmt) stmt = NULL;

          stmt = relay_store_prepare (self, "UPDATE services SET price = ?1 WHERE id = ?2 AND price = ?3",
                                      error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, new_price);
          sqlite3_bind_int64 (stmt, 2, service->id);
          sqlite3_bind_int64 (stmt, 3, service->price);
          if (!relay_store_step_done (self, stmt, error))
            return FALSE;
          if (sqlite3_changes (self->db) != 1)
            {
              g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                           _("The price of service %" PRId64 " changed during the sync"), service->id);
              return FALSE;
            }
        }
      {
        g_autoptr (RelayStmt) stmt = NULL;

        stmt = relay_store_prepare (self,
                                    "INSERT INTO price_changes (service_id, at, old_cost, new_cost, "
                                    "  old_price, new_price, below_cost) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, service->id);
        sqlite3_bind_int64 (stmt, 2, now);
        sqlite3_bind_int64 (stmt, 3, change->old_rate);
        sqlite3_bind_int64 (stmt, 4, change->new_rate);
        sqlite3_bind_int64 (stmt, 5, service->price);
        sqlite3_bind_int64 (stmt, 6, new_price);
        sqlite3_bind_int (stmt, 7, new_price < change->new_rate);
        if (!relay_store_step_done (self, stmt, error))
          return FALSE;
        id = sqlite3_last_insert_rowid (self->db);
        g_array_append_val (price_change_ids, id);
      }
    }
  return TRUE;
}

/* Rows not in the new list: marked removed once; already removed rows just
 * lose the mark of the previous sync. */
static gboolean
mark_missing (RelayStore  *self,
              GHashTable  *existing,
              GArray      *changed,
              GError     **error)
{
  GHashTableIter iter;
  Existing *old;

  g_hash_table_iter_init (&iter, existing);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &old))
    {
      g_autoptr (RelayStmt) stmt = NULL;

      if (old->seen)
        continue;
      stmt = relay_store_prepare (self,
                                  "UPDATE catalog SET removed = 1, prev_rate = 0, "
                                  "  change = CASE WHEN removed THEN NULL ELSE 'removed' END "
                                  "WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, old->id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return relay_store_set_db_error (self, error);
      if (!old->removed)
        g_array_append_val (changed, old->id);
    }
  return TRUE;
}

/* Marks the kept row of an entry the panel sent unusable. */
static gboolean
mark_refused (RelayStore  *self,
              Existing    *old,
              GArray      *changed,
              GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  stmt = relay_store_prepare (self, "UPDATE catalog SET change = 'refused' WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, old->id);
  if (!relay_store_step_done (self, stmt, error))
    return FALSE;
  g_array_append_val (changed, old->id);
  return TRUE;
}

static gboolean
write_catalog (RelayStore  *self,
               gint64       provider_id,
               GPtrArray   *services,
               GArray      *changed,
               GArray      *price_change_ids,
               GError     **error)
{
  g_autoptr (GArray) rate_changes = g_array_new (FALSE, FALSE, sizeof (RateChange));
  g_autoptr (GHashTable) existing = NULL;
  g_autoptr (GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 now = relay_store_now ();

  existing = load_existing (self, provider_id, error);
  if (existing == NULL)
    return FALSE;
  /* The marks of the previous sync go in one statement; only rows that
   * differ are written one by one (a 1,000-service catalog with a few
   * changes stays a few milliseconds on the main loop). */
  {
    g_autoptr (RelayStmt) clear = NULL;

    clear = relay_store_prepare (self,
                                 "UPDATE catalog SET change = NULL, prev_rate = 0, synced_at = ?1 "
                                 "WHERE provider_id = ?2 AND removed = 0", error);
    if (clear == NULL)
      return FALSE;
    sqlite3_bind_int64 (clear, 1, now);
    sqlite3_bind_int64 (clear, 2, provider_id);
    if (!relay_store_step_done (self, clear, error))
      return FALSE;
  }

  for (guint i = 0; i < services->len; i++)
    {
      const RelayProviderService *service = g_ptr_array_index (services, i);
      Existing *old;

      /* The first of duplicate ids wins. */
      if (service->service_id == NULL || !g_hash_table_add (listed, service->service_id))
        continue;
      old = g_hash_table_lookup (existing, service->service_id);
      if (service->refused)
        {
          /* The panel named it but sent no usable name or rate: its
           * previous row stays as it was (not removed, not updated), marked
           * "refused" for this sync; an unknown id is not added. */
          if (old != NULL && !old->removed && !mark_refused (self, old, changed, error))
            return FALSE;
          if (old != NULL)
            old->seen = TRUE;
          continue;
        }
      if (old == NULL)
        {
          if (!insert_service (self, provider_id, service, now, changed, error))
            return FALSE;
          continue;
        }
      old->seen = TRUE;
      if (!update_service (self, old, service, now, changed, rate_changes, error))
        return FALSE;
    }
  if (!mark_missing (self, existing, changed, error))
    return FALSE;
  if (rate_changes->len > 0)
    {
      g_autoptr (GHashTable) mapped = list_mapped (self, provider_id, error);

      if (mapped == NULL)
        return FALSE;
      for (guint i = 0; i < rate_changes->len; i++)
        if (!apply_rate_change (self, &g_array_index (rate_changes, RateChange, i), mapped, now,
                                price_change_ids, error))
          return FALSE;
    }

  stmt = relay_store_prepare (self, "UPDATE providers SET services_synced_at = ? WHERE id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, provider_id);
  return relay_store_step_done (self, stmt, error);
}

/* The rows of @ids (all of @provider_id, marked by this sync), in that
 * order: one query rather than one per row. */
static GPtrArray *
read_changes (RelayStore  *self,
              gint64       provider_id,
              GArray      *ids,
              GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GHashTable) by_id = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  int rc;

  stmt = relay_store_prepare (self, CATALOG_SELECT "WHERE k.provider_id = ? AND k.change IS NOT NULL",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, provider_id);
  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                 (GDestroyNotify) relay_catalog_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayCatalogRow *row = relay_store_catalog_from_stmt (stmt);

      g_hash_table_insert (by_id, &row->id, row);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  changes = g_ptr_array_new_full (ids->len, (GDestroyNotify) relay_catalog_row_free);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      RelayCatalogRow *row = g_hash_table_lookup (by_id, &id);

      if (row == NULL || !g_hash_table_steal (by_id, &id))
        {
          g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                       _("No provider service with catalog id %" PRId64), id);
          return NULL;
        }
      g_ptr_array_add (changes, row);
    }
  return g_steal_pointer (&changes);
}

static RelayPriceChange *
price_change_from_stmt (RelayStmt *stmt)
{
  RelayPriceChange *row = g_new0 (RelayPriceChange, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->service_id = sqlite3_column_int64 (stmt, 1);
  row->service_name = relay_stmt_dup_text (stmt, 2);
  row->provider_id = sqlite3_column_int64 (stmt, 3);
  row->provider_name = relay_stmt_dup_text (stmt, 4);
  row->currency = relay_stmt_dup_text (stmt, 5);
  row->at = sqlite3_column_int64 (stmt, 6);
  row->old_cost = sqlite3_column_int64 (stmt, 7);
  row->new_cost = sqlite3_column_int64 (stmt, 8);
  row->old_price = sqlite3_column_int64 (stmt, 9);
  row->new_price = sqlite3_column_int64 (stmt, 10);
  row->below_cost = sqlite3_column_int (stmt, 11) != 0;
  return row;
}

GPtrArray *
relay_store_list_price_changes (RelayStore  *self,
                                gint64       provider_id,
                                gint64       after_id,
                                gint64       since,
                                gint         limit,
                                GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self,
                              PRICE_CHANGE_SELECT
                              "WHERE c.id > ?1 AND c.at >= ?2 AND (?3 = 0 OR k.provider_id = ?3) "
                              "ORDER BY c.id DESC LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, provider_id);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? limit : -1);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_price_change_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, price_change_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static GPtrArray *
read_price_changes (RelayStore  *self,
                    GArray      *ids,
                    GError     **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_price_change_free);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (RelayStmt) stmt = relay_store_prepare (self, PRICE_CHANGE_SELECT "WHERE c.id = ?",
                                                        error);

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          relay_store_set_db_error (self, error);
          return NULL;
        }
      g_ptr_array_add (rows, price_change_from_stmt (stmt));
    }
  return g_steal_pointer (&rows);
}

gboolean
relay_store_replace_catalog (RelayStore  *self,
                             gint64       provider_id,
                             GPtrArray   *services,
                             GPtrArray  **out_changes,
                             GError     **error)
{
  return relay_store_replace_catalog_full (self, provider_id, services, out_changes, NULL, error);
}

gboolean
relay_store_replace_catalog_full (RelayStore  *self,
                                  gint64       provider_id,
                                  GPtrArray   *services,
                                  GPtrArray  **out_changes,
                                  GPtrArray  **out_price_changes,
                                  GError     **error)
{
  g_autoptr (RelayProviderRow) provider = NULL;
  g_autoptr (GArray) changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) price_change_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GPtrArray) price_changes = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (services != NULL, FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  provider = relay_store_get_provider (self, provider_id, error);
  if (provider == NULL ||
      !write_catalog (self, provider_id, services, changed, price_change_ids, error))
    goto fail;
  if (out_price_changes != NULL)
    {
      price_changes = read_price_changes (self, price_change_ids, error);
      if (price_changes == NULL)
        goto fail;
    }

  if (out_changes != NULL)
    {
      changes = read_changes (self, provider_id, changed, error);
      if (changes == NULL)
        goto fail;
    }
  if (!relay_store_commit (self, error))
    return FALSE;

  if (out_changes != NULL)
    *out_changes = g_steal_pointer (&changes);
  if (out_price_changes != NULL)
    *out_price_changes = g_steal_pointer (&price_changes);
  relay_store_emit_catalog_changed (self, provider_id);
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}

void
relay_store_notify_catalog_changed (RelayStore *self,
                                    gint64      provider_id)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  relay_store_emit_catalog_changed (self, provider_id);
}

GPtrArray *
relay_store_list_catalog (RelayStore  *self,
                          gint64       provider_id,
                          const char  *search,
                          gboolean     include_removed,
                          GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *pattern = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  if (search != NULL && *search != '\0')
    pattern = relay_store_like_pattern (search);
  stmt = relay_store_prepare (self,
                              CATALOG_SELECT
                              "WHERE (?1 = 0 OR k.provider_id = ?1) "
                              "  AND (?2 OR k.removed = 0) "
                              "  AND (?3 IS NULL OR k.service_id = ?4 "
                              "       OR k.name LIKE ?3 ESCAPE '\\' OR k.category LIKE ?3 ESCAPE '\\' "
                              "       OR k.type LIKE ?3 ESCAPE '\\') "
                              "ORDER BY p.name, k.provider_id, CAST (k.service_id AS INTEGER), k.service_id",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, provider_id);
  sqlite3_bind_int (stmt, 2, include_removed != FALSE);
  relay_stmt_bind_text (stmt, 3, pattern);
  relay_stmt_bind_text (stmt, 4, search);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_catalog_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, relay_store_catalog_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

RelayCatalogRow *
relay_store_find_catalog_service (RelayStore  *self,
                                  gint64       provider_id,
                                  const char  *service_id,
                                  GError     **error)
{
  g_autoptr (RelayProviderRow) provider = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);

  {
    g_autoptr (RelayStmt) stmt = NULL;

    stmt = relay_store_prepare (self, CATALOG_SELECT "WHERE k.provider_id = ? AND k.service_id = ?",
                                error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, provider_id);
    relay_stmt_bind_text (stmt, 2, service_id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      return relay_store_catalog_from_stmt (stmt);
    if (rc != SQLITE_DONE)
      {
        relay_store_set_db_error (self, error);
        return NULL;
      }
  }

  provider = relay_store_get_provider (self, provider_id, error);
  if (provider != NULL)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                 _("Provider “%s” has no service “%s” in its catalog"), provider->name, service_id);
  return NULL;
}
