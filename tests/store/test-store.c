/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The order book's test program: fixtures and main. */
#include <glib/gstdio.h>

#include "test-store.h"

static void
on_orders_changed (RelayStore *store,
                   GArray     *ids,
                   Book       *book)
{
  book->n_orders_changed++;
  g_array_append_vals (book->orders_changed_ids, ids->data, ids->len);
}

static void
on_catalog_changed (RelayStore *store,
                    gint64      provider_id,
                    Book       *book)
{
  book->n_catalog_changed++;
}

static void
on_clients_changed (RelayStore *store,
                    Book       *book)
{
  book->n_clients_changed++;
}

static int
on_commit (void *data)
{
  Book *book = data;

  book->n_commits++;
  return 0;
}

RelayProviderService *
make_provider_service (const char *service_id,
                       const char *name,
                       const char *type,
                       const char *rate,
                       gint64      min,
                       gint64      max)
{
  RelayProviderService *service = g_new0 (RelayProviderService, 1);
  g_autoptr (GError) error = NULL;

  service->service_id = g_strdup (service_id);
  service->name = g_strdup (name);
  service->type = g_strdup (type);
  service->category = g_strdup ("Test category");
  g_assert_true (relay_money_parse (rate, &service->rate, &error));
  g_assert_no_error (error);
  service->min = min;
  service->max = max;
  service->refill = TRUE;
  service->cancel = FALSE;
  return service;
}

/* The provider library is not linked here, so its free function is not either. */
void
test_provider_service_free (RelayProviderService *self)
{
  if (self == NULL)
    return;
  g_free (self->service_id);
  g_free (self->name);
  g_free (self->type);
  g_free (self->category);
  g_free (self);
}

RelayStatusUpdate
status_update (gint64      order_id,
               const char *word,
               gboolean    has_remains,
               gint64      remains)
{
  RelayStatusUpdate update = { 0 };

  update.order_id = order_id;
  update.status_word = word;
  update.has_remains = has_remains;
  update.remains = remains;
  return update;
}

