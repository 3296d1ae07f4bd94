/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Adding, changing and removing a provider from a window never waits for the
 * key store: with a keyring that takes SLOW_MS a call, a 1 ms timer keeps
 * ticking, no key-store call runs on the main thread, the key is kept before
 * the book points at it, and a failure or a give-up (cancelled) leaves
 * neither a provider without a key nor a key without a provider. */
#include "engine-test-util.h"
#include "engine-slow-keys.h"
#include "relay-file-key-store.h"

#define SLOW_MS 400
#define URL "http://127.0.0.1:9/api/v2"

typedef struct
{
  EtBook        *book;
  RelayKeyStore *file_keys;   /* the real store behind the slow one */
  EtSlowKeys    *keys;
  RelayCore     *core;
  EtGap          ticker;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->book = et_book_new ();
  f->file_keys = relay_file_key_store_new (f->book->keys_path);
  f->keys = et_slow_keys_new (g_object_ref (f->file_keys), SLOW_MS);
  f->core = relay_core_new (f->book->db_path, RELAY_KEY_STORE (f->keys), &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  g_clear_object (&f->keys);
  g_clear_object (&f->file_keys);
  g_clear_pointer (&f->book, et_book_free);
}

static RelayProviderRow *
find (Fixture *f, const char *name)
{
  return relay_store_find_provider (relay_core_get_store (f->core), name, NULL);
}

/* The key @ref holds in the real store, or NULL. */
static char *
stored_key (Fixture *f, const char *ref)
{
  return relay_key_store_lookup (f->file_keys, ref, NULL);
}

static gint64
add (Fixture *f, const char *name, const char *key, GError **error)
{
  EtAsync async = { 0 };
  gint64 id;

  relay_core_add_provider_async (f->core, name, URL, key, NULL, et_async_ready, &async);
  id = relay_core_add_provider_finish (f->core, et_async_wait (&async), error);
  et_async_clear (&async);
  return id;
}

static gint64
longest_ms (Fixture *f)
{
  gint64 longest = et_gap_stop (&f->ticker) / 1000;

  g_test_message ("longest gap of the 1 ms timer: %" G_GINT64_FORMAT " ms (a key-store call: %d ms)",
                  longest, SLOW_MS);
  return longest;
}

static void
test_add (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  EtAsync async = { 0 };
  gint64 id;

  et_gap_start (&f->ticker, 1);
  relay_core_add_provider_async (f->core, "Panel", URL, "secret-key-1", NULL, et_async_ready, &async);
  /* The key is kept first: until then the book has no provider that points
   * at a key the store does not have. */
  g_assert_null (find (f, "Panel"));
  id = relay_core_add_provider_finish (f->core, et_async_wait (&async), &error);
  et_async_clear (&async);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (longest_ms (f), <, SLOW_MS / 2);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_stores), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_on_main_thread), ==, 0);
  row = find (f, "Panel");
  g_assert_nonnull (row);
  g_assert_cmpint (row->id, ==, id);
  key = stored_key (f, row->key_ref);
  g_assert_cmpstr (key, ==, "secret-key-1");
}

/* What can be told at once is told at once, and the key store is never
 * asked: an empty key, a bad URL, a name in use. */
static void
test_add_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };

  g_assert_cmpint (add (f, "Panel", "  ", &error), ==, 0);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
  g_clear_error (&error);

  relay_core_add_provider_async (f->core, "Panel", "http://panel.example/api/v2", "k", NULL,
                                 et_async_ready, &async);
  g_assert_cmpint (relay_core_add_provider_finish (f->core, et_async_wait (&async), &error), ==, 0);
  et_async_clear (&async);
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_cmpint (add (f, "Panel", "k1", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (add (f, "Panel", "k2", &error), ==, 0);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_stores), ==, 1);
}

/* Another process takes the name while the key is being kept: the add fails
 * with the book's words, and the key it kept is removed again. */
