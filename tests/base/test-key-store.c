/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the file key store: storing, looking up and removing keys, and the file modes. */
#include "relay-file-key-store.h"

#include <errno.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

typedef struct
{
  char *tmp_dir;
  char *dir;     /* not created yet: the store must create it */
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->tmp_dir = g_dir_make_tmp ("relay-key-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->dir = g_build_filename (f->tmp_dir, "smm-relay", NULL);
  f->path = g_build_filename (f->dir, "keys", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
test_store_lookup_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayKeyStore) store = relay_file_key_store_new (f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_assert_cmpstr (relay_file_key_store_get_path (RELAY_FILE_KEY_STORE (store)), ==, f->path);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  g_assert_true (relay_key_store_store (store, "provider-1", "secret-key-1", &error));
  g_assert_no_error (error);
  key = relay_key_store_lookup (store, "provider-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "secret-key-1");
  g_clear_pointer (&key, g_free);

  /* Replacing a key. */
  g_assert_true (relay_key_store_store (store, "provider-1", "secret-key-2", &error));
  key = relay_key_store_lookup (store, "provider-1", &error);
  g_assert_cmpstr (key, ==, "secret-key-2");
  g_clear_pointer (&key, g_free);

  g_assert_true (relay_key_store_remove (store, "provider-1", &error));
  g_assert_no_error (error);
  key = relay_key_store_lookup (store, "provider-1", &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Removing a missing key is not an error. */
  g_assert_true (relay_key_store_remove (store, "provider-1", &error));
  g_assert_no_error (error);
}

static void
test_modes (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayKeyStore) store = relay_file_key_store_new (f->path);
  GStatBuf st;

  g_assert_true (relay_key_store_store (store, "p", "k", NULL));
  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Still 0600 after a rewrite. */
  g_assert_true (relay_key_store_store (store, "q", "k2", NULL));
  g_assert_true (relay_key_store_remove (store, "p", NULL));
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_missing (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayKeyStore) store = relay_file_key_store_new (f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  /* No file at all. */
  key = relay_key_store_lookup (store, "nothing", &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A file without that key. */
  g_assert_true (relay_key_store_store (store, "other", "k", NULL));
  key = relay_key_store_lookup (store, "nothing", &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_refs_independent (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayKeyStore) store = relay_file_key_store_new (f->path);
  g_autoptr(RelayKeyStore) second = relay_file_key_store_new (f->path);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *seen = NULL;

  g_assert_true (relay_key_store_store (store, "ref-a", "key-a", NULL));
  g_assert_true (relay_key_store_store (store, "ref-b", "key-b", NULL));
  a = relay_key_store_lookup (store, "ref-a", NULL);
  b = relay_key_store_lookup (store, "ref-b", NULL);
  g_assert_cmpstr (a, ==, "key-a");
  g_assert_cmpstr (b, ==, "key-b");
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);

  /* Changing or removing one leaves the other alone. */
  g_assert_true (relay_key_store_store (store, "ref-a", "key-a2", NULL));
  b = relay_key_store_lookup (store, "ref-b", NULL);
  g_assert_cmpstr (b, ==, "key-b");
  g_clear_pointer (&b, g_free);
  g_assert_true (relay_key_store_remove (store, "ref-a", NULL));
  b = relay_key_store_lookup (store, "ref-b", NULL);
  g_assert_cmpstr (b, ==, "key-b");
  a = relay_key_store_lookup (store, "ref-a", NULL);
  g_assert_null (a);

  /* A second store on the same file sees what the first wrote. */
  seen = relay_key_store_lookup (second, "ref-b", NULL);
  g_assert_cmpstr (seen, ==, "key-b");
}

static void
test_awkward_values (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayKeyStore) store = relay_file_key_store_new (f->path);
  g_autoptr(RelayKeyStore) reopened = NULL;
  static const char * const keys[] = {
    "with spaces and = signs", "semi;colon#hash[brackets]", "ünïcödé-ключ", "  padded  ", NULL
  };

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *ref = g_strdup_printf ("ref-%u", i);

      g_assert_true (relay_key_store_store (store, ref, keys[i], NULL));
    }
  reopened = relay_file_key_store_new (f->path);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *ref = g_strdup_printf ("ref-%u", i);
      g_autofree char *key = relay_key_store_lookup (reopened, ref, NULL);

      g_assert_cmpstr (key, ==, keys[i]);
    }
}

static void
test_env_path (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayKeyStore) store = NULL;

  g_setenv ("SMM_RELAY_KEYS", f->path, TRUE);
  store = relay_file_key_store_new (NULL);
  g_unsetenv ("SMM_RELAY_KEYS");
  g_assert_cmpstr (relay_file_key_store_get_path (RELAY_FILE_KEY_STORE (store)), ==, f->path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/key-store/store-lookup-remove", test_store_lookup_remove);
  ADD ("/key-store/modes", test_modes);
  ADD ("/key-store/missing", test_missing);
  ADD ("/key-store/refs-independent", test_refs_independent);
  ADD ("/key-store/awkward-values", test_awkward_values);
  ADD ("/key-store/env-path", test_env_path);
#undef ADD

  return g_test_run ();
}