static void
fill_book (Book *book)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) test_provider_service_free);
  g_autoptr (RelayCatalogRow) a1 = NULL;
  g_autoptr (RelayCatalogRow) a2 = NULL;
  g_autoptr (RelayCatalogRow) b9 = NULL;

  g_signal_connect (book->store, "orders-changed", G_CALLBACK (on_orders_changed), book);
  g_signal_connect (book->store, "catalog-changed", G_CALLBACK (on_catalog_changed), book);
  g_signal_connect (book->store, "clients-changed", G_CALLBACK (on_clients_changed), book);
  book->orders_changed_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_commit_hook (relay_store_get_db (book->store), on_commit, book);

  book->provider_a = relay_store_add_provider (book->store, "Provider A", "https://a.example/api/v2",
                                               "key-a", &error);
  g_assert_no_error (error);
  book->provider_b = relay_store_add_provider (book->store, "Provider B", "https://b.example/api/v2",
                                               "key-b", &error);
  g_assert_no_error (error);

  g_ptr_array_add (services, make_provider_service ("1", "Followers", "Default", "0.27819", 10, 1000000));
  g_ptr_array_add (services, make_provider_service ("2", "Followers HQ", "Default", "0.3", 10, 1000000));
  g_assert_true (relay_store_replace_catalog (book->store, book->provider_a, services, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (services, 0);
  g_ptr_array_add (services, make_provider_service ("9", "Likes", "Default", "1.10001", 1, 1000000));
  g_assert_true (relay_store_replace_catalog (book->store, book->provider_b, services, NULL, &error));
  g_assert_no_error (error);

  a1 = relay_store_find_catalog_service (book->store, book->provider_a, "1", &error);
  g_assert_no_error (error);
  a2 = relay_store_find_catalog_service (book->store, book->provider_a, "2", &error);
  g_assert_no_error (error);
  b9 = relay_store_find_catalog_service (book->store, book->provider_b, "9", &error);
  g_assert_no_error (error);
  book->catalog_a1 = a1->id;
  book->catalog_a2 = a2->id;
  book->catalog_b9 = b9->id;

  g_assert_true (relay_store_map_service (book->store, SERVICE_PLAIN, "Plain followers", 500000,
                                          a1->id, a2->id, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_map_service (book->store, SERVICE_MANUAL, "Manual followers", 1234570,
                                          a1->id, 0, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_map_service (book->store, SERVICE_OTHER, "Other likes", 2000000,
                                          b9->id, 0, FALSE, &error));
  g_assert_no_error (error);

  book->client_1 = relay_store_add_client (book->store, "Client One", &error);
  g_assert_no_error (error);
  book->client_2 = relay_store_add_client (book->store, "Client Two", &error);
  g_assert_no_error (error);
  book_reset_signals (book);
}

void
book_setup (Book          *book,
            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  book->store = relay_store_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_nonnull (book->store);
  fill_book (book);
}

void
book_setup_file (Book          *book,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  book->tmp_dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (book->tmp_dir, "orders.db", NULL);
  book->store = relay_store_open (path, &error);
  g_assert_no_error (error);
  fill_book (book);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
book_teardown (Book          *book,
               gconstpointer  data)
{
  g_assert_finalize_object (book->store);
  g_clear_pointer (&book->orders_changed_ids, g_array_unref);
  if (book->tmp_dir != NULL)
    remove_tree (book->tmp_dir);
  g_clear_pointer (&book->tmp_dir, g_free);
}

void
book_reset_signals (Book *book)
{
  book->n_orders_changed = 0;
  g_array_set_size (book->orders_changed_ids, 0);
  book->n_catalog_changed = 0;
  book->n_clients_changed = 0;
  book->n_commits = 0;
}

gint64
book_order (Book       *book,
            gint64      service_id,
            gint64      client_id,
            const char *link,
            gint64      quantity,
            gint64      runs,
            gint64      scheduled_at)
{
  g_autoptr (GPtrArray) drafts = g_ptr_array_new ();
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GError) error = NULL;
  RelayOrderDraft draft = { 0 };

  draft.service_id = service_id;
  draft.client_id = client_id;
  draft.link = link;
  draft.quantity = quantity;
  draft.runs = runs;
  draft.interval = runs > 0 ? 10 : 0;
  draft.scheduled_at = scheduled_at;
  g_ptr_array_add (drafts, &draft);
  ids = relay_store_insert_orders (book->store, drafts, "user", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  return g_array_index (ids, gint64, 0);
}

void
book_send (Book       *book,
           gint64      order_id,
           const char *provider_order_id)
{
  g_autoptr (RelayOrderRow) order = book_get (book, order_id);
  g_autoptr (GError) error = NULL;

  g_assert_true (relay_store_mark_sending (book->store, order_id, order->catalog_id, &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_mark_sent (book->store, order_id, provider_order_id, &error));
  g_assert_no_error (error);
}

RelayOrderRow *
book_get (Book   *book,
          gint64  order_id)
{
  g_autoptr (GError) error = NULL;
  RelayOrderRow *order = relay_store_get_order (book->store, order_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);
  return order;
}

gint64
book_sql_int (Book       *book,
              const char *sql,
              gint64      arg)
{
  sqlite3 *db = relay_store_get_db (book->store);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

gint64
book_ledger_sum (Book   *book,
                 gint64  order_id)
{
  return book_sql_int (book, "SELECT COALESCE (SUM(amount), 0) FROM ledger WHERE order_id = ?",
                       order_id);
}

gint64
book_ledger_count (Book       *book,
                   gint64      order_id,
                   const char *kind)
{
  sqlite3 *db = relay_store_get_db (book->store);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM ledger WHERE order_id = ? AND kind = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

void
book_check_counts (Book *book)
{
  g_autoptr (GError) error = NULL;
  gint64 counts[RELAY_ORDER_N_STATUSES];
  gint64 total = 0;

  g_assert_true (relay_store_count_by_status (book->store, counts, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < RELAY_ORDER_N_STATUSES; i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (book->store),
                                           "SELECT COUNT(*) FROM orders WHERE status = ?",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, relay_order_status_to_string (i), -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (counts[i], ==, sqlite3_column_int64 (stmt, 0));
      sqlite3_finalize (stmt);
      total += counts[i];
    }
  g_assert_cmpint (total, ==, book_sql_int (book, "SELECT COUNT(*) FROM orders", 0));
  g_assert_cmpint (relay_store_count_orders (book->store, NULL, &error), ==, total);
}

gboolean
book_ids_contain (GArray *ids,
                  gint64  id)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_schema_tests ();
  add_catalog_tests ();
  add_orders_tests ();
  add_sync_tests ();
  add_money_tests ();
  add_list_tests ();
  add_durability_tests ();
  add_senders_tests ();
  add_watch_tests ();

  return g_test_run ();
}