static void
test_add_name_taken_meanwhile (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayCore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  EtAsync async = { 0 };
  gint64 other_id;
  gint64 id;

  other = relay_core_new (f->book->db_path, f->file_keys, &error);
  g_assert_no_error (error);
  relay_core_add_provider_async (f->core, "Panel", URL, "mine", NULL, et_async_ready, &async);
  other_id = relay_core_add_provider (other, "Panel", URL, "theirs", &error);
  g_assert_no_error (error);
  g_assert_cmpint (other_id, >, 0);
  id = relay_core_add_provider_finish (f->core, et_async_wait (&async), &error);
  et_async_clear (&async);

  g_assert_cmpint (id, ==, 0);
  g_assert_nonnull (error);
  /* The kept key goes again, on a worker: only "theirs" stays. */
  for (guint i = 0; i < 100 && g_atomic_int_get (&f->keys->n_removes) == 0; i++)
    et_spin (20);
  et_spin (SLOW_MS + 100);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_removes), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_on_main_thread), ==, 0);
  {
    g_autoptr(RelayProviderRow) row = find (f, "Panel");
    g_autofree char *theirs = stored_key (f, row->key_ref);
    g_autofree char *keys = NULL;

    g_assert_cmpstr (theirs, ==, "theirs");
    g_assert_true (g_file_get_contents (f->book->keys_path, &keys, NULL, NULL));
    g_assert_null (strstr (keys, "mine"));
  }
}

/* Two saves at once (two windows, or a rename racing a new key) both keep
 * their key: the key store's writes take turns. */
static void
test_two_adds_at_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  EtAsync a = { 0 }, b = { 0 };

  relay_core_add_provider_async (f->core, "One", URL, "key-one", NULL, et_async_ready, &a);
  relay_core_add_provider_async (f->core, "Two", URL, "key-two", NULL, et_async_ready, &b);
  g_assert_cmpint (relay_core_add_provider_finish (f->core, et_async_wait (&a), &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (relay_core_add_provider_finish (f->core, et_async_wait (&b), &error), >, 0);
  g_assert_no_error (error);
  et_async_clear (&a);
  et_async_clear (&b);
  {
    g_autoptr(RelayProviderRow) one = find (f, "One");
    g_autoptr(RelayProviderRow) two = find (f, "Two");
    g_autofree char *key_one = stored_key (f, one->key_ref);
    g_autofree char *key_two = stored_key (f, two->key_ref);

    g_assert_cmpstr (key_one, ==, "key-one");
    g_assert_cmpstr (key_two, ==, "key-two");
  }
}

static gboolean
update (Fixture *f, gint64 id, const char *name, const char *key, GError **error)
{
  EtAsync async = { 0 };
  gboolean ok;

  relay_core_update_provider_async (f->core, id, name, NULL, key, NULL, et_async_ready, &async);
  ok = relay_core_update_provider_finish (f->core, et_async_wait (&async), error);
  et_async_clear (&async);
  return ok;
}

/* A new key replaces the old one (off the main thread); a rename keeps the
 * key and relabels it after the book has the new name. */
static void
test_update (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autofree char *key = NULL;
  gint64 id = add (f, "Panel", "old-key", &error);

  g_assert_no_error (error);
  et_gap_start (&f->ticker, 1);
  g_assert_true (update (f, id, NULL, "new-key", &error));
  g_assert_no_error (error);
  g_assert_cmpint (longest_ms (f), <, SLOW_MS / 2);
  row = find (f, "Panel");
  key = stored_key (f, row->key_ref);
  g_assert_cmpstr (key, ==, "new-key");

  g_assert_true (update (f, id, "Renamed", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_provider_row_free);
  row = find (f, "Renamed");
  g_assert_nonnull (row);
  g_assert_cmpint (row->id, ==, id);
  /* The relabel (a lookup and a store) runs on a worker after the book. */
  for (guint i = 0; i < 200 && g_atomic_int_get (&f->keys->n_stores) < 3; i++)
    et_spin (10);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_stores), ==, 3);
  g_clear_pointer (&key, g_free);
  key = stored_key (f, row->key_ref);
  g_assert_cmpstr (key, ==, "new-key");
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_on_main_thread), ==, 0);

  /* An empty key is refused at once, and the book keeps its name. */
  g_assert_false (update (f, id, "Other", " ", &error));
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
  g_clear_pointer (&row, relay_provider_row_free);
  row = find (f, "Renamed");
  g_assert_nonnull (row);
}

