/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replays a harness's seed corpus and saved crashes as ordinary unit tests,
 * without libFuzzer: one test case per file of fuzz/corpus/<target>/ and
 * fuzz/regressions/<target>/, so every crash the fuzzer ever found is checked
 * again in every build (see replay_open_file() for those not fixed yet). */
#include "fuzz-common.h"

#include <string.h>

static void
replay_file (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", path, length);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) contents, length), ==, 0);
}

/* A saved crash whose bug is not fixed yet is named open-…: it is replayed
 * in a subprocess and counted as an expected failure (TAP "# TODO"); once it
 * passes, the test fails so that it gets its plain name and guards the fix. */
static void
replay_open_file (gconstpointer data)
{
  if (g_test_subprocess ())
    {
      replay_file (data);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  if (g_test_trap_has_passed ())
    g_test_fail_printf ("%s passes now: take open- off its name", (const char *) data);
  else
    g_test_incomplete ("a known open bug, still failing");
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Adds a test case for every file of @dir, in name order; returns how many. */
static guint
add_dir (GPtrArray *keep, const char *kind, const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (handle == NULL)
    return 0;
  while ((name = g_dir_read_name (handle)) != NULL)
    if (name[0] != '.' && strcmp (name, "README") != 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/%s/%s", FUZZ_TARGET, kind,
                                                    (char *) g_ptr_array_index (names, i));

      g_ptr_array_add (keep, path);
      g_test_add_data_func (test_path, path,
                            g_str_has_prefix (g_ptr_array_index (names, i), "open-")
                            ? replay_open_file : replay_file);
    }
  return names->len;
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *corpus = g_build_filename (FUZZ_SRCDIR, "corpus", FUZZ_TARGET, NULL);
  g_autofree char *regressions = g_build_filename (FUZZ_SRCDIR, "regressions", FUZZ_TARGET,
                                                   NULL);
  guint n_seeds;

  g_test_init (&argc, &argv, NULL);
  n_seeds = add_dir (paths, "corpus", corpus);
  add_dir (paths, "regressions", regressions);
  /* A harness without its seed corpus would pass by testing nothing. */
  if (n_seeds == 0)
    g_error ("no seed corpus in %s", corpus);
  return g_test_run ();
}
