/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's state file: orders, refills, balance, ids and clock in SQLite. */
#include "relay-sim-private.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#define FLUSH_DELAY_MS 200
#define STATE_VERSION  1

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS orders ("
  "  id INTEGER PRIMARY KEY,"
  "  service TEXT NOT NULL,"
  "  link TEXT NOT NULL,"
  "  quantity INTEGER NOT NULL,"
  "  runs INTEGER NOT NULL,"
  "  interval INTEGER NOT NULL,"
  "  total INTEGER NOT NULL,"
  "  rate INTEGER NOT NULL,"
  "  price INTEGER NOT NULL,"
  "  created REAL NOT NULL,"
  "  pending REAL NOT NULL,"
  "  duration REAL NOT NULL,"
  "  start_count INTEGER NOT NULL,"
  "  outcome INTEGER NOT NULL,"
  "  stop_delivered INTEGER NOT NULL,"
  "  canceled_by_user INTEGER NOT NULL,"
  "  canceled_at REAL NOT NULL,"
  "  canceled_delivered INTEGER NOT NULL,"
  "  settled INTEGER NOT NULL,"
  "  variant INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS refills ("
  "  id INTEGER PRIMARY KEY,"
  "  order_id INTEGER NOT NULL,"
  "  created REAL NOT NULL,"
  "  pending REAL NOT NULL,"
  "  duration REAL NOT NULL,"
  "  rejected INTEGER NOT NULL);";

static gboolean
sql_error (RelaySim    *self,
           const char  *what,
           GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Could not %s the simulator state file “%s”: %s"),
               what, self->state_path, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (RelaySim    *self,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (self, "write", error);
  return TRUE;
}

static char *
dup_disabled (RelaySim *self)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->disabled);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

static gboolean
write_meta (RelaySim  *self,
            GError   **error)
{
  g_autofree char *disabled = dup_disabled (self);
  char clock[G_ASCII_DTOSTR_BUF_SIZE];
  struct
  {
    const char *key;
    char       *value;
  } rows[] = {
    { "version", g_strdup_printf ("%d", STATE_VERSION) },
    { "balance", g_strdup_printf ("%" PRId64, self->balance) },
    { "next_order_id", g_strdup_printf ("%" PRId64, self->next_order_id) },
    { "next_refill_id", g_strdup_printf ("%" PRId64, self->next_refill_id) },
    { "clock", g_strdup (g_ascii_dtostr (clock, sizeof clock, relay_sim_now (self))) },
    { "disabled", g_strdup (disabled) },
  };
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    ok = sql_error (self, "write", error);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, rows[i].key, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, rows[i].value, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            ok = sql_error (self, "write", error);
          sqlite3_reset (stmt);
        }
      g_free (rows[i].value);
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
write_orders (RelaySim    *self,
              GHashTable  *recs,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  GHashTableIter iter;
  gpointer key;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT OR REPLACE INTO orders (id, service, link, quantity, runs, interval,"
                          " total, rate, price, created, pending, duration, start_count, outcome,"
                          " stop_delivered, canceled_by_user, canceled_at, canceled_delivered, settled,"
                          " variant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, "write", error);

  g_hash_table_iter_init (&iter, recs);
  while (ok && g_hash_table_iter_next (&iter, &key, NULL))
    {
      RelaySimOrderRec *rec = key;
      int i = 1;

      sqlite3_bind_int64 (stmt, i++, rec->id);
      sqlite3_bind_text (stmt, i++, rec->service_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, i++, rec->link, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, i++, rec->quantity);
      sqlite3_bind_int64 (stmt, i++, rec->runs);
      sqlite3_bind_int64 (stmt, i++, rec->interval);
      sqlite3_bind_int64 (stmt, i++, rec->total);
      sqlite3_bind_int64 (stmt, i++, rec->rate);
      sqlite3_bind_int64 (stmt, i++, rec->price);
      sqlite3_bind_double (stmt, i++, rec->created);
      sqlite3_bind_double (stmt, i++, rec->pending);
      sqlite3_bind_double (stmt, i++, rec->duration);
      sqlite3_bind_int64 (stmt, i++, rec->start_count);
      sqlite3_bind_int (stmt, i++, rec->outcome);
      sqlite3_bind_int64 (stmt, i++, rec->stop_delivered);
      sqlite3_bind_int (stmt, i++, rec->canceled_by_user);
      sqlite3_bind_double (stmt, i++, rec->canceled_at);
      sqlite3_bind_int64 (stmt, i++, rec->canceled_delivered);
      sqlite3_bind_int (stmt, i++, rec->settled);
      sqlite3_bind_int (stmt, i++, (int) rec->variant);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        ok = sql_error (self, "write", error);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
write_refills (RelaySim    *self,
               GHashTable  *refills,
               GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  GHashTableIter iter;
  gpointer key;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT OR REPLACE INTO refills (id, order_id, created, pending, duration,"
                          " rejected) VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, "write", error);

  g_hash_table_iter_init (&iter, refills);
  while (ok && g_hash_table_iter_next (&iter, &key, NULL))
    {
      RelaySimRefill *refill = key;

      sqlite3_bind_int64 (stmt, 1, refill->id);
      sqlite3_bind_int64 (stmt, 2, refill->order_id);
      sqlite3_bind_double (stmt, 3, refill->created);
      sqlite3_bind_double (stmt, 4, refill->pending);
      sqlite3_bind_double (stmt, 5, refill->duration);
      sqlite3_bind_int (stmt, 6, refill->rejected);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        ok = sql_error (self, "write", error);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
write_dirty (RelaySim  *self,
             GError   **error)
{
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!write_orders (self, self->dirty_orders, error)
      || !write_refills (self, self->dirty_refills, error)
      || !write_meta (self, error)
      || !exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  g_hash_table_remove_all (self->dirty_orders);
  g_hash_table_remove_all (self->dirty_refills);
  self->dirty_meta = FALSE;
  return TRUE;
}

gboolean
relay_sim_state_flush (RelaySim *self)
{
  g_autoptr (GError) error = NULL;

  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
  if (self->db == NULL)
    return TRUE;
  if (!self->dirty_meta && g_hash_table_size (self->dirty_orders) == 0
      && g_hash_table_size (self->dirty_refills) == 0)
    return TRUE;
  if (!write_dirty (self, &error))
    {
      g_warning ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
on_flush_due (gpointer user_data)
{
  RelaySim *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  relay_sim_state_flush (self);
  return G_SOURCE_REMOVE;
}

void
relay_sim_state_schedule_flush (RelaySim *self)
{
  if (self->db == NULL || self->flush_source != NULL)
    return;
  self->flush_source = g_timeout_source_new (FLUSH_DELAY_MS);
  g_source_set_static_name (self->flush_source, "[relay-sim] state flush");
  g_source_set_callback (self->flush_source, on_flush_due, self, NULL);
  g_source_attach (self->flush_source, self->context);
}

static const char *
meta_value (GHashTable *meta,
            const char *key)
{
  return g_hash_table_lookup (meta, key);
}

static gboolean
read_meta (RelaySim    *self,
           GHashTable  *meta,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT key, value FROM meta", -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, "read", error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_replace (meta, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                          g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, "read", error);
  return TRUE;
}

static gboolean
read_orders (RelaySim  *self,
             GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, service, link, quantity, runs, interval, total, rate, price,"
                          " created, pending, duration, start_count, outcome, stop_delivered,"
                          " canceled_by_user, canceled_at, canceled_delivered, settled, variant"
                          " FROM orders ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, "read", error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaySimOrderRec *rec = g_new0 (RelaySimOrderRec, 1);
      int outcome;
      int i = 0;

      rec->id = sqlite3_column_int64 (stmt, i++);
      rec->service_id = g_strdup ((const char *) sqlite3_column_text (stmt, i++));
      rec->link = g_strdup ((const char *) sqlite3_column_text (stmt, i++));
      rec->quantity = sqlite3_column_int64 (stmt, i++);
      rec->runs = sqlite3_column_int64 (stmt, i++);
      rec->interval = sqlite3_column_int64 (stmt, i++);
      rec->total = sqlite3_column_int64 (stmt, i++);
      rec->rate = sqlite3_column_int64 (stmt, i++);
      rec->price = sqlite3_column_int64 (stmt, i++);
      rec->created = sqlite3_column_double (stmt, i++);
      rec->pending = sqlite3_column_double (stmt, i++);
      rec->duration = sqlite3_column_double (stmt, i++);
      rec->start_count = sqlite3_column_int64 (stmt, i++);
      outcome = sqlite3_column_int (stmt, i++);
      rec->outcome = CLAMP (outcome, 0, RELAY_SIM_OUTCOME_CANCELED);
      rec->stop_delivered = sqlite3_column_int64 (stmt, i++);
      rec->canceled_by_user = sqlite3_column_int (stmt, i++) != 0;
      rec->canceled_at = sqlite3_column_double (stmt, i++);
      rec->canceled_delivered = sqlite3_column_int64 (stmt, i++);
      rec->settled = sqlite3_column_int (stmt, i++) != 0;
      rec->variant = (guint) sqlite3_column_int (stmt, i++);
      if (rec->service_id == NULL || rec->link == NULL || rec->total < 0)
        {
          relay_sim_order_rec_free (rec);
          continue;
        }
      relay_sim_insert_order (self, rec);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, "read", error);
  return TRUE;
}

static gboolean
read_refills (RelaySim  *self,
              GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, order_id, created, pending, duration, rejected FROM refills"
                          " ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (self, "read", error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelaySimRefill *refill = g_new0 (RelaySimRefill, 1);

      refill->id = sqlite3_column_int64 (stmt, 0);
      refill->order_id = sqlite3_column_int64 (stmt, 1);
      refill->created = sqlite3_column_double (stmt, 2);
      refill->pending = sqlite3_column_double (stmt, 3);
      refill->duration = sqlite3_column_double (stmt, 4);
      refill->rejected = sqlite3_column_int (stmt, 5) != 0;
      relay_sim_insert_refill (self, refill);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self, "read", error);
  return TRUE;
}

/* Replaces the simulator's records with the file's. */
static gboolean
load (RelaySim    *self,
      GHashTable  *meta,
      GError     **error)
{
  const char *disabled = meta_value (meta, "disabled");

  relay_sim_clear_records (self);
  self->balance = g_ascii_strtoll (meta_value (meta, "balance"), NULL, 10);
  if (meta_value (meta, "next_order_id") != NULL)
    self->next_order_id = g_ascii_strtoll (meta_value (meta, "next_order_id"), NULL, 10);
  if (meta_value (meta, "next_refill_id") != NULL)
    self->next_refill_id = g_ascii_strtoll (meta_value (meta, "next_refill_id"), NULL, 10);
  if (meta_value (meta, "clock") != NULL)
    {
      self->clock_base = g_ascii_strtod (meta_value (meta, "clock"), NULL);
      self->clock_anchor = g_get_monotonic_time ();
    }
  g_hash_table_remove_all (self->disabled);
  if (disabled != NULL && *disabled != '\0')
    {
      g_auto (GStrv) ids = g_strsplit (disabled, ",", -1);

      for (guint i = 0; ids[i] != NULL; i++)
        g_hash_table_add (self->disabled, g_strdup (ids[i]));
    }
  return read_orders (self, error) && read_refills (self, error);
}

/* Tightens @path to its owner if it is a regular file of ours, by path:
 * opening and closing a descriptor to a file SQLite has open in this process
 * would drop SQLite's POSIX locks on it. */
static void
tighten_mode (const char *path)
{
  struct stat st;

  if (lstat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == geteuid () &&
      (st.st_mode & 077) != 0)
    chmod (path, st.st_mode & 0700);
}

/* The state holds the demo's orders and balance: 0600 like the order book.
 * A missing file is created 0600 before SQLite would create it 0644 (O_EXCL:
 * nobody here has it open); SQLite gives -wal and -shm the file's mode. */
static void
make_state_private (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd >= 0)
    close (fd);
  else
    tighten_mode (path);
}

gboolean
relay_sim_state_open (RelaySim    *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr (GHashTable) meta = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  const char *version;

  relay_sim_state_close (self);
  self->state_path = g_strdup (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder of “%s”: %s"), path, g_strerror (saved));
      g_clear_pointer (&self->state_path, g_free);
      return FALSE;
    }
  make_state_private (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    goto failed_open;
  sqlite3_busy_timeout (self->db, 2000);
  if (sqlite3_exec (self->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_exec (self->db, schema, NULL, NULL, NULL) != SQLITE_OK)
    goto failed_open;
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    /* Left looser by an older version. */
    tighten_mode (wal);
    tighten_mode (shm);
  }

  meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!read_meta (self, meta, error))
    goto failed;
  version = meta_value (meta, "version");
  if (version != NULL && g_ascii_strtoll (version, NULL, 10) > STATE_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The simulator state file “%s” was written by a newer version"), path);
      goto failed;
    }

  if (meta_value (meta, "balance") != NULL)
    {
      /* The clock resumes where it stopped, so nothing moved while closed. */
      if (!load (self, meta, error))
        goto failed;
      return TRUE;
    }

  /* A new file: write everything the simulator has so far. */
  for (guint i = 0; i < self->orders->len; i++)
    g_hash_table_add (self->dirty_orders, g_ptr_array_index (self->orders, i));
  for (guint i = 0; i < self->refills->len; i++)
    g_hash_table_add (self->dirty_refills, g_ptr_array_index (self->refills, i));
  if (!write_dirty (self, error))
    goto failed;
  return TRUE;

failed_open:
  sql_error (self, "open", error);
failed:
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->state_path, g_free);
  return FALSE;
}

void
relay_sim_state_close (RelaySim *self)
{
  relay_sim_state_flush (self);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->state_path, g_free);
  if (self->dirty_orders != NULL)
    g_hash_table_remove_all (self->dirty_orders);
  if (self->dirty_refills != NULL)
    g_hash_table_remove_all (self->dirty_refills);
  self->dirty_meta = FALSE;
}
