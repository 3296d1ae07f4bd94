/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the order book's files: opening the book never opens and closes
 * SQLite's files behind its back (that drops its POSIX locks, and a second
 * process then truncates the -shm under a living sender: SIGBUS); a --db
 * that is not a regular file is refused untouched; a book in a read-only
 * folder gets a message that names the folder. */
#include <errno.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay-error.h"
#include "relay-provider-types.h"
#include "relay-store.h"

#define ROUNDS        4
#define ROUND_USEC    (1500 * G_TIME_SPAN_MILLISECOND)

#define SERVICE_ID    10

/* The number of orders, in @status or all. */
static gint64
count_orders (RelayStore *store, const char *status)
{
  sqlite3 *db = relay_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM orders WHERE ?1 IS NULL OR status = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (status != NULL)
    sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The store library has no relay_provider_service_free (it is the
 * provider library's). */
static void
service_free (RelayProviderService *self)
{
  g_free (self->service_id);
  g_free (self->name);
  g_free (self->type);
  g_free (self->category);
  g_free (self);
}

/* A provider with one service in its catalog, my service on it, a client. */
static void
fill_book (RelayStore *store, gint64 *out_client, gint64 *out_catalog)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) service_free);
  g_autoptr (RelayCatalogRow) row = NULL;
  RelayProviderService *service = g_new0 (RelayProviderService, 1);
  gint64 provider;

  provider = relay_store_add_provider (store, "Panel", "https://panel.example/api/v2", "key-ref", &error);
  g_assert_no_error (error);
  service->service_id = g_strdup ("1");
  service->name = g_strdup ("Followers");
  service->type = g_strdup ("Default");
  service->category = g_strdup ("Test category");
  service->rate = 278190;
  service->min = 10;
  service->max = 1000000;
  g_ptr_array_add (services, service);
  g_assert_true (relay_store_replace_catalog (store, provider, services, NULL, &error));
  g_assert_no_error (error);
  row = relay_store_find_catalog_service (store, provider, "1", &error);
  g_assert_no_error (error);
  g_assert_true (relay_store_map_service (store, SERVICE_ID, "Followers", 500000, row->id, 0, FALSE, &error));
  g_assert_no_error (error);
  *out_client = relay_store_add_client (store, "Client", &error);
  g_assert_no_error (error);
  *out_catalog = row->id;
}

/* The child, a dispatcher: one store kept open, an order after another
 * recorded, marked sending (under this process's sender lease) and sent for
 * ROUND_USEC, then the number sent in @count_path.  Exits 0 when every order
 * went in; dies of SIGBUS when its -shm was truncated under it. */
static void
run_writer (const char *path, const char *count_path, int round, gint64 client, gint64 catalog)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayStore) store = relay_store_open (path, &error);
  g_autofree char *text = NULL;
  gint64 until;
  gint64 before;
  gint64 n = 0;

  if (store == NULL)
    _exit (2);
  before = count_orders (store, "pending");
  until = g_get_monotonic_time () + ROUND_USEC;
  while (g_get_monotonic_time () < until)
    {
      g_autoptr (GPtrArray) drafts = g_ptr_array_new ();
      g_autoptr (GArray) ids = NULL;
      g_autofree char *provider_id = g_strdup_printf ("%d%06" G_GINT64_FORMAT, round + 1, n);
      RelayOrderDraft draft = { 0 };
      gint64 id;

      draft.service_id = SERVICE_ID;
      draft.client_id = client;
      draft.link = "https://x.example/files";
      draft.quantity = 100;
      g_ptr_array_add (drafts, &draft);
      ids = relay_store_insert_orders (store, drafts, "user", &error);
      if (ids == NULL || ids->len != 1)
        _exit (3);
      id = g_array_index (ids, gint64, 0);
      if (!relay_store_mark_sending (store, id, catalog, &error) ||
          !relay_store_mark_sent (store, id, provider_id, &error))
        _exit (4);
      n++;
    }
  if (count_orders (store, "pending") != before + n)
    _exit (4);
  text = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  if (!g_file_set_contents (count_path, text, -1, NULL))
    _exit (5);
  g_clear_object (&store);
  _exit (0);
}

/* T7's issue 7, defect 1: a dispatcher is running, another process opens the
 * book ("orders") and the dispatcher dies of SIGBUS.  Here a child sends
 * orders for a while beside repeated opens by this process, each looking for
 * dead senders as a core does; the child must exit 0 with every order in the
 * book and none in review, round after round. */
