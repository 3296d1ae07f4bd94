/* SPDX-License-Identifier: GPL-3.0-or-later */
/* relay_store_backup_file(): a consistent, checked, private copy while another connection writes. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "relay-store.h"
#include "relay-error.h"

/* Filler makes the book ~24 MiB: six steps of the backup at least. */
#define FILLER_ROWS 6000
#define FILLER_BYTES 4000

typedef struct
{
  char *dir;
  char *db;
  char *copy;
} Fixture;

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("test-store-backup-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db = g_build_filename (fx->dir, "orders.db", NULL);
  fx->copy = g_build_filename (fx->dir, "copy.db", NULL);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  remove_dir (fx->dir);
  g_free (fx->dir);
  g_free (fx->db);
  g_free (fx->copy);
}

static gint64
count_rows (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
query_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* Bulk filler through a connection of the test's own, in one transaction. */
static void
add_filler (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *blob = g_malloc (FILLER_BYTES);

  memset (blob, 'x', FILLER_BYTES);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE test_filler (data BLOB); BEGIN", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO test_filler VALUES (?)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < FILLER_ROWS; i++)
    {
      sqlite3_bind_blob (stmt, 1, blob, FILLER_BYTES, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

typedef struct
{
  Fixture       *fx;
  gboolean       ok;
  GError        *error;
  gint64         elapsed_us;
  volatile gint  done;
} BackupRun;

static gpointer
backup_thread (gpointer data)
{
  BackupRun *run = data;
  gint64 start = g_get_monotonic_time ();

  run->ok = relay_store_backup_file (run->fx->db, run->fx->copy, FALSE, NULL, &run->error);
  run->elapsed_us = g_get_monotonic_time () - start;
  g_atomic_int_set (&run->done, 1);
  return NULL;
}

static void
test_backup_while_writing (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autofree char *check = NULL;
  BackupRun run = { fx, FALSE, NULL, 0, 0 };
  sqlite3 *copy = NULL;
  GStatBuf st;
  guint n_before = 50, n_during = 0;
  gint64 longest_write_us = 0;

  store = relay_store_open (fx->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_before; i++)
    {
      g_autofree char *name = g_strdup_printf ("before %u", i);
      g_assert_cmpint (relay_store_add_client (store, name, &error), >, 0);
      g_assert_no_error (error);
    }
  add_filler (fx->db);

  /* The app keeps writing through its own connection while the copy is made. */
  thread = g_thread_new ("backup", backup_thread, &run);
  while (!g_atomic_int_get (&run.done))
    {
      g_autofree char *name = g_strdup_printf ("during %u", n_during++);
      gint64 start = g_get_monotonic_time ();

      g_assert_cmpint (relay_store_add_client (store, name, &error), >, 0);
      g_assert_no_error (error);
      longest_write_us = MAX (longest_write_us, g_get_monotonic_time () - start);
    }
  g_thread_join (g_steal_pointer (&thread));
  g_test_message ("backup of a ~%u MiB book took %.0f ms while %u clients were added "
                  "(longest write %.1f ms)", FILLER_ROWS * FILLER_BYTES / (1024 * 1024),
                  run.elapsed_us / 1000.0, n_during, longest_write_us / 1000.0);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (n_during, >, 0);
  /* A writer is never held up for seconds (busy_timeout is 5 s). */
  g_assert_cmpint (longest_write_us, <, 2 * G_USEC_PER_SEC);

  g_assert_cmpint (g_stat (fx->copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (sqlite3_open_v2 (fx->copy, &copy, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  check = query_text (copy, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (count_rows (copy, "PRAGMA user_version"), ==, RELAY_STORE_SCHEMA_VERSION);
  g_assert_cmpint (count_rows (copy, "SELECT count(*) FROM test_filler"), ==, FILLER_ROWS);
  g_assert_cmpint (count_rows (copy, "SELECT count(*) FROM clients WHERE name LIKE 'before %'"),
                   ==, n_before);
  /* A consistent snapshot: whatever it holds of the writes made meanwhile is a prefix. */
  g_assert_cmpint (count_rows (copy, "SELECT count(*) FROM clients WHERE name LIKE 'during %'"),
                   <=, n_during);
  g_clear_pointer (&check, g_free);
  check = query_text (copy, "PRAGMA journal_mode");
  g_assert_cmpstr (check, ==, "delete");
  sqlite3_close (copy);

  /* The copy opens as an order book. */
  {
    g_autoptr(RelayStore) restored = relay_store_open (fx->copy, &error);
    g_autoptr(GPtrArray) clients = NULL;

    g_assert_no_error (error);
    clients = relay_store_list_clients (restored, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (clients->len, >=, n_before);
  }
}

static void
test_backup_refusals (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autofree char *content = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  store = relay_store_open (fx->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_add_client (store, "Ann", &error), >, 0);

  /* An existing file stays as it was without overwrite. */
  g_assert_true (g_file_set_contents (fx->copy, "precious", -1, &error));
  g_assert_false (relay_store_backup (store, fx->copy, FALSE, NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (fx->copy, &content, NULL, &error));
  g_assert_cmpstr (content, ==, "precious");

  /* With overwrite it is replaced. */
  g_assert_true (relay_store_backup (store, fx->copy, TRUE, NULL, &error));
  g_assert_no_error (error);

  /* Never the order book itself, nor a missing or in-memory book. */
  g_assert_false (relay_store_backup_file (fx->db, fx->db, TRUE, NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (relay_store_backup_file ("/nonexistent/orders.db", fx->copy, TRUE, NULL,
                                           &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(RelayStore) memory = relay_store_open (":memory:", &error);

    g_assert_no_error (error);
    g_assert_false (relay_store_backup (memory, fx->copy, TRUE, NULL, &error));
    g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
    g_clear_error (&error);
  }

  /* A cancelled backup leaves nothing behind. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autofree char *other = g_build_filename (fx->dir, "other.db", NULL);

    g_cancellable_cancel (cancellable);
    g_assert_false (relay_store_backup_file (fx->db, other, FALSE, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
  /* No temporary file is left in the folder. */
  dir = g_dir_open (fx->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (name[0] == '.');
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/backup/while-writing", Fixture, NULL, fixture_set_up,
              test_backup_while_writing, fixture_tear_down);
  g_test_add ("/store/backup/refusals", Fixture, NULL, fixture_set_up,
              test_backup_refusals, fixture_tear_down);
  return g_test_run ();
}
