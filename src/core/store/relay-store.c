/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: opening the order book, migrations, the statement cache,
 * transactions and signals.  The other relay-store-*.c files hold the
 * queries, split by concern. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

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
    {
      relay_store_watch_announced (self);
      g_signal_emit (self, signals[ORDERS_CHANGED], 0, ids);
    }
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
  relay_store_watch_announced (self);
  g_signal_emit (self, signals[CATALOG_CHANGED], 0, provider_id);
}

void
relay_store_emit_clients_changed (RelayStore *self)
{
  relay_store_watch_announced (self);
  g_signal_emit (self, signals[CLIENTS_CHANGED], 0);
}

/* ---- the sender lease ----
 *
 * Every store that sends takes an exclusive flock() on its own owner file,
 * <book>.senders/<token>, for as long as it lives, and records the token in
 * each order it marks sending.  The kernel drops the lock when the process
 * dies however it dies, so whoever can take that lock knows the sender is
 * gone; tokens are random and never reused, so a new process that happens
 * to get a dead one's pid is never mistaken for it.  flock() locks belong to
 * the open file, so two stores of one process tell each other apart too.
 * The file is made and locked under a hidden name, then renamed: a visible
 * owner file is always a locked one while its owner lives. */

#define SENDER_TOKEN_BYTES 16

static gboolean
is_in_memory (RelayStore *self)
{
  return self->path[0] == '\0' || g_str_equal (self->path, ":memory:");
}

static gboolean
is_sender_token (const char *text)
{
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return i == SENDER_TOKEN_BYTES * 2;
}

static char *
senders_dir (RelayStore *self)
{
  return g_strconcat (self->path, ".senders", NULL);
}

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *format,
              const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), format, path,
               g_strerror (saved_errno));
  return FALSE;
}

static char *
new_sender_token (GError **error)
{
  guint8 bytes[SENDER_TOKEN_BYTES];
  gsize got = 0;

  /* Not g_random: a forked child would continue its parent's sequence. */
  while (got < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + got, sizeof bytes - got, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("No random numbers for a sender token: %s"), g_strerror (saved_errno));
          return NULL;
        }
      got += (gsize) n;
    }
  {
    GString *token = g_string_sized_new (SENDER_TOKEN_BYTES * 2);

    for (gsize i = 0; i < sizeof bytes; i++)
      g_string_append_printf (token, "%02x", bytes[i]);
    return g_string_free (token, FALSE);
  }
}

const char *
relay_store_take_sender_lease (RelayStore  *self,
                               GError     **error)
{
  g_autofree char *token = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *visible = NULL;
  g_autofree char *hidden_name = NULL;
  int fd;

  if (self->sender_token != NULL)
    return self->sender_token;
  token = new_sender_token (error);
  if (token == NULL)
    return NULL;
  /* Nobody else can see a book in memory. */
  if (is_in_memory (self))
    return self->sender_token = g_steal_pointer (&token);

  dir = senders_dir (self);
  if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
    {
      set_io_error (error, errno, _("Could not create the folder “%s” for the senders of the order book: %s"), dir);
      return NULL;
    }
  hidden_name = g_strconcat (".", token, ".new", NULL);
  hidden = g_build_filename (dir, hidden_name, NULL);
  visible = g_build_filename (dir, token, NULL);
  fd = open (hidden, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      set_io_error (error, errno, _("Could not create the sender file “%s”: %s"), hidden);
      return NULL;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0 || rename (hidden, visible) != 0)
    {
      int saved_errno = errno;

      g_unlink (hidden);
      close (fd);
      set_io_error (error, saved_errno, _("Could not take the sender file “%s”: %s"), visible);
      return NULL;
    }
  self->sender_fd = fd;
  return self->sender_token = g_steal_pointer (&token);
}

