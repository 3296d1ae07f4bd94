/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of opening the order book: migrations, pragmas, paths, and the
 * unique names of providers and clients. */
#include <glib/gstdio.h>

#include "test-store.h"

static const char * const tables[] = {
  "providers", "catalog", "services", "clients", "orders", "order_events", "refills", "ledger",
};

static char *
pragma_text (RelayStore *store,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
test_migrate_empty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayStore) store = relay_store_open (":memory:", &error);
  g_autofree char *version = NULL;
  g_autofree char *foreign_keys = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  version = pragma_text (store, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, RELAY_STORE_SCHEMA_VERSION);
  foreign_keys = pragma_text (store, "PRAGMA foreign_keys");
  g_assert_cmpstr (foreign_keys, ==, "1");

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (store),
                                           "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, tables[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
      sqlite3_finalize (stmt);
    }
  g_assert_cmpstr (relay_store_get_path (store), ==, ":memory:");
}

static void
test_file_wal_and_reopen (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "nested", "book", "orders.db", NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  GStatBuf st;
  RelayStore *store;
  gint64 provider_id;

  g_assert_no_error (error);
  store = relay_store_open (path, &error);
  g_assert_no_error (error);

  /* The folder is made private. */
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  {
    g_autofree char *mode = pragma_text (store, "PRAGMA journal_mode");
    g_autofree char *sync = pragma_text (store, "PRAGMA synchronous");
    g_autofree char *busy = pragma_text (store, "PRAGMA busy_timeout");

    g_assert_cmpstr (mode, ==, "wal");
    g_assert_cmpstr (sync, ==, "2");  /* FULL: a commit is on the disk when it returns */
    g_assert_cmpstr (busy, ==, "5000");
  }
  provider_id = relay_store_add_provider (store, "Kept", "https://kept.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  /* Reopening migrates nothing and keeps the data. */
  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  {
    g_autoptr (RelayProviderRow) row = relay_store_find_provider (store, "Kept", &error);

    g_assert_no_error (error);
    g_assert_cmpint (row->id, ==, provider_id);
    g_assert_cmpuint (row->max_concurrent, ==, 4);
  }
  g_assert_finalize_object (store);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (folder);
  {
    g_autofree char *parent = g_path_get_dirname (folder);

    g_rmdir (parent);
  }
  g_rmdir (dir);
}

static void
test_newer_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "orders.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  RelayStore *store;
  sqlite3 *db = NULL;

  store = relay_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = relay_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_VERSION);
  g_test_message ("%s", error->message);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_default_path (void)
{
  g_autofree char *orders = g_build_filename (g_get_user_data_dir (), "smm-relay", "orders.db", NULL);
  g_autofree char *demo = g_build_filename (g_get_user_data_dir (), "smm-relay", "demo.db", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("SMM_RELAY_DB"));

  g_unsetenv ("SMM_RELAY_DB");
  {
    g_autofree char *path = relay_store_default_path (FALSE);
    g_autofree char *demo_path = relay_store_default_path (TRUE);

    g_assert_cmpstr (path, ==, orders);
    g_assert_cmpstr (demo_path, ==, demo);
  }
  g_setenv ("SMM_RELAY_DB", "/tmp/elsewhere.db", TRUE);
  {
    g_autofree char *path = relay_store_default_path (FALSE);
    g_autofree char *demo_path = relay_store_default_path (TRUE);

    g_assert_cmpstr (path, ==, "/tmp/elsewhere.db");
    g_assert_cmpstr (demo_path, ==, demo);
  }
  if (saved != NULL)
    g_setenv ("SMM_RELAY_DB", saved, TRUE);
  else
    g_unsetenv ("SMM_RELAY_DB");
}

