/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's state file (demo-sim.db in the demo) holds the demo's
 * orders and balance: 0600 like the order book, with its -wal and -shm. */
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "relay-sim.h"

static guint
file_mode (const char *path)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
check_private (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_cmpuint (file_mode (path), ==, 0600);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_cmpuint (file_mode (wal), ==, 0600);
  if (g_file_test (shm, G_FILE_TEST_EXISTS))
    g_assert_cmpuint (file_mode (shm), ==, 0600);
}

static void
test_state_private (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-sim-files-XXXXXX", &error);
  g_autofree char *path = NULL;
  mode_t old_umask = umask (022);

  g_assert_no_error (error);
  path = g_build_filename (dir, "demo-sim.db", NULL);

  /* A new state file. */
  {
    g_autoptr (RelaySim) sim = relay_sim_new ();

    g_assert_true (relay_sim_set_state_file (sim, path, &error));
    g_assert_no_error (error);
    check_private (path);
  }
  check_private (path);

  /* One an older version left 0644 is tightened when it is opened. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  {
    g_autoptr (RelaySim) sim = relay_sim_new ();

    g_assert_true (relay_sim_set_state_file (sim, path, &error));
    g_assert_no_error (error);
    check_private (path);
  }

  umask (old_umask);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/files/state-private", test_state_private);
  return g_test_run ();
}