gboolean
relay_store_sender_is_dead (RelayStore *self,
                            const char *token,
                            int        *out_fd)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int fd;

  *out_fd = -1;
  /* A token that is not one of ours is never taken for dead (only the
   * start-up recovery of a process alone with the book takes its orders). */
  if (token == NULL || !is_sender_token (token) || is_in_memory (self) ||
      g_strcmp0 (token, self->sender_token) == 0)
    return FALSE;
  dir = senders_dir (self);
  path = g_build_filename (dir, token, NULL);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    /* Gone: its owner removed it on the way out, or a reaper did.  Any
     * other failure (no permission) tells nothing, so it is not dead. */
    return errno == ENOENT;
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      return FALSE;
    }
  *out_fd = fd;
  return TRUE;
}

void
relay_store_forget_sender (RelayStore *self,
                           const char *token,
                           int         fd)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (fd < 0)
    return;
  dir = senders_dir (self);
  path = g_build_filename (dir, token, NULL);
  /* Still holding its lock: nobody can be using that token. */
  g_unlink (path);
  close (fd);
}

gboolean
relay_store_list_senders (RelayStore  *self,
                          GPtrArray   *tokens,
                          GError     **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  {
    g_autoptr (RelayStmt) stmt = relay_store_prepare (self,
                                                      "SELECT DISTINCT sender FROM orders "
                                                      "WHERE status = 'sending' AND sender IS NOT NULL",
                                                      error);

    if (stmt == NULL)
      return FALSE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *token = (const char *) sqlite3_column_text (stmt, 0);

        if (token != NULL && !g_hash_table_contains (seen, token))
          {
            char *copy = g_strdup (token);

            g_ptr_array_add (tokens, copy);
            g_hash_table_add (seen, copy);
          }
      }
    if (rc != SQLITE_DONE)
      return relay_store_set_db_error (self, error);
  }

  /* Lease files of senders that died with nothing in "sending", to tidy up. */
  if (!is_in_memory (self))
    {
      g_autofree char *path = senders_dir (self);
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (is_sender_token (name) && !g_hash_table_contains (seen, name))
          {
            char *copy = g_strdup (name);

            g_ptr_array_add (tokens, copy);
            g_hash_table_add (seen, copy);
          }
    }
  return TRUE;
}

/* ---- private files ----
 *
 * The book holds clients, prices and money: 0600 wherever it is (with --db
 * outside the data dir too).  SQLite creates -wal and -shm with the mode of
 * the book, so a private book makes them private; files an older version
 * left looser are tightened.
 *
 * Never by a descriptor: SQLite's locks are POSIX locks, which belong to the
 * process and the file, so closing ANY descriptor to the book, its -wal or
 * its -shm drops every lock this process holds on it — another process then
 * believes itself alone, truncates the -shm and our mapping of it dies with
 * SIGBUS.  So modes are set by path (lstat + chmod), and the only descriptor
 * opened is that of a book created here (O_EXCL: it did not exist, so no
 * connection of ours can have it open). */

/* Tightens @path to its owner when it is a regular file of ours that others
 * may read.  A missing file is fine (SQLite creates -wal and -shm with the
 * book's mode); anything that is not a regular file is left alone. */
static gboolean
make_private (const char  *path,
              GError     **error)
{
  struct stat st;

  if (lstat (path, &st) != 0 || !S_ISREG (st.st_mode) ||
      st.st_uid != geteuid () || (st.st_mode & 077) == 0)
    return TRUE;
  if (chmod (path, st.st_mode & 0700) != 0)
    return set_io_error (error, errno, _("Could not make the order book “%s” private: %s"), path);
  return TRUE;
}

/* Before SQLite sees @path: a book must be a regular file (through a
 * symbolic link too), or SQLite would open a device or a FIFO and create a
 * "-journal" beside it.  A missing book is created 0600 here, before SQLite
 * would create it 0644. */
static gboolean
prepare_book_file (const char  *path,
                   GError     **error)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    {
      int fd;

      if (errno != ENOENT)
        return TRUE;   /* no permission and the like: SQLite says it in its words */
      fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd >= 0)
        {
          close (fd);
          return TRUE;
        }
      if (errno != EEXIST)
        return TRUE;   /* a read-only folder and the like: SQLite reports it */
      /* Created meanwhile by someone else: check what it is. */
      if (g_stat (path, &st) != 0)
        return TRUE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                   _("“%s” is not an order book: it is not a regular file"), path);
      return FALSE;
    }
  return make_private (path, error);
}