static void
test_providers (Book          *book,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) providers = NULL;
  gint64 id;

  id = relay_store_add_provider (book->store, "provider a", "https://x.example", NULL, &error);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "A provider named “provider a” already exists");
  g_assert_cmpint (id, ==, 0);
  g_clear_error (&error);

  id = relay_store_add_provider (book->store, "  ", "https://x.example", NULL, &error);
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (relay_store_update_provider (book->store, book->provider_b, "Provider A", NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (relay_store_update_provider (book->store, book->provider_b, "Provider Bee", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (relay_store_update_provider (book->store, 999, "Nobody", NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    g_autoptr (RelayProviderRow) row = relay_store_find_provider (book->store, "x", &error);

    g_assert_null (row);
    g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "No provider named “x”");
    g_clear_error (&error);
  }

  g_assert_true (relay_store_set_provider_balance (book->store, book->provider_a, 100842920, "USD", &error));
  g_assert_true (relay_store_set_provider_error (book->store, book->provider_a, "Invalid API key", &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayProviderRow) row = relay_store_get_provider (book->store, book->provider_a, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (row->name, ==, "Provider A");
    g_assert_cmpstr (row->url, ==, "https://a.example/api/v2");
    g_assert_cmpstr (row->key_ref, ==, "key-a");
    g_assert_true (row->has_balance);
    g_assert_cmpint (row->balance, ==, 100842920);
    g_assert_cmpstr (row->currency, ==, "USD");
    g_assert_cmpstr (row->last_error, ==, "Invalid API key");
    g_assert_cmpint (row->services_synced_at, >, 0);
  }
  g_assert_true (relay_store_set_provider_error (book->store, book->provider_a, NULL, &error));
  {
    g_autoptr (RelayProviderRow) row = relay_store_get_provider (book->store, book->provider_a, &error);

    g_assert_null (row->last_error);
  }
  g_assert_cmpuint (book->n_catalog_changed, ==, 4);

  providers = relay_store_list_providers (book->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (providers->len, ==, 2);

  /* Removal: refused while my services map to it or its orders run. */
  g_assert_false (relay_store_remove_provider (book->store, book->provider_b, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  {
    gint64 order_id = book_order (book, SERVICE_OTHER, 0, "https://x.example/p/1", 100, 0, 0);

    g_assert_false (relay_store_remove_service (book->store, SERVICE_OTHER, &error));
    g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
    g_clear_error (&error);
    g_assert_true (relay_store_mark_failed (book->store, order_id, "Incorrect link", "dispatch", &error));
    g_assert_no_error (error);
    g_assert_true (relay_store_remove_service (book->store, SERVICE_OTHER, &error));
    g_assert_no_error (error);
    g_assert_true (relay_store_remove_provider (book->store, book->provider_b, &error));
    g_assert_no_error (error);

    /* The finished order keeps its history. */
    {
      g_autoptr (RelayOrderRow) order = book_get (book, order_id);

      g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
      g_assert_cmpint (order->provider_id, ==, 0);
      g_assert_cmpint (order->service_id, ==, 0);
      g_assert_cmpstr (order->provider_service_id, ==, "9");
    }
  }
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM catalog WHERE provider_id = ?",
                                 book->provider_b), ==, 0);
}

static void
test_clients (Book          *book,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GPtrArray) ledger = NULL;
  gint64 id;
  gint64 order_id;

  id = relay_store_add_client (book->store, "Client One", &error);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "A client named “Client One” already exists");
  g_assert_cmpint (id, ==, 0);
  g_clear_error (&error);
  id = relay_store_add_client (book->store, "", &error);
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_clear_error (&error);

  {
    g_autoptr (RelayClientRow) row = relay_store_find_client (book->store, "client two", &error);

    g_assert_no_error (error);
    g_assert_cmpint (row->id, ==, book->client_2);
  }
  {
    g_autoptr (RelayClientRow) row = relay_store_find_client (book->store, "Nobody", &error);

    g_assert_null (row);
    g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "No client named “Nobody”");
    g_clear_error (&error);
  }

  /* 1,000 at 0.5 per 1,000 = 0.5; a payment of 0.2 leaves 0.3 owed. */
  order_id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/p/1", 1000, 0, 0);
  g_assert_true (relay_store_add_payment (book->store, book->client_1, 200000, "cash", &error));
  g_assert_no_error (error);
  g_assert_false (relay_store_add_payment (book->store, book->client_1, 0, NULL, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (relay_store_add_payment (book->store, 999, 10, NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    g_autoptr (RelayClientRow) row = relay_store_get_client (book->store, book->client_1, &error);

    g_assert_no_error (error);
    g_assert_cmpint (row->balance, ==, 300000);
    g_assert_cmpint (row->n_orders, ==, 1);
    g_assert_cmpint (row->n_active, ==, 1);
  }
  ledger = relay_store_list_ledger (book->store, book->client_1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 2);
  {
    RelayLedgerEntry *charge = g_ptr_array_index (ledger, 0);
    RelayLedgerEntry *payment = g_ptr_array_index (ledger, 1);

    g_assert_cmpstr (charge->kind, ==, "charge");
    g_assert_cmpint (charge->amount, ==, 500000);
    g_assert_cmpint (charge->order_id, ==, order_id);
    g_assert_cmpint (charge->event_id, >, 0);
    g_assert_cmpstr (payment->kind, ==, "payment");
    g_assert_cmpint (payment->amount, ==, -200000);
    g_assert_cmpint (payment->order_id, ==, 0);
    g_assert_cmpstr (payment->note, ==, "cash");
  }

  clients = relay_store_list_clients (book->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 2);
  g_assert_cmpstr (((RelayClientRow *) g_ptr_array_index (clients, 0))->name, ==, "Client One");
  g_assert_cmpint (((RelayClientRow *) g_ptr_array_index (clients, 1))->balance, ==, 0);
  g_assert_cmpuint (book->n_clients_changed, ==, 2);
}

void
add_schema_tests (void)
{
  g_test_add_func ("/store/schema/migrate-empty", test_migrate_empty);
  g_test_add_func ("/store/schema/file-wal-reopen", test_file_wal_and_reopen);
  g_test_add_func ("/store/schema/newer-refused", test_newer_refused);
  g_test_add_func ("/store/schema/default-path", test_default_path);
  g_test_add ("/store/providers/unique", Book, NULL, book_setup, test_providers, book_teardown);
  g_test_add ("/store/clients/unique", Book, NULL, book_setup, test_clients, book_teardown);
}
