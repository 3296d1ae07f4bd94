/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the keyring key store against a real Secret Service (gnome-keyring,
 * started unlocked by run-with-keyring.sh in a private D-Bus session): keys in
 * and out, two providers, moving keys out of the file, the fallbacks, and
 * what `smm-relay-cli provider list` says. */
#include "config.h"

#include "relay-core.h"
#include "relay-file-key-store.h"
#include "relay-secret-key-store.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#define URL "http://127.0.0.1:9/api/v2"

static const SecretSchema *
schema (void)
{
  static const SecretSchema s = {
    RELAY_SECRET_KEY_STORE_SCHEMA, SECRET_SCHEMA_NONE,
    { { "key-ref", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  return &s;
}

/* ---- looking into the keyring directly, past the store and its cache ---- */

static char *
keyring_lookup (const char *ref)
{
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_sync (schema (), NULL, &error, "key-ref", ref, NULL);
  char *copy;

  g_assert_no_error (error);
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/* The labels of the keyring items of @ref. */
static GPtrArray *
keyring_labels (const char *ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  GList *items;
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_hash_table_insert (attributes, (gpointer) "key-ref", (gpointer) ref);
  items = secret_service_search_sync (service, schema (), attributes, SECRET_SEARCH_ALL,
                                      NULL, &error);
  g_assert_no_error (error);
  for (GList *l = items; l != NULL; l = l->next)
    g_ptr_array_add (labels, secret_item_get_label (l->data));
  g_list_free_full (items, g_object_unref);
  return labels;
}

static char *
file_lookup (const char *path, const char *ref)
{
  g_autoptr(RelayKeyStore) file = relay_file_key_store_new (path);

  return relay_key_store_lookup (file, ref, NULL);
}

static char *
make_dir (const char *name)
{
  g_autofree char *template = g_strconcat (name, "-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (g_get_home_dir (), template, NULL);
  char *dir = g_mkdtemp (g_steal_pointer (&path));

  g_assert_nonnull (dir);
  return dir;
}

/* ---- a key store that fails or lies, to see a move keep the key ---- */

#define TEST_TYPE_BAD_STORE (test_bad_store_get_type ())
G_DECLARE_FINAL_TYPE (TestBadStore, test_bad_store, TEST, BAD_STORE, GObject)

struct _TestBadStore
{
  GObject     parent_instance;
  GHashTable *keys;
  char       *fail_ref;   /* storing this ref fails */
  char       *lie_ref;    /* this ref is kept as something else */
};

static void test_bad_store_iface_init (RelayKeyStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestBadStore, test_bad_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RELAY_TYPE_KEY_STORE,
                                                      test_bad_store_iface_init))

static gboolean
bad_store (RelayKeyStore *store, const char *ref, const char *name, const char *key,
           GError **error)
{
  TestBadStore *self = TEST_BAD_STORE (store);

  if (g_strcmp0 (ref, self->fail_ref) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the test store refuses %s", ref);
      return FALSE;
    }
  g_hash_table_insert (self->keys, g_strdup (ref),
                       g_strdup (g_strcmp0 (ref, self->lie_ref) == 0 ? "garbled" : key));
  return TRUE;
}

static char *
bad_lookup (RelayKeyStore *store, const char *ref, GError **error)
{
  const char *key = g_hash_table_lookup (TEST_BAD_STORE (store)->keys, ref);

  if (key == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "none");
  return g_strdup (key);
}

static gboolean
bad_remove (RelayKeyStore *store, const char *ref, GError **error)
{
  g_hash_table_remove (TEST_BAD_STORE (store)->keys, ref);
  return TRUE;
}

static const char *
bad_get_kind (RelayKeyStore *store)
{
  return "test";
}

static char *
bad_dup_description (RelayKeyStore *store)
{
  return g_strdup ("test store");
}

static void
test_bad_store_iface_init (RelayKeyStoreInterface *iface)
{
  iface->store = bad_store;
  iface->lookup = bad_lookup;
  iface->remove = bad_remove;
  iface->get_kind = bad_get_kind;
  iface->dup_description = bad_dup_description;
}

static void
test_bad_store_finalize (GObject *object)
{
  TestBadStore *self = TEST_BAD_STORE (object);

  g_hash_table_unref (self->keys);
  g_free (self->fail_ref);
  g_free (self->lie_ref);
  G_OBJECT_CLASS (test_bad_store_parent_class)->finalize (object);
}

static void
test_bad_store_class_init (TestBadStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_bad_store_finalize;
}

static void
test_bad_store_init (TestBadStore *self)
{
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---- running the CLI ---- */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs @argv; @setup adjusts the environment. */
static void
run_argv (Run *run, GSubprocessLauncher *launcher, const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strjoinv (" ", (char **) argv);
  gint64 start = g_get_monotonic_time ();

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("$ %s -> %d in %.2f s", line, run->status,
                  (g_get_monotonic_time () - start) / 1e6);
  g_test_message ("  stdout: %.1500s", run->out);
  if (run->err != NULL && *run->err != '\0')
    g_test_message ("  stderr: %.600s", run->err);
  /* A fallback is quick: the probe never waits on a prompt. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
}

static GSubprocessLauncher *
cli_launcher (void)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_unsetenv (launcher, "SMM_RELAY_KEYS");
  g_subprocess_launcher_unsetenv (launcher, "SMM_RELAY_DB");
  return launcher;
}

/* `provider list` and `provider list --json` of the book @db, run with
 * @launcher, maybe inside dbus-run-session with @bus_config. */
static void
provider_list (GSubprocessLauncher *launcher, const char *bus_config, const char *db,
               char **text, JsonArray **json)
{
  const char *cli = g_getenv ("SMM_RELAY_CLI");
  g_autofree char *config_arg = bus_config ? g_strconcat ("--config-file=", bus_config, NULL) : NULL;

  g_assert_nonnull (cli);
  for (guint i = 0; i < 2; i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();

      if (bus_config != NULL)
        {
          g_ptr_array_add (argv, (char *) "dbus-run-session");
          g_ptr_array_add (argv, config_arg);
          g_ptr_array_add (argv, (char *) "--");
        }
      g_ptr_array_add (argv, (char *) cli);
      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, (char *) db);
      g_ptr_array_add (argv, (char *) "provider");
      g_ptr_array_add (argv, (char *) "list");
      if (i == 1)
        g_ptr_array_add (argv, (char *) "--json");
      g_ptr_array_add (argv, NULL);
      run_argv (&run, launcher, (const char * const *) argv->pdata);
      g_assert_cmpint (run.status, ==, 0);
      if (i == 0)
        *text = g_steal_pointer (&run.out);
      else
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          json_parser_load_from_data (parser, run.out, -1, &error);
          g_assert_no_error (error);
          g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
          *json = json_array_ref (json_node_get_array (json_parser_get_root (parser)));
        }
    }
}

static void
assert_json_store (JsonArray *list, const char *kind, const char *reason)
{
  g_assert_cmpuint (json_array_get_length (list), >, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);

      g_assert_cmpstr (json_object_get_string_member (p, "key_store"), ==, kind);
      if (reason != NULL)
        g_assert_nonnull (strstr (json_object_get_string_member (p, "key_store_description"),
                                  reason));
    }
}

/* A session bus configuration with no service to start: only what runs on it. */
static char *
write_bus_config (const char *dir)
{
  g_autofree char *text = g_strdup_printf (
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>session</type>\n"
    "  <listen>unix:dir=%s</listen>\n"
    "  <auth>EXTERNAL</auth>\n"
    "  <policy context=\"default\">\n"
    "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
    "    <allow eavesdrop=\"true\"/>\n"
    "    <allow own=\"*\"/>\n"
    "  </policy>\n"
    "</busconfig>\n", dir);
  char *path = g_build_filename (dir, "bus.conf", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  return path;
}

/* A book with one provider whose key is in @keys. */
static char *
make_book (const char *dir, RelayKeyStore *keys, const char *name, const char *key)
{
  char *db = g_build_filename (dir, "book.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayCore) core = relay_core_new (db, keys, &error);

  g_assert_no_error (error);
  g_assert_cmpint (relay_core_add_provider (core, name, URL, key, &error), >, 0);
  g_assert_no_error (error);
  return db;
}

/* ---- tests ---- */

static void
test_store_lookup_remove (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayKeyStore) store = relay_secret_key_store_new (NULL, &error);
  g_autofree char *ref = g_uuid_string_random ();
  g_autofree char *description = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  char *key;

  g_assert_no_error (error);
  g_assert_true (RELAY_IS_SECRET_KEY_STORE (store));
  g_assert_cmpstr (relay_key_store_get_kind (store), ==, "keyring");
  description = relay_key_store_dup_description (store);
  g_assert_cmpstr (description, ==, "system keyring");

  g_assert_true (relay_key_store_store_named (store, ref, "Panel A", "secret-A", &error));
  g_assert_no_error (error);
  /* In the keyring itself, labelled for people. */
  key = keyring_lookup (ref);
  g_assert_cmpstr (key, ==, "secret-A");
  g_free (key);
  labels = keyring_labels (ref);
  g_assert_cmpuint (labels->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (labels, 0), ==, "SMM Relay API key for provider “Panel A”");
  key = relay_key_store_lookup (store, ref, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "secret-A");
  g_free (key);

  /* Replacing the key replaces the item (no second one) and what lookups give. */
  g_assert_true (relay_key_store_store_named (store, ref, "Panel A", "secret-A2", &error));
  g_clear_pointer (&labels, g_ptr_array_unref);
  labels = keyring_labels (ref);
  g_assert_cmpuint (labels->len, ==, 1);
  key = relay_key_store_lookup (store, ref, &error);
  g_assert_cmpstr (key, ==, "secret-A2");
  g_free (key);

  g_assert_true (relay_key_store_remove (store, ref, &error));
  g_assert_no_error (error);
  g_assert_null (keyring_lookup (ref));
  key = relay_key_store_lookup (store, ref, &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (relay_key_store_remove (store, ref, &error));
  g_assert_no_error (error);
}

static void
test_two_providers (void)
{
  g_autoptr(GError) error = NULL;
  /* Two stores, as two order books (or two processes) would have. */
  g_autoptr(RelayKeyStore) one = relay_secret_key_store_new (NULL, &error);
  g_autoptr(RelayKeyStore) two = relay_secret_key_store_new (NULL, &error);
  g_autofree char *ref_a = g_uuid_string_random ();
  g_autofree char *ref_b = g_uuid_string_random ();
  char *key;

  g_assert_no_error (error);
  g_assert_true (relay_key_store_store_named (one, ref_a, "Panel", "key-of-a", &error));
  g_assert_true (relay_key_store_store_named (two, ref_b, "Panel", "key-of-b", &error));
  g_assert_no_error (error);

  /* The same provider name in two books: each key under its own ref. */
  key = relay_key_store_lookup (two, ref_a, &error);
  g_assert_cmpstr (key, ==, "key-of-a");
  g_free (key);
  key = relay_key_store_lookup (one, ref_b, &error);
  g_assert_cmpstr (key, ==, "key-of-b");
  g_free (key);
  g_assert_no_error (error);

  g_assert_true (relay_key_store_remove (one, ref_a, &error));
  g_assert_null (keyring_lookup (ref_a));
  key = keyring_lookup (ref_b);
  g_assert_cmpstr (key, ==, "key-of-b");
  g_free (key);
  g_assert_true (relay_key_store_remove (two, ref_b, &error));
  g_assert_no_error (error);
}

static void
test_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayKeyStore) store = relay_secret_key_store_new (NULL, &error);
  g_autofree char *ref = g_uuid_string_random ();
  gint64 start;
  char *key;

  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_clear_object (&store);
  store = relay_secret_key_store_new (NULL, &error);
  g_assert_no_error (error);
  g_test_message ("opening the keyring (the probe): %.2f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  start = g_get_monotonic_time ();
  g_assert_true (relay_key_store_store_named (store, ref, "Panel C", "key-c", &error));
  g_test_message ("storing a key: %.2f ms", (g_get_monotonic_time () - start) / 1000.0);
  {
    /* Another process (another store) reads it from the keyring once. */
    g_autoptr(RelayKeyStore) fresh = relay_secret_key_store_new (NULL, &error);

    g_assert_no_error (error);
    start = g_get_monotonic_time ();
    key = relay_key_store_lookup (fresh, ref, &error);
    g_test_message ("first lookup (D-Bus): %.2f ms", (g_get_monotonic_time () - start) / 1000.0);
    g_assert_cmpstr (key, ==, "key-c");
    g_free (key);
  }
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 1000; i++)
    g_free (relay_key_store_lookup (store, ref, NULL));
  g_test_message ("cached lookup: %.4f ms", (g_get_monotonic_time () - start) / 1000.0 / 1000);
  /* Taken out behind the store's back: the store answers from memory,
   * without another D-Bus round trip. */
  g_assert_true (secret_password_clear_sync (schema (), NULL, &error, "key-ref", ref, NULL));
  key = relay_key_store_lookup (store, ref, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "key-c");
  g_free (key);
  g_assert_true (relay_key_store_remove (store, ref, &error));
  key = relay_key_store_lookup (store, ref, &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* A move stores, reads back, and only then removes from the file. */
static void
test_move_keeps_key_on_failure (void)
{
  g_autofree char *dir = make_dir ("move");
  g_autofree char *path = g_build_filename (dir, "keys", NULL);
  g_autoptr(RelayKeyStore) file = relay_file_key_store_new (path);
  g_autoptr(TestBadStore) bad = g_object_new (TEST_TYPE_BAD_STORE, NULL);
  g_autoptr(GError) error = NULL;
  gboolean moved = TRUE;
  char *key;

  g_assert_true (relay_key_store_store (file, "ok", "key-ok", NULL));
  g_assert_true (relay_key_store_store (file, "refused", "key-refused", NULL));
  g_assert_true (relay_key_store_store (file, "garbled", "key-garbled", NULL));
  bad->fail_ref = g_strdup ("refused");
  bad->lie_ref = g_strdup ("garbled");

  g_assert_true (relay_key_store_move (file, RELAY_KEY_STORE (bad), "ok", "P", &moved, &error));
  g_assert_no_error (error);
  g_assert_true (moved);
  g_assert_null (file_lookup (path, "ok"));

  g_assert_false (relay_key_store_move (file, RELAY_KEY_STORE (bad), "refused", "P", &moved,
                                       &error));
  g_assert_nonnull (error);
  g_assert_false (moved);
  g_clear_error (&error);
  key = file_lookup (path, "refused");
  g_assert_cmpstr (key, ==, "key-refused");
  g_free (key);

  g_assert_false (relay_key_store_move (file, RELAY_KEY_STORE (bad), "garbled", "P", &moved,
                                       &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (strstr (error->message, "key-garbled"));
  g_clear_error (&error);
  key = file_lookup (path, "garbled");
  g_assert_cmpstr (key, ==, "key-garbled");
  g_free (key);

  /* Nothing to move is no failure. */
  g_assert_true (relay_key_store_move (file, RELAY_KEY_STORE (bad), "absent", "P", &moved, &error));
  g_assert_false (moved);
}

/* The first start with a keyring moves the book's keys out of the file. */
static void
test_core_moves_keys (void)
{
  g_autofree char *dir = make_dir ("migrate");
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "smm-relay", "keys", NULL);
  g_autofree char *db = NULL;
  g_autoptr(RelayKeyStore) file = relay_file_key_store_new (NULL);
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other_ref = g_uuid_string_random ();
  RelayKeyStore *keys;
  char *key;

  g_assert_null (g_getenv ("SMM_RELAY_KEYS"));
  g_assert_cmpstr (relay_file_key_store_get_path (RELAY_FILE_KEY_STORE (file)), ==, path);

  /* A book made while the keys went to the file (as before this version,
   * or as the demo does with its own file)... */
  db = make_book (dir, file, "Panel M", "key-m");
  {
    g_autoptr(RelayCore) demo_like = relay_core_new (db, file, &error);

    g_assert_no_error (error);
    g_assert_cmpint (relay_core_add_provider (demo_like, "Panel N", URL, "key-n", &error), >, 0);
    g_assert_no_error (error);
    g_assert_cmpstr (relay_key_store_get_kind (relay_core_get_key_store (demo_like)), ==, "file");
  }
  /* ...and a key of another book in the same file. */
  g_assert_true (relay_key_store_store (file, other_ref, "key-other", NULL));

  core = relay_core_new (db, NULL, &error);
  g_assert_no_error (error);
  keys = relay_core_get_key_store (core);
  g_assert_cmpstr (relay_key_store_get_kind (keys), ==, "keyring");
  providers = relay_store_list_providers (relay_core_get_store (core), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (providers->len, ==, 2);
  for (guint i = 0; i < providers->len; i++)
    {
      RelayProviderRow *p = g_ptr_array_index (providers, i);
      g_autofree char *label = g_strdup_printf ("SMM Relay API key for provider “%s”", p->name);
      const char *want = g_str_equal (p->name, "Panel M") ? "key-m" : "key-n";

      key = keyring_lookup (p->key_ref);
      g_assert_cmpstr (key, ==, want);
      g_free (key);
      g_assert_null (file_lookup (path, p->key_ref));
      labels = keyring_labels (p->key_ref);
      g_assert_cmpuint (labels->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (labels, 0), ==, label);
      g_clear_pointer (&labels, g_ptr_array_unref);
      g_assert_nonnull (relay_core_get_client (core, p->id, &error));
      g_assert_no_error (error);
    }
  /* The other book's key waits in the file, and is found there meanwhile. */
  key = file_lookup (path, other_ref);
  g_assert_cmpstr (key, ==, "key-other");
  g_free (key);
  key = relay_key_store_lookup (keys, other_ref, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "key-other");
  g_free (key);
  g_assert_null (keyring_lookup (other_ref));

  /* A new name relabels the key; the key stays. */
  {
    RelayProviderRow *p = g_ptr_array_index (providers, 1);
    g_autofree char *want = g_strdup_printf ("SMM Relay API key for provider “%s (renamed)”",
                                             p->name);
    g_autofree char *new_name = g_strdup_printf ("%s (renamed)", p->name);
    g_autofree char *old_key = keyring_lookup (p->key_ref);

    g_assert_true (relay_core_update_provider (core, p->id, new_name, NULL, NULL, &error));
    g_assert_no_error (error);
    labels = keyring_labels (p->key_ref);
    g_assert_cmpuint (labels->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (labels, 0), ==, want);
    g_clear_pointer (&labels, g_ptr_array_unref);
    key = keyring_lookup (p->key_ref);
    g_assert_cmpstr (key, ==, old_key);
    g_free (key);
  }

  /* Removing a provider removes its key from the keyring. */
  {
    RelayProviderRow *p = g_ptr_array_index (providers, 0);

    g_assert_true (relay_core_remove_provider (core, p->id, &error));
    g_assert_no_error (error);
    g_assert_null (keyring_lookup (p->key_ref));
  }
  g_assert_true (relay_key_store_remove (keys, other_ref, &error));
  g_assert_null (file_lookup (path, other_ref));
}

/* `provider list` says where the keys are: the keyring here; the file
 * without a bus, without a keyring service on the bus, or when asked to. */
static void
test_cli_reports_store (void)
{
  g_autofree char *dir = make_dir ("cli");
  g_autofree char *keys_path = g_build_filename (dir, "forced-keys", NULL);
  g_autofree char *no_bus_dir = g_build_filename (dir, "runtime", NULL);
  g_autofree char *bus_config = write_bus_config (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayKeyStore) keyring = relay_secret_key_store_new (NULL, &error);
  g_autofree char *db = NULL;
  g_assert_no_error (error);
  db = make_book (dir, keyring, "Panel L", "key-l");

  {
    g_autoptr(GSubprocessLauncher) launcher = cli_launcher ();
    g_autofree char *text = NULL;
    g_autoptr(JsonArray) json = NULL;

    provider_list (launcher, NULL, db, &text, &json);
    g_assert_nonnull (strstr (text, "Panel L"));
    g_assert_nonnull (strstr (text, "keys: system keyring\n"));
    assert_json_store (json, "keyring", "system keyring");
  }
  {
    /* No session bus at all: GLib must not autolaunch one either. */
    g_autoptr(GSubprocessLauncher) launcher = cli_launcher ();
    g_autofree char *text = NULL;
    g_autoptr(JsonArray) json = NULL;

    g_assert_cmpint (g_mkdir (no_bus_dir, 0700), ==, 0);
    g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
    g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", no_bus_dir, TRUE);
    g_subprocess_launcher_setenv (launcher, "DISPLAY", ":99999", TRUE);
    provider_list (launcher, NULL, db, &text, &json);
    g_assert_nonnull (strstr (text, "keys: file ~/config/smm-relay/keys (no session bus)\n"));
    assert_json_store (json, "file", "(no session bus)");
  }
  {
    /* A bus where no Secret Service runs nor can be started. */
    g_autoptr(GSubprocessLauncher) launcher = cli_launcher ();
    g_autofree char *text = NULL;
    g_autoptr(JsonArray) json = NULL;

    provider_list (launcher, bus_config, db, &text, &json);
    g_assert_nonnull (strstr (text, "keys: file ~/config/smm-relay/keys "
                                    "(no keyring service found)\n"));
    assert_json_store (json, "file", "(no keyring service found)");
  }
  {
    g_autoptr(GSubprocessLauncher) launcher = cli_launcher ();
    g_autofree char *text = NULL;
    g_autoptr(JsonArray) json = NULL;
    /* Shown from ~ (the test's HOME). */
    g_autofree char *want = g_strdup_printf ("keys: file ~%s (set by SMM_RELAY_KEYS)\n",
                                             keys_path + strlen (g_get_home_dir ()));

    g_subprocess_launcher_setenv (launcher, "SMM_RELAY_KEYS", keys_path, TRUE);
    provider_list (launcher, NULL, db, &text, &json);
    g_assert_nonnull (strstr (text, want));
    assert_json_store (json, "file", "SMM_RELAY_KEYS");
  }
}

/* Drops every method call that reaches the connection: a service that hangs. */
static GDBusMessage *
drop_calls (GDBusConnection *connection, GDBusMessage *message, gboolean incoming,
            gpointer user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

/* A Secret Service that never answers: the CLI gives up on it after a few
 * seconds and uses the file, instead of hanging. */
static void
test_silent_service_falls_back (void)
{
  g_autofree char *dir = make_dir ("silent");
  g_autofree char *bus_config = write_bus_config (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GSubprocessLauncher) launcher = cli_launcher ();
  g_autoptr(RelayKeyStore) keyring = relay_secret_key_store_new (NULL, &error);
  g_autofree char *db = NULL;
  const char *cli = g_getenv ("SMM_RELAY_CLI");
  g_auto(Run) run = { 0 };
  guint32 owner = 0;

  g_assert_no_error (error);
  db = make_book (dir, keyring, "Panel S", "key-s");
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "dbus-daemon",
                             "--config-file", bus_config, "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  connection = g_dbus_connection_new_for_address_sync (
    address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owner);
  g_assert_cmpuint (owner, ==, 1);
  g_dbus_connection_add_filter (connection, drop_calls, NULL, NULL);

  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  run_argv (&run, launcher, (const char * const[]) { cli, "--db", db, "provider", "list", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "(the keyring did not answer)\n"));

  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

/* Last: a locked keyring is not used (unlocking it needs a prompt). */
static void
test_locked_falls_back (void)
{
  g_autofree char *dir = make_dir ("locked");
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS,
                                                              NULL, &error);
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(RelayKeyStore) keyring = relay_secret_key_store_new (NULL, &error);
  g_autoptr(RelayKeyStore) none = NULL;
  g_autoptr(GSubprocessLauncher) launcher = cli_launcher ();
  g_autofree char *db = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonArray) json = NULL;
  GList *objects;

  g_assert_no_error (error);
  db = make_book (dir, keyring, "Panel K", "key-k");
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_list_free (objects);
  g_assert_no_error (error);

  none = relay_secret_key_store_new (NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  provider_list (launcher, NULL, db, &text, &json);
  g_assert_nonnull (strstr (text, "(the keyring is locked)\n"));
  assert_json_store (json, "file", "(the keyring is locked)");

  /* The key is locked away, not missing: "set it again" was wrong advice,
   * and following it put the key in the file behind the keyring's back. */
  {
    const char *cli = g_getenv ("SMM_RELAY_CLI");
    g_autofree char *key_path = g_build_filename (dir, "new-key.txt", NULL);
    g_autofree char *keys_path = g_build_filename (g_get_user_config_dir (), "smm-relay", "keys", NULL);
    g_autofree char *keys = NULL;
    g_auto(Run) balance = { 0 };
    g_auto(Run) set_key = { 0 };

    run_argv (&balance, launcher, (const char * const[]) { cli, "--db", db, "provider", "balance",
                                                          "Panel K", NULL });
    g_assert_cmpint (balance.status, !=, 0);
    g_assert_nonnull (strstr (balance.err, "keyring is locked: unlock it"));
    g_assert_null (strstr (balance.err, "set it again"));

    g_assert_true (g_file_set_contents (key_path, "new-key-k-0123456789", -1, NULL));
    run_argv (&set_key, launcher, (const char * const[]) { cli, "--db", db, "provider", "set-key",
                                                          "Panel K", "--key-file", key_path, NULL });
    g_assert_cmpint (set_key.status, !=, 0);
    g_assert_nonnull (strstr (set_key.err, "keyring is locked: unlock it"));
    g_assert_null (strstr (set_key.out, "was replaced"));
    if (g_file_get_contents (keys_path, &keys, NULL, NULL))
      g_assert_null (strstr (keys, "new-key-k"));
  }
}

/* run-with-keyring.sh starts the keyring daemon; wait until it is on the bus. */
static void
wait_for_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GVariant) reply =
        g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "NameHasOwner",
                                     g_variant_new ("(s)", "org.freedesktop.secrets"),
                                     G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                     NULL, &error);
      gboolean owned = FALSE;

      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      if (owned)
        return;
      g_usleep (100 * 1000);
    }
  g_error ("No Secret Service on the bus: run this test through run-with-keyring.sh");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("run this test through tests/base/run-with-keyring.sh\n");
      return 1;
    }
  wait_for_keyring ();

  g_test_add_func ("/secret-key-store/store-lookup-remove", test_store_lookup_remove);
  g_test_add_func ("/secret-key-store/two-providers", test_two_providers);
  g_test_add_func ("/secret-key-store/cache", test_cache);
  g_test_add_func ("/secret-key-store/move-keeps-key-on-failure", test_move_keeps_key_on_failure);
  g_test_add_func ("/secret-key-store/core-moves-keys", test_core_moves_keys);
  g_test_add_func ("/secret-key-store/cli-reports-store", test_cli_reports_store);
  g_test_add_func ("/secret-key-store/silent-service-falls-back", test_silent_service_falls_back);
  g_test_add_func ("/secret-key-store/locked-falls-back", test_locked_falls_back);
  return g_test_run ();
}
