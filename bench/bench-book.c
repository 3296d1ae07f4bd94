/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bench's big order book: one provider, one service, one client, @n
 * orders with statuses and progress spread as a real book has them, placed
 * over a year (about 1 in 12 in the last 30 days), with the events of their
 * delivery.  Written to a temp name, checkpointed, then renamed: a cache
 * file is always whole. */
#include "bench-book.h"
#include "bench-common.h"

#include "relay-money.h"

#include <sqlite3.h>

static RelayProviderService *
book_service (void)
{
  RelayProviderService *service = g_new0 (RelayProviderService, 1);

  service->service_id = g_strdup ("101");
  service->name = g_strdup ("Instagram Likes");
  service->type = g_strdup ("Default");
  service->category = g_strdup ("Instagram");
  service->rate = 270000;
  service->min = 10;
  service->max = 100000;
  return service;
}

static gboolean
exec_sql (RelayStore *store, const char *sql, GError **error)
{
  if (sqlite3_exec (relay_store_get_db (store), sql, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
               sqlite3_errmsg (relay_store_get_db (store)));
  return FALSE;
}

static gboolean
generate (const char *path, guint n_orders, GError **error)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(RelayCatalogRow) row = NULL;
  gint64 provider_id, client_id;

  store = relay_store_open (path, error);
  if (store == NULL)
    return FALSE;
  provider_id = relay_store_add_provider (store, "bench", "https://panel.example/api/v2", "ref", error);
  if (provider_id == 0)
    return FALSE;
  g_ptr_array_add (services, book_service ());
  if (!relay_store_replace_catalog (store, provider_id, services, NULL, error))
    return FALSE;
  row = relay_store_find_catalog_service (store, provider_id, "101", error);
  if (row == NULL)
    return FALSE;
  client_id = relay_store_add_client (store, "Acme", error);
  if (client_id == 0 ||
      !relay_store_map_service (store, 1, "likes", 400000, row->id, 0, FALSE, error))
    return FALSE;

  for (guint done = 0; done < n_orders;)
    {
      g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) ids = NULL;
      guint batch = MIN (50000, n_orders - done);

      for (guint i = 0; i < batch; i++)
        {
          RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
          char *link = g_strdup_printf ("https://www.instagram.com/p/post%u/", done + i);

          g_ptr_array_add (links, link);
          draft->service_id = 1;
          draft->client_id = client_id;
          draft->link = link;
          draft->quantity = 100 + (done + i) % 5000;
          g_ptr_array_add (drafts, draft);
        }
      ids = relay_store_insert_orders (store, drafts, "bench", error);
      if (ids == NULL)
        return FALSE;
      done += batch;
      g_printerr ("  book: %u of %u orders\r", done, n_orders);
    }
  g_printerr ("\n");
  /* Statuses, progress and provider ids as a real book has them; placed
   * over a year, sent, with what the provider kept and the events of their
   * delivery (bench data, written past the store's API). */
  return exec_sql (store,
                   "BEGIN;"
                   "UPDATE orders SET status = CASE id % 10 WHEN 0 THEN 'in_progress' "
                   "  WHEN 1 THEN 'pending' WHEN 2 THEN 'partial' WHEN 3 THEN 'canceled' "
                   "  ELSE 'completed' END,"
                   "  remains = (id * 7919) % quantity, start_count = id % 1000,"
                   "  provider_order_id = id,"
                   "  created_at = created_at - (id * 7919) % (365 * 86400),"
                   "  sent_at = created_at - (id * 7919) % (365 * 86400) + 5,"
                   "  cost = price / 2, currency = 'USD';"
                   "UPDATE orders SET charge = CASE WHEN status IN ('partial', 'canceled') "
                   "  THEN price / 4 ELSE NULL END;"
                   "INSERT INTO order_events (order_id, at, old_status, new_status, source)"
                   "  SELECT id, sent_at + 60 + id % 600, 'pending', 'in_progress', 'sync' FROM orders"
                   "  WHERE status <> 'pending';"
                   "INSERT INTO order_events (order_id, at, old_status, new_status, source)"
                   "  SELECT id, sent_at + 600 + id % 7200, 'in_progress', status, 'sync' FROM orders"
                   "  WHERE status IN ('completed', 'partial', 'canceled');"
                   "COMMIT;"
                   "PRAGMA wal_checkpoint (TRUNCATE);", error);
}

char *
bench_book_ensure (const char *cache_dir, guint n_orders, GError **error)
{
  g_autofree char *name = g_strdup_printf ("book-g%d-s%d-%u.db", BENCH_BOOK_GENERATOR,
                                           RELAY_STORE_SCHEMA_VERSION, n_orders);
  g_autofree char *path = g_build_filename (cache_dir, name, NULL);
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };
  double t0;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);
  if (g_mkdir_with_parents (cache_dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", cache_dir,
                   g_strerror (errno));
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *old = g_strconcat (tmp, suffixes[i], NULL);
      g_unlink (old);
    }
  g_printerr ("generating a book of %u orders in %s (once; cached) ...\n", n_orders, path);
  t0 = bench_now ();
  if (!generate (tmp, n_orders, error))
    return NULL;
  if (g_rename (tmp, path) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", path,
                   g_strerror (errno));
      return NULL;
    }
  g_printerr ("  generated in %.0f s\n", bench_now () - t0);
  return g_steal_pointer (&path);
}
