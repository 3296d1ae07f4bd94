/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Backups of the order book with SQLite's online backup API, safe while SMM Relay writes to it. */
#include "config.h"

#include "relay-store.h"
#include "relay-error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* Pages copied per step (4 MiB with 4 KiB pages): between steps the source
 * is not read-locked, so a writer in another connection is never held up for
 * longer than one step takes (a few ms). */
#define PAGES_PER_STEP 1024
/* A write to the source by another connection restarts the copy at its next
 * step.  After that many restarts the rest is copied in one step, which in WAL
 * mode holds a read snapshot but never blocks the writers. */
#define MAX_RESTARTS 8
/* How long a step may wait for a lock before the backup gives up. */
#define BUSY_TIMEOUT_MS 5000

static void
set_sqlite_error (GError **error, sqlite3 *db, int rc, const char *what)
{
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
               /* TRANSLATORS: "cannot read the order book: database is locked" */
               _("%s: %s"), what, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

/* Whether @a and @b are the same file (both must exist). */
static gboolean
same_file (const char *a, const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static gboolean
sync_directory (const char *dir, GError **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot write the backup’s folder: %s"), g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Copies @src into @dst page by page; see PAGES_PER_STEP and MAX_RESTARTS. */
static gboolean
copy_pages (sqlite3 *src, sqlite3 *dst, GCancellable *cancellable, GError **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (dst, "main", src, "main");
  int last_remaining = -1;
  guint restarts = 0;
  int rc;

  if (backup == NULL)
    {
      set_sqlite_error (error, dst, SQLITE_ERROR, _("cannot start the backup"));
      return FALSE;
    }
  do
    {
      int n_pages = restarts >= MAX_RESTARTS ? -1 : PAGES_PER_STEP;

      if (g_cancellable_is_cancelled (cancellable))
        {
          sqlite3_backup_finish (backup);
          return !g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      rc = sqlite3_backup_step (backup, n_pages);
      if (rc == SQLITE_OK)
        {
          int remaining = sqlite3_backup_remaining (backup);

          /* More left than before: a writer changed the source meanwhile. */
          if (last_remaining >= 0 && remaining > last_remaining - PAGES_PER_STEP)
            restarts++;
          last_remaining = remaining;
        }
      else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        g_usleep (10 * 1000);  /* sqlite3_busy_timeout() waited already; try again */
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);

  /* sqlite3_backup_finish() returns the error of the failed step, if any. */
  rc = sqlite3_backup_finish (backup);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, dst, rc, _("the backup failed"));
      return FALSE;
    }
  return TRUE;
}

/* The copy is a database of its own: rollback journal (no -wal file beside
 * it), and it must pass SQLite's quick check before it takes FILE's name. */
static gboolean
finish_copy (sqlite3 *dst, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *verdict = NULL;
  int rc;

  rc = sqlite3_exec (dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, dst, rc, _("cannot finish the backup"));
      return FALSE;
    }
  rc = sqlite3_prepare_v2 (dst, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    verdict = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (g_strcmp0 (verdict, "ok") != 0)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                   _("the copy did not pass SQLite’s check: %s"),
                   verdict != NULL ? verdict : sqlite3_errmsg (dst));
      return FALSE;
    }
  return TRUE;
}

/* Gives the finished temporary file @tmp the name @dest: never over an
 * existing file unless @overwrite (link() fails atomically on one). */
static gboolean
publish (const char *tmp, const char *dest, gboolean overwrite, GError **error)
{
  int saved;

  if (overwrite)
    {
      if (g_rename (tmp, dest) == 0)
        return TRUE;
      saved = errno;
    }
  else
    {
      if (link (tmp, dest) == 0)
        {
          g_unlink (tmp);
          return TRUE;
        }
      saved = errno;
      /* File systems without hard links: check, then rename. */
      if ((saved == EPERM || saved == ENOTSUP || saved == EOPNOTSUPP || saved == EXDEV) &&
          !g_file_test (dest, G_FILE_TEST_EXISTS))
        {
          if (g_rename (tmp, dest) == 0)
            return TRUE;
          saved = errno;
        }
    }
  if (saved == EEXIST)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS,
                 _("the file exists already (use --force to replace it)"));
  else
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                 _("cannot write the backup: %s"), g_strerror (saved));
  return FALSE;
}

