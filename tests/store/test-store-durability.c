/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the order book's durability and privacy: the commit that marks an
 * order sending reaches the disk before it returns (synchronous = FULL, seen
 * through a VFS that counts the syncs of the write-ahead log), the book, its
 * -wal and -shm and the sender files are private wherever the book is, and a
 * schema 1 book is migrated to the sender column. */
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "test-store.h"

/* ---- a VFS that counts syncs ---- */

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;
  int           flags;
} ShimFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static guint wal_syncs;
static guint db_syncs;

#define REAL(f) (((ShimFile *) (f))->real)

static int
shim_close (sqlite3_file *file)
{
  sqlite3_file *real = REAL (file);
  int rc = real->pMethods->xClose (real);

  sqlite3_free (real);
  return rc;
}

static int
shim_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

static int
shim_write (sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xWrite (REAL (file), buffer, amount, offset);
}

static int
shim_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
shim_sync (sqlite3_file *file, int flags)
{
  ShimFile *shim = (ShimFile *) file;

  if (shim->flags & SQLITE_OPEN_WAL)
    wal_syncs++;
  else if (shim->flags & SQLITE_OPEN_MAIN_DB)
    db_syncs++;
  return shim->real->pMethods->xSync (shim->real, flags);
}

static int
shim_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
shim_lock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xLock (REAL (file), level);
}

static int
shim_unlock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), level);
}

static int
shim_check_reserved (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
shim_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
shim_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
shim_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
shim_shm_map (sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), page, size, extend, out);
}

static int
shim_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
shim_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
shim_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
shim_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, out);
}

static int
shim_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *page)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, page);
}

static const sqlite3_io_methods shim_io = {
  3, shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_file_size, shim_lock,
  shim_unlock, shim_check_reserved, shim_file_control, shim_sector_size,
  shim_device_characteristics, shim_shm_map, shim_shm_lock, shim_shm_barrier, shim_shm_unmap,
  shim_fetch, shim_unfetch,
};

static int
shim_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  ShimFile *shim = (ShimFile *) file;
  int rc;

  shim->base.pMethods = NULL;
  shim->flags = flags;
  shim->real = sqlite3_malloc (real_vfs->szOsFile);
  if (shim->real == NULL)
    return SQLITE_NOMEM;
  memset (shim->real, 0, real_vfs->szOsFile);
  rc = real_vfs->xOpen (real_vfs, name, shim->real, flags, out_flags);
  if (rc != SQLITE_OK || shim->real->pMethods == NULL)
    {
      if (shim->real->pMethods != NULL)
        shim->real->pMethods->xClose (shim->real);
      sqlite3_free (shim->real);
      shim->real = NULL;
      return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
  g_assert_cmpint (shim->real->pMethods->iVersion, >=, 3);
  shim->base.pMethods = &shim_io;
  return SQLITE_OK;
}

/* Makes the counting VFS the default, so that relay_store_open() uses it. */
static void
shim_register (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  shim_vfs = *real_vfs;
  shim_vfs.zName = "relay-test-sync-counter";
  shim_vfs.szOsFile = sizeof (ShimFile);
  shim_vfs.xOpen = shim_open;
  shim_vfs.pNext = NULL;
  g_assert_cmpint (sqlite3_vfs_register (&shim_vfs, 1), ==, SQLITE_OK);
}

static void
shim_unregister (void)
{
  g_assert_cmpint (sqlite3_vfs_unregister (&shim_vfs), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_vfs_register (real_vfs, 1), ==, SQLITE_OK);
}

/* Defect 6: with synchronous = NORMAL a committed queued -> sending stays
 * in the WAL's page cache, unsynced, and a power cut can undo it (the order
 * is then sent again).  Every commit that guards a send must be synced. */