static void
test_second_process_keeps_locks (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-files-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *count_path = NULL;
  gint64 expected = 0;
  gint64 client = 0;
  gint64 catalog = 0;
  guint n_opens = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "shop.db", NULL);
  count_path = g_build_filename (dir, "count", NULL);
  {
    g_autoptr (RelayStore) store = relay_store_open (path, &error);

    g_assert_no_error (error);
    fill_book (store, &client, &catalog);
  }

  for (int round = 0; round < ROUNDS; round++)
    {
      g_autofree char *text = NULL;
      gint64 until;
      int status = 0;
      pid_t pid;

      g_unlink (count_path);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        run_writer (path, count_path, round, client, catalog);

      /* Let the child open the book first, then open it again and again. */
      g_usleep (150 * G_TIME_SPAN_MILLISECOND);
      until = g_get_monotonic_time () + ROUND_USEC;
      while (g_get_monotonic_time () < until)
        {
          g_autoptr (RelayStore) other = relay_store_open (path, &error);

          g_assert_no_error (error);
          g_assert_cmpint (count_orders (other, "pending"), >=, expected);
          /* A living sender's order is never taken for a dead one's. */
          g_assert_cmpuint (relay_store_reap_dead_senders (other, &error), ==, 0);
          g_assert_no_error (error);
          g_assert_cmpint (count_orders (other, "needs_review"), ==, 0);
          g_clear_object (&other);
          n_opens++;
          g_usleep (10 * G_TIME_SPAN_MILLISECOND);
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (WIFSIGNALED (status))
        g_test_message ("round %d: the writer died of signal %d", round, WTERMSIG (status));
      g_assert_false (WIFSIGNALED (status));
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      g_assert_true (g_file_get_contents (count_path, &text, NULL, NULL));
      g_assert_cmpint (g_ascii_strtoll (text, NULL, 10), >, 0);
      expected += g_ascii_strtoll (text, NULL, 10);
    }
  g_test_message ("%u opens beside %d senders, %" G_GINT64_FORMAT " orders sent",
                  n_opens, ROUNDS, expected);

  /* Every write of every round is in the book, and the book is sound. */
  {
    g_autoptr (RelayStore) store = relay_store_open (path, &error);
    sqlite3_stmt *stmt = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (count_orders (store, NULL), ==, expected);
    g_assert_cmpint (count_orders (store, "pending"), ==, expected);
    g_assert_cmpint (count_orders (store, "needs_review"), ==, 0);
    g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (store), "PRAGMA integrity_check",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
    sqlite3_finalize (stmt);
  }
  g_unlink (count_path);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

static guint
file_mode (const char *path)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* Defect 2: `--db /dev/null` made /dev/null 0600 and created
 * /dev/null-journal.  A FIFO stands for any file that is not a book. */
static void
test_not_regular_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-files-XXXXXX", &error);
  g_autofree char *fifo = NULL;
  g_autofree char *link = NULL;
  const char *suffixes[] = { "-journal", "-wal", "-shm", ".senders" };
  RelayStore *store;

  g_assert_no_error (error);
  fifo = g_build_filename (dir, "pipe", NULL);
  link = g_build_filename (dir, "link.db", NULL);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_cmpint (g_chmod (fifo, 0644), ==, 0);
  g_assert_cmpint (symlink ("pipe", link), ==, 0);

  store = relay_store_open (fifo, &error);
  g_assert_null (store);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, fifo));
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);
  /* Through a symbolic link too. */
  store = relay_store_open (link, &error);
  g_assert_null (store);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED);
  g_clear_error (&error);

  /* Untouched, and nothing created beside it. */
  g_assert_cmpuint (file_mode (fifo), ==, 0644);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *beside = g_strconcat (fifo, suffixes[i], NULL);
      g_autofree char *beside_link = g_strconcat (link, suffixes[i], NULL);

      g_assert_false (g_file_test (beside, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (beside_link, G_FILE_TEST_EXISTS));
    }
  g_unlink (link);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* The checks of test_read_only_folder(), in a child that cannot write the
 * folder; the exit code says which failed. */
static int
read_only_checks (const char *path, const char *folder, const char *copy)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayStore) store = relay_store_open (path, &error);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n = -1;

  if (store != NULL || error == NULL)
    return 10;
  g_test_message ("%s", error->message);
  if (strstr (error->message, folder) == NULL || strstr (error->message, "read-only") == NULL)
    return 11;
  /* A read-only book can still be backed up, whole. */
  g_clear_error (&error);
  if (!relay_store_backup_file (path, copy, FALSE, NULL, &error))
    {
      g_test_message ("backup: %s", error->message);
      return 12;
    }
  if (sqlite3_open_v2 (copy, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM clients", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return 13;
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (n != 2)
    return 14;
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    return 15;
  return 0;
}

/* Defect 6: a book in a read-only folder said "attempt to write a readonly
 * database".  Opening it names the folder; a backup of it works. */
static void
test_read_only_folder (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-files-XXXXXX", &error);
  g_autofree char *folder = NULL;
  g_autofree char *out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *lock = NULL;
  struct passwd *nobody = getpwnam ("nobody");
  gboolean root = geteuid () == 0;
  int status = 0;
  pid_t pid;

  g_assert_no_error (error);
  if (root && nobody == NULL)
    {
      g_test_skip ("running as root without a user “nobody” to drop to");
      return;
    }
  folder = g_build_filename (dir, "book", NULL);
  out = g_build_filename (dir, "out", NULL);
  path = g_build_filename (folder, "shop.db", NULL);
  copy = g_build_filename (out, "copy.db", NULL);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  {
    g_autoptr (RelayStore) store = relay_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (relay_store_add_client (store, "One", &error), >, 0);
    g_assert_cmpint (relay_store_add_client (store, "Two", &error), >, 0);
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  if (root)
    {
      g_assert_cmpint (chown (folder, nobody->pw_uid, nobody->pw_gid), ==, 0);
      g_assert_cmpint (chown (path, nobody->pw_uid, nobody->pw_gid), ==, 0);
      g_assert_cmpint (chown (out, nobody->pw_uid, nobody->pw_gid), ==, 0);
    }
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (root && (setgid (nobody->pw_gid) != 0 || setuid (nobody->pw_uid) != 0))
        _exit (9);
      _exit (read_only_checks (path, folder, copy));
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
  lock = g_strconcat (path, ".lock", NULL);
  g_unlink (lock);
  g_unlink (path);
  g_unlink (copy);
  g_rmdir (out);
  g_rmdir (folder);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/files/second-process-keeps-locks", test_second_process_keeps_locks);
  g_test_add_func ("/store/files/not-regular-refused", test_not_regular_refused);
  g_test_add_func ("/store/files/read-only-folder", test_read_only_folder);
  return g_test_run ();
}