static gboolean
make_book_private (RelayStore  *self,
                   GError     **error)
{
  static const char * const suffixes[] = { "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (self->path, suffixes[i], NULL);

      if (!make_private (path, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- opening ---- */

/* Whether the -wal and -shm are both there already (then SQLite needs to
 * create nothing in the book's folder). */
static gboolean
journal_files_exist (RelayStore *self)
{
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (self->path, "-shm", NULL);

  return g_file_test (wal, G_FILE_TEST_IS_REGULAR) && g_file_test (shm, G_FILE_TEST_IS_REGULAR);
}

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

  in_memory = is_in_memory (self);
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
      /* WAL writes its -wal and -shm beside the book, even to read it:
       * SQLite would only say "attempt to write a readonly database". */
      if (access (folder, W_OK | X_OK) != 0 && (errno == EACCES || errno == EROFS) &&
          !journal_files_exist (self))
        {
          g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                       _("The folder “%s” is read-only: SMM Relay needs to write its journal beside the order book"),
                       folder);
          return FALSE;
        }
      /* Refuses what is not a book; created 0600 before SQLite creates it 0644. */
      if (!prepare_book_file (self->path, error))
        return FALSE;
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
   * for the other's write transaction.  synchronous = FULL: every commit is
   * on the disk before it returns.  NORMAL could lose a committed queued ->
   * sending at a power cut, and the order would go out a second time.
   * The rest is for big books: sorting in memory, and a 2 MB page cache
   * per connection without mmap.  An app holds three connections for hours
   * (its own, the sync's reader and writer): every page touched through mmap
   * stayed resident (250 MB of a 1,000,000-order book once scrolled), and
   * 32 MB caches added 70 MB more.  The file stays in the kernel's cache,
   * and windows, counts, searches and the 30-day report were no slower
   * through pread on the 1,000,000-order book.  A write transaction may still
   * hold up to 8,192 changed pages (32 MB: 2,000 status updates touch a
   * dozen indexes) before it spills them to the WAL; the cache shrinks back
   * to 2 MB once it commits.  No ANALYZE:
   * the indexes are laid out so that the planner's default choices are the
   * right ones, and sampled statistics misjudged the skew of statuses. */
  if (!pragma (self, "PRAGMA busy_timeout = 5000", error) ||
      !pragma (self, "PRAGMA journal_mode = WAL", error) ||
      !pragma (self, "PRAGMA synchronous = FULL", error) ||
      !pragma (self, "PRAGMA foreign_keys = ON", error) ||
      !pragma (self, "PRAGMA temp_store = MEMORY", error) ||
      !pragma (self, "PRAGMA cache_size = -2048", error) ||
      !pragma (self, "PRAGMA cache_spill = 8192", error) ||
      !pragma (self, "PRAGMA mmap_size = 0", error))
    return FALSE;

  if (!migrate (self, error))
    return FALSE;
  return in_memory || make_book_private (self, error);
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

  relay_store_watch_free (self);
  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&self->queries, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      if (sqlite3_close (self->db) != SQLITE_OK)
        g_warning ("Closing the order book failed: %s", sqlite3_errmsg (self->db));
      self->db = NULL;
    }
  /* After the book is closed: once the lease file is gone, whatever this
   * store left in "sending" is a dead sender's. */
  if (self->sender_fd >= 0)
    relay_store_forget_sender (self, self->sender_token, self->sender_fd);
  self->sender_fd = -1;
  g_clear_pointer (&self->sender_token, g_free);
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
  self->sender_fd = -1;
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

gboolean
relay_store_is_shared (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  return self->path != NULL && *self->path != '\0' && !g_str_equal (self->path, ":memory:");
}

void
relay_store_set_wait_for_lock (RelayStore *self, gboolean wait)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  sqlite3_busy_timeout (self->db, wait ? 5000 : 0);
}

gboolean
relay_store_was_busy (RelayStore *self)
{
  int code;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  code = sqlite3_extended_errcode (self->db) & 0xff;
  return code == SQLITE_BUSY || code == SQLITE_LOCKED;
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