/* Opens the book to read.  A WAL book needs its -shm, which SQLite cannot
 * create in a read-only folder (a book on read-only media, an archive): then,
 * when there is no -wal beside it either, nobody can be writing it (a writer
 * would have to create the -wal or a -journal in that folder), so it is read
 * as immutable, without the -shm.  With a -wal, SQLite reads it itself. */
static int
open_source (const char *source_path, sqlite3 **src)
{
  g_autofree char *dir = g_path_get_dirname (source_path);
  g_autofree char *wal = g_strconcat (source_path, "-wal", NULL);
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;

  if (access (dir, W_OK | X_OK) == 0 || (errno != EACCES && errno != EROFS) ||
      g_file_test (wal, G_FILE_TEST_EXISTS))
    return sqlite3_open_v2 (source_path, src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  escaped = g_uri_escape_string (source_path, "/", FALSE);
  uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
  return sqlite3_open_v2 (uri, src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
}

gboolean
relay_store_backup_file (const char    *source_path,
                         const char    *dest_path,
                         gboolean       overwrite,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  sqlite3 *src = NULL;
  sqlite3 *dst = NULL;
  gboolean ok = FALSE;
  int fd;
  int rc;

  g_return_val_if_fail (source_path != NULL, FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (source_path, ":memory:") == 0 || *source_path == '\0')
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                   _("an order book in memory has no file to back up"));
      return FALSE;
    }
  if (!g_file_test (source_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                   _("there is no order book at %s"), source_path);
      return FALSE;
    }
  if (g_file_test (dest_path, G_FILE_TEST_EXISTS))
    {
      if (same_file (source_path, dest_path))
        {
          g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS,
                       _("the backup cannot replace the order book itself"));
          return FALSE;
        }
      if (!overwrite)
        {
          g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS,
                       _("the file exists already (use --force to replace it)"));
          return FALSE;
        }
      if (g_file_test (dest_path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                       _("the backup’s name is that of a folder"));
          return FALSE;
        }
    }

  /* The copy is written beside FILE, so that the rename cannot cross file
   * systems, and only readable by its owner: it holds the whole business. */
  dir = g_path_get_dirname (dest_path);
  base = g_path_get_basename (dest_path);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot write the backup: %s"), g_strerror (saved));
      return FALSE;
    }
  close (fd);

  rc = open_source (source_path, &src);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, src, rc, _("cannot read the order book"));
      goto out;
    }
  sqlite3_busy_timeout (src, BUSY_TIMEOUT_MS);
  rc = sqlite3_open_v2 (tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, dst, rc, _("cannot write the backup"));
      goto out;
    }
  sqlite3_busy_timeout (dst, BUSY_TIMEOUT_MS);
  sqlite3_exec (dst, "PRAGMA synchronous = FULL", NULL, NULL, NULL);

  if (!copy_pages (src, dst, cancellable, error) || !finish_copy (dst, error))
    goto out;
  rc = sqlite3_close (dst);
  dst = NULL;
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, NULL, rc, _("cannot write the backup"));
      goto out;
    }
  if (g_chmod (tmp, 0600) != 0 || !publish (tmp, dest_path, overwrite, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                     _("cannot write the backup: %s"), g_strerror (errno));
      goto out;
    }
  g_clear_pointer (&tmp, g_free);
  ok = sync_directory (dir, error);

out:
  if (dst != NULL)
    sqlite3_close (dst);
  if (src != NULL)
    sqlite3_close (src);
  if (tmp != NULL)
    {
      g_autofree char *journal = g_strconcat (tmp, "-journal", NULL);

      g_unlink (journal);
      g_unlink (tmp);
    }
  return ok;
}

gboolean
relay_store_backup (RelayStore    *self,
                    const char    *dest_path,
                    gboolean       overwrite,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  return relay_store_backup_file (relay_store_get_path (self), dest_path, overwrite,
                                  cancellable, error);
}
