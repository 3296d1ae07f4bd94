/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine-book-lock.h"

#include <sqlite3.h>

struct _EtBookLock
{
  char     *path;
  guint     max_ms;
  gint      locked;     /* atomic: the lock is held */
  gint      release;    /* atomic: let it go */
  GThread  *thread;
};

static gpointer
book_lock_thread (gpointer data)
{
  EtBookLock *lock = data;
  sqlite3 *db = NULL;
  gint64 end;

  g_assert_cmpint (sqlite3_open (lock->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  /* @max_ms from when the lock is held: BEGIN may itself have waited for
   * the app's own writes. */
  end = g_get_monotonic_time () + (gint64) lock->max_ms * 1000;
  g_atomic_int_set (&lock->locked, 1);
  while (!g_atomic_int_get (&lock->release) && g_get_monotonic_time () < end)
    g_usleep (5000);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  return NULL;
}

EtBookLock *
et_book_lock_take (const char *path,
                   guint       max_ms)
{
  EtBookLock *lock = g_new0 (EtBookLock, 1);

  lock->path = g_strdup (path);
  lock->max_ms = max_ms;
  lock->thread = g_thread_new ("book-lock", book_lock_thread, lock);
  while (!g_atomic_int_get (&lock->locked))
    g_usleep (1000);
  return lock;
}

void
et_book_lock_release (EtBookLock *lock)
{
  g_atomic_int_set (&lock->release, 1);
  g_thread_join (lock->thread);
  g_free (lock->path);
  g_free (lock);
}
