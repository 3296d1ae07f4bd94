/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: opening the order book, migrations, the statement cache,
 * transactions and signals.  The other relay-store-*.c files hold the
 * queries, split by concern. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "relay-store-private.h"

enum
{
  PROP_0,
  PROP_PATH,
  PROP_SCHEMA_VERSION,
  N_PROPS
};

enum
{
  ORDERS_CHANGED,
  CATALOG_CHANGED,
  CLIENTS_CHANGED,
  N_SIGNALS
};

#define MAX_QUERIES 64

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void relay_store_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayStore, relay_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      relay_store_initable_iface_init))

/* ---- helpers shared by the store's files ---- */

gint64
relay_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
relay_stmt_release (RelayStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
relay_store_set_db_error (RelayStore  *self,
                          GError     **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                 _("The order book is busy (another SMM Relay is writing to it): %s"),
                 sqlite3_errmsg (self->db));
  else
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                 _("The order book could not be read or written: %s"),
                 sqlite3_errmsg (self->db));
  return FALSE;
}

static RelayStmt *
prepare_cached (RelayStore  *self,
                GHashTable  *cache,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (cache, sql);
  if (stmt != NULL)
    {
      /* A cached statement is used by one caller at a time. */
      if (G_UNLIKELY (sqlite3_stmt_busy (stmt)))
        g_critical ("Statement used while still running: %s", sql);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  g_hash_table_insert (cache, g_strdup (sql), stmt);
  return stmt;
}

RelayStmt *
relay_store_prepare (RelayStore  *self,
                     const char  *sql,
                     GError     **error)
{
  return prepare_cached (self, self->statements, sql, error);
}

RelayStmt *
relay_store_prepare_query (RelayStore  *self,
                           const char  *sql,
                           GError     **error)
{
  /* Filters x sorts x directions could make thousands; a view uses a few. */
  if (g_hash_table_size (self->queries) >= MAX_QUERIES &&
      !g_hash_table_contains (self->queries, sql))
    g_hash_table_remove_all (self->queries);
  return prepare_cached (self, self->queries, sql, error);
}

gboolean
relay_store_step_done (RelayStore  *self,
                       RelayStmt   *stmt,
                       GError     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  return relay_store_set_db_error (self, error);
}

gboolean
relay_store_exec (RelayStore  *self,
                  const char  *sql,
                  GError     **error)
{
  g_autoptr (RelayStmt) stmt = relay_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  return relay_store_step_done (self, stmt, error);
}

gboolean
relay_store_begin (RelayStore  *self,
                   GError     **error)
{
  return relay_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
relay_store_commit (RelayStore  *self,
                    GError     **error)
{
  if (relay_store_exec (self, "COMMIT", error))
    return TRUE;
  relay_store_rollback (self);
  return FALSE;
}

void
relay_store_rollback (RelayStore *self)
{
  if (sqlite3_get_autocommit (self->db))
    return;
  if (!relay_store_exec (self, "ROLLBACK", NULL))
    g_warning ("ROLLBACK failed: %s", sqlite3_errmsg (self->db));
}

char *
relay_stmt_dup_text (RelayStmt *stmt,
                     int        column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
relay_stmt_get_opt_int64 (RelayStmt *stmt,
                          int        column,
                          gint64    *out)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    {
      *out = 0;
      return FALSE;
    }
  *out = sqlite3_column_int64 (stmt, column);
  return TRUE;
}

void
relay_stmt_bind_text (RelayStmt  *stmt,
                      int         index,
                      const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
relay_stmt_bind_opt_int64 (RelayStmt *stmt,
                           int        index,
                           gboolean   has_value,
                           gint64     value)
{
  if (has_value)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

RelayOrderStatus
relay_stmt_get_status (RelayStmt *stmt,
                       int        column)
{
  RelayOrderStatus status = RELAY_ORDER_NEEDS_REVIEW;
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  /* The CHECK constraint keeps anything else out. */
  if (!relay_order_status_from_string (text, &status))
    g_warning ("Unknown order status “%s” in the order book", text ? text : "");
  return status;
}

char *
relay_store_like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

void
relay_store_emit_orders_changed (RelayStore *self,
                                 GArray     *ids)
{
  if (ids != NULL && ids->len > 0)
    g_signal_emit (self, signals[ORDERS_CHANGED], 0, ids);
}

void
relay_store_emit_order_changed (RelayStore *self,
                                gint64      id)
{
  g_autoptr (GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1);

  g_array_append_val (ids, id);
  relay_store_emit_orders_changed (self, ids);
}

void
relay_store_emit_catalog_changed (RelayStore *self,
                                  gint64      provider_id)
{
  g_signal_emit (self, signals[CATALOG_CHANGED], 0, provider_id);
}

void
relay_store_emit_clients_changed (RelayStore *self)
{
  g_signal_emit (self, signals[CLIENTS_CHANGED], 0);
}

/* ---- opening ---- */

static gboolean
read_user_version (RelayStore  *self,
                   int         *out_version,
                   GError     **error)
{
  g_autoptr (RelayStmt) stmt = relay_store_prepare (self, "PRAGMA user_version", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return relay_store_set_db_error (self, error);
  *out_version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
refuse_newer (RelayStore  *self,
              int          version,
              GError     **error)
{
  if (version <= RELAY_STORE_SCHEMA_VERSION)
    return TRUE;
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_VERSION,
               _("The order book “%s” was written by a newer SMM Relay (schema %d; this version knows up to %d)"),
               self->path, version, RELAY_STORE_SCHEMA_VERSION);
  return FALSE;
}

static gboolean
migrate (RelayStore  *self,
         GError     **error)
{
  int version = 0;

  if (!read_user_version (self, &version, error) || !refuse_newer (self, version, error))
    return FALSE;
  if (version == RELAY_STORE_SCHEMA_VERSION)
    {
      self->schema_version = version;
      return TRUE;
    }

  if (!relay_store_begin (self, error))
    return FALSE;
  /* Another process may have migrated while we waited for the lock. */
  if (!read_user_version (self, &version, error) || !refuse_newer (self, version, error))
    goto fail;
  for (guint step = (guint) version; step < relay_store_n_migrations; step++)
    {
      char *errmsg = NULL;

      /* Multi-statement schema text: sqlite3_exec() is the only way, and the
       * text is a constant of ours with no values in it. */
      if (sqlite3_exec (self->db, relay_store_migrations[step], NULL, NULL, &errmsg) != SQLITE_OK)
        {
          g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                       _("The order book could not be upgraded to schema %u: %s"),
                       step + 1, errmsg ? errmsg : "");
          sqlite3_free (errmsg);
          goto fail;
        }
    }
  if (!read_user_version (self, &version, error) || !relay_store_commit (self, error))
    goto fail;
  self->schema_version = version;
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}

static gboolean
pragma (RelayStore  *self,
        const char  *sql,
        GError     **error)
{
  g_autoptr (RelayStmt) stmt = relay_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  return TRUE;
}

static gboolean
relay_store_initable_init (GInitable     *initable,
                           GCancellable  *cancellable,
                           GError       **error)
{
  RelayStore *self = RELAY_STORE (initable);
  gboolean in_memory;

  g_return_val_if_fail (self->path != NULL, FALSE);

  in_memory = g_str_equal (self->path, ":memory:") || self->path[0] == '\0';
  if (!in_memory)
    {
      g_autofree char *folder = g_path_get_dirname (self->path);

      if (g_mkdir_with_parents (folder, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not create the folder “%s” for the order book: %s"),
                       folder, g_strerror (saved_errno));
          return FALSE;
        }
    }

  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                   _("Could not open the order book “%s”: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);

  /* WAL lets the app and the CLI read while one of them writes; the wait is
   * for the other's write transaction.  The rest is for big books: sorting
   * in memory, a 32 MB page cache and pages read through mmap.  No ANALYZE:
   * the indexes are laid out so that the planner's default choices are the
   * right ones, and sampled statistics misjudged the skew of statuses. */
  if (!pragma (self, "PRAGMA busy_timeout = 5000", error) ||
      !pragma (self, "PRAGMA journal_mode = WAL", error) ||
      !pragma (self, "PRAGMA synchronous = NORMAL", error) ||
      !pragma (self, "PRAGMA foreign_keys = ON", error) ||
      !pragma (self, "PRAGMA temp_store = MEMORY", error) ||
      !pragma (self, "PRAGMA cache_size = -32768", error) ||
      !pragma (self, "PRAGMA mmap_size = 268435456", error))
    return FALSE;

  return migrate (self, error);
}

static void
relay_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = relay_store_initable_init;
}

static void
relay_store_finalize (GObject *object)
{
  RelayStore *self = RELAY_STORE (object);

  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&self->queries, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      if (sqlite3_close (self->db) != SQLITE_OK)
        g_warning ("Closing the order book failed: %s", sqlite3_errmsg (self->db));
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (relay_store_parent_class)->finalize (object);
}

static void
relay_store_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RelayStore *self = RELAY_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_SCHEMA_VERSION:
      g_value_set_int (value, self->schema_version);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_store_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RelayStore *self = RELAY_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_store_class_init (RelayStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_store_finalize;
  object_class->get_property = relay_store_get_property;
  object_class->set_property = relay_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCHEMA_VERSION] =
    g_param_spec_int ("schema-version", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ORDERS_CHANGED] =
    g_signal_new ("orders-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CATALOG_CHANGED] =
    g_signal_new ("catalog-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CLIENTS_CHANGED] =
    g_signal_new ("clients-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
relay_store_init (RelayStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_stmt);
  self->queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         finalize_stmt);
}

/* ---- public ---- */

char *
relay_store_default_path (gboolean demo)
{
  const char *env;

  /* The demo never touches the real book, whatever SMM_RELAY_DB says. */
  if (demo)
    return g_build_filename (g_get_user_data_dir (), "smm-relay", "demo.db", NULL);
  env = g_getenv ("SMM_RELAY_DB");
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "smm-relay", "orders.db", NULL);
}

RelayStore *
relay_store_open (const char  *path,
                  GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (RELAY_TYPE_STORE, NULL, error, "path", path, NULL);
}

const char *
relay_store_get_path (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  return self->path;
}

int
relay_store_get_schema_version (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), 0);
  return self->schema_version;
}

gpointer
relay_store_get_db (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  return self->db;
}