/* Given up (cancelled) while the key store takes its time: an add writes no
 * provider and removes the key the store kept meanwhile; an update keeps the
 * book's name and puts the old key back. */
static void
test_given_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) update_cancellable = g_cancellable_new ();
  g_autoptr(RelayProviderRow) row = NULL;
  g_autofree char *key = NULL;
  EtAsync async = { 0 };
  gint64 id;

  relay_core_add_provider_async (f->core, "Given up", URL, "secret-key", cancellable,
                                 et_async_ready, &async);
  et_spin (SLOW_MS / 4);
  g_cancellable_cancel (cancellable);
  id = relay_core_add_provider_finish (f->core, et_async_wait (&async), &error);
  et_async_clear (&async);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (id, ==, 0);
  g_assert_null (find (f, "Given up"));
  /* The key kept after all goes again, on a worker. */
  for (guint i = 0; i < 200 && g_atomic_int_get (&f->keys->n_removes) < 1; i++)
    et_spin (10);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_stores), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_removes), ==, 1);
  et_spin (SLOW_MS + 200);
  {
    g_autoptr(GPtrArray) providers = relay_store_list_providers (relay_core_get_store (f->core),
                                                                 NULL);

    g_assert_cmpuint (providers->len, ==, 0);
  }

  id = add (f, "Panel", "old-key", &error);
  g_assert_no_error (error);
  relay_core_update_provider_async (f->core, id, "New name", NULL, "new-key", update_cancellable,
                                    et_async_ready, &async);
  et_spin (SLOW_MS / 4);
  g_cancellable_cancel (update_cancellable);
  g_assert_false (relay_core_update_provider_finish (f->core, et_async_wait (&async), &error));
  et_async_clear (&async);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (find (f, "New name"));
  row = find (f, "Panel");
  g_assert_nonnull (row);
  /* add: 1 store; the update: a lookup, the new key, then the old one back. */
  for (guint i = 0; i < 300 && g_atomic_int_get (&f->keys->n_stores) < 4; i++)
    et_spin (10);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_stores), ==, 4);
  /* Counted as it begins: the store itself takes SLOW_MS. */
  et_spin (SLOW_MS + 200);
  key = stored_key (f, row->key_ref);
  g_assert_cmpstr (key, ==, "old-key");
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_on_main_thread), ==, 0);
}

/* Removing: the book forgets the provider at once, the key goes on a worker
 * before the call completes. */
static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autofree char *key = NULL;
  EtAsync async = { 0 };
  gint64 id = add (f, "Panel", "gone-key", &error);

  g_assert_no_error (error);
  row = find (f, "Panel");
  et_gap_start (&f->ticker, 1);
  relay_core_remove_provider_async (f->core, id, NULL, et_async_ready, &async);
  g_assert_null (find (f, "Panel"));
  g_assert_true (relay_core_remove_provider_finish (f->core, et_async_wait (&async), &error));
  et_async_clear (&async);
  g_assert_no_error (error);
  g_assert_cmpint (longest_ms (f), <, SLOW_MS / 2);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_removes), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_on_main_thread), ==, 0);
  key = stored_key (f, row->key_ref);
  g_assert_null (key);

  relay_core_remove_provider_async (f->core, id, NULL, et_async_ready, &async);
  g_assert_false (relay_core_remove_provider_finish (f->core, et_async_wait (&async), &error));
  et_async_clear (&async);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
#define ADD(path, func) \
  g_test_add ("/provider-edit/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("add", test_add);
  ADD ("add-refused", test_add_refused);
  ADD ("add-name-taken-meanwhile", test_add_name_taken_meanwhile);
  ADD ("two-adds-at-once", test_two_adds_at_once);
  ADD ("update", test_update);
  ADD ("remove", test_remove);
  ADD ("given-up", test_given_up);
#undef ADD
  return g_test_run ();
}