static void
test_sending_commit_synced (void)
{
  g_autoptr (GError) error = NULL;
  Book book = { 0 };
  gint64 first, second;
  guint syncs;

  shim_register ();
  book_setup_file (&book, NULL);
  g_assert_cmpstr (sqlite3_db_filename (relay_store_get_db (book.store), "main"), !=, NULL);
  g_assert_cmpint (book_sql_int (&book, "PRAGMA synchronous", 0), ==, 2 /* FULL */);

  first = book_order (&book, SERVICE_PLAIN, book.client_1, "https://x.example/d1", 100, 0, 0);
  second = book_order (&book, SERVICE_PLAIN, book.client_1, "https://x.example/d2", 100, 0, 0);
  g_assert_true (relay_store_mark_sending (book.store, first, book.catalog_a1, &error));
  g_assert_no_error (error);

  /* The second sending commit goes into a WAL that already has frames: only
   * synchronous = FULL syncs it at commit (NORMAL waits for a checkpoint). */
  wal_syncs = 0;
  g_assert_true (relay_store_mark_sending (book.store, second, book.catalog_a1, &error));
  g_assert_no_error (error);
  syncs = wal_syncs;
  g_test_message ("WAL syncs during the queued -> sending commit: %u", syncs);
  g_assert_cmpuint (syncs, >=, 1);

  /* The answer that settles it too. */
  wal_syncs = 0;
  g_assert_true (relay_store_mark_sent (book.store, second, "5001", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wal_syncs, >=, 1);

  /* And the PRAGMA in effect on the connection right after that commit. */
  g_assert_cmpint (book_sql_int (&book, "PRAGMA synchronous", 0), ==, 2);

  book_teardown (&book, NULL);
  shim_unregister ();
}

/* ---- private files (defect 9, file modes) ---- */

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
test_private_modes (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autoptr (GDir) listing = NULL;
  const char *name;
  RelayStore *store;
  sqlite3 *db = NULL;
  Book book = { 0 };
  gint64 id;
  guint n_files = 0;
  mode_t old_umask = umask (022);

  g_assert_no_error (error);
  /* A book given with --db, in a folder that exists and is not private. */
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  path = g_build_filename (dir, "shop.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);

  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  id = relay_store_add_client (store, "Someone", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);

  /* A book an older version left 0644 with its -wal and -shm (kept alive by
   * a second connection) is made private when it is opened. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT COUNT(*) FROM clients", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_finalize_object (store);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  g_assert_cmpint (g_chmod (shm, 0644), ==, 0);
  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  g_assert_finalize_object (store);
  sqlite3_close (db);

  /* The sender lease: its folder 0700, its one file 0600. */
  book_setup_file (&book, NULL);
  {
    g_autofree char *book_path = g_build_filename (book.tmp_dir, "orders.db", NULL);
    g_autofree char *senders = g_strconcat (book_path, ".senders", NULL);

    id = book_order (&book, SERVICE_PLAIN, book.client_1, "https://x.example/m", 100, 0, 0);
    g_assert_true (relay_store_mark_sending (book.store, id, book.catalog_a1, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (file_mode (senders), ==, 0700);
    listing = g_dir_open (senders, 0, &error);
    g_assert_no_error (error);
    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *owner = g_build_filename (senders, name, NULL);

        g_assert_cmpuint (file_mode (owner), ==, 0600);
        g_assert_cmpuint (strlen (name), ==, 32);
        n_files++;
      }
    g_assert_cmpuint (n_files, ==, 1);
  }
  book_teardown (&book, NULL);

  umask (old_umask);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (dir);
}

/* A schema 1 book (before senders were recorded) keeps its orders and gains
 * the sender column, in one transaction. */
static void
test_migrate_to_senders (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "orders.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  RelayStore *store;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint version1_steps = 0;

  g_assert_no_error (error);
  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_finalize_object (store);

  /* Back to what schema 1 was: no sender column. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO clients (name, created_at) VALUES ('Old', 1);"
                                 "ALTER TABLE orders DROP COLUMN sender;"
                                 /* and without what schemas 3, 4 and 5 added */
                                 "DROP TRIGGER orders_link_insert; DROP TRIGGER orders_link_delete; DROP TRIGGER orders_link_update;"
                                 "DROP TABLE orders_link; DROP INDEX orders_sort_link; DROP INDEX orders_sort_quantity;"
                                 "DROP INDEX orders_sort_progress; DROP INDEX orders_sort_start_count; DROP INDEX orders_sort_remains;"
                                 "DROP INDEX orders_sort_charge; DROP INDEX orders_sort_status; DROP INDEX orders_active_id;"
                                 "DROP INDEX orders_attention_id; DROP INDEX services_name;"
                                 "DROP TABLE price_changes;"
                                 "ALTER TABLE providers DROP COLUMN low_balance;"
                                 "ALTER TABLE providers DROP COLUMN funds_needed;"
                                 "ALTER TABLE providers DROP COLUMN funds_wait_since;"
                                 "ALTER TABLE services DROP COLUMN markup_ppm;"
                                 "ALTER TABLE services DROP COLUMN price_step;"
                                 "DROP INDEX orders_report;"
                                 "DROP TRIGGER orders_started;"
                                 "DROP TRIGGER orders_completed;"
                                 "ALTER TABLE orders DROP COLUMN started_at;"
                                 "ALTER TABLE orders DROP COLUMN completed_at;"
                                 "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (store),
                                       "SELECT COUNT(*) FROM pragma_table_info ('orders') WHERE name = 'sender'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version1_steps = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpuint (version1_steps, ==, 1);
  {
    g_autoptr (RelayClientRow) client = relay_store_find_client (store, "Old", &error);

    g_assert_no_error (error);
    g_assert_nonnull (client);
  }
  g_assert_finalize_object (store);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (dir);
}

void
add_durability_tests (void)
{
  g_test_add_func ("/store/durability/sending-commit-synced", test_sending_commit_synced);
  g_test_add_func ("/store/durability/private-modes", test_private_modes);
  g_test_add_func ("/store/durability/migrate-to-senders", test_migrate_to_senders);
}
