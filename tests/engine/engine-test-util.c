/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the engine tests share: private order books, cores, simulators and
 * bounded waits. */
#include "engine-test-util.h"
#include "relay-file-key-store.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_clear_pointer (&dir, g_dir_close);
      g_rmdir (path);
    }
  else
    g_remove (path);
}

static char *process_dir;

static void
remove_process_dir (void)
{
  if (process_dir != NULL)
    remove_tree (process_dir);
}

void
et_init (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = NULL;

  g_test_init (argc, argv, NULL);
  /* Before any thread: whatever opens the default key store finds a file of
   * this run, never the user's. */
  process_dir = g_dir_make_tmp ("smm-relay-engine-run-XXXXXX", &error);
  g_assert_no_error (error);
  keys = g_build_filename (process_dir, "keys", NULL);
  g_setenv ("SMM_RELAY_KEYS", keys, TRUE);
  g_unsetenv ("SMM_RELAY_DB");
  atexit (remove_process_dir);
}

EtBook *
et_book_new (void)
{
  g_autoptr(GError) error = NULL;
  EtBook *book = g_new0 (EtBook, 1);

  book->dir = g_dir_make_tmp ("smm-relay-engine-XXXXXX", &error);
  g_assert_no_error (error);
  book->db_path = g_build_filename (book->dir, "orders.db", NULL);
  book->keys_path = g_build_filename (book->dir, "keys", NULL);
  return book;
}

void
et_book_free (EtBook *book)
{
  if (book == NULL)
    return;
  if (g_getenv ("ET_KEEP") == NULL)
    remove_tree (book->dir);
  else
    g_test_message ("kept %s", book->dir);
  g_free (book->dir);
  g_free (book->db_path);
  g_free (book->keys_path);
  g_free (book);
}

RelayCore *
et_core_new (EtBook *book)
{
  g_autoptr(GError) error = NULL;
  RelayCore *core;
  g_autoptr(RelayKeyStore) keys = NULL;

  /* The file key store at the book's key file: what SMM_RELAY_KEYS gives the
   * CLI (see et_init()), without setenv() once threads run. */
  keys = relay_file_key_store_new (book->keys_path);
  core = relay_core_new (book->db_path, keys, &error);
  g_assert_no_error (error);
  g_assert_nonnull (core);
  /* Short enough that the timeout tests stay quick, long enough that a
   * 100-order status reply from the in-process simulator (same main loop)
   * never times out on a loaded 2-core machine or under ASan. */
  relay_core_set_timeout_ms (core, 3000);
  return core;
}

RelaySim *
et_sim_new (void)
{
  g_autoptr(GError) error = NULL;
  RelaySim *sim = relay_sim_new ();

  relay_sim_listen (sim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relay_sim_get_port (sim), >, 0);
  return sim;
}

char *
et_closed_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("http://127.0.0.1:%u/api/v2", port);
}

/* ---- waiting ---- */

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
et_wait_until (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_ms ? timeout_ms : ET_WAIT_MS) * 1000;
  guint ticker = g_timeout_add (20, tick, NULL);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_source_remove (ticker);
          g_error ("Timed out after %u ms waiting for a condition", timeout_ms ? timeout_ms : ET_WAIT_MS);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);
}

gboolean
et_try_wait_until (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint ticker = g_timeout_add (20, tick, NULL);
  gboolean met;

  while (!(met = cond (data)) && g_get_monotonic_time () <= deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  return met;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

void
et_wait_flag (gboolean *flag, guint timeout_ms)
{
  et_wait_until (flag_is_set, flag, timeout_ms);
}

void
et_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  guint ticker = g_timeout_add (10, tick, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
}

void
et_async_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EtAsync *async = user_data;

  async->result = g_object_ref (result);
  async->done = TRUE;
}

GAsyncResult *
et_async_wait (EtAsync *async)
{
  et_wait_flag (&async->done, 0);
  return async->result;
}

void
et_async_clear (EtAsync *async)
{
  g_clear_object (&async->result);
  async->done = FALSE;
}

/* ---- synchronous wrappers ---- */

RelayDispatchReport
et_dispatch (RelayCore *core)
{
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (core);
  EtAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;

  relay_dispatcher_run_async (dispatcher, NULL, et_async_ready, &async);
  report = relay_dispatcher_run_finish (dispatcher, et_async_wait (&async), &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  et_async_clear (&async);
  return *report;
}

RelaySyncReport *
et_sync (RelayCore *core)
{
  RelaySync *sync = relay_core_get_sync (core);
  EtAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  RelaySyncReport *report;

  relay_sync_run_async (sync, NULL, et_async_ready, &async);
  report = relay_sync_run_finish (sync, et_async_wait (&async), &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  et_async_clear (&async);
  return report;
}

void
et_sync_services (RelayCore *core, gint64 provider_id)
{
  EtAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;

  relay_core_sync_services_async (core, provider_id, NULL, et_async_ready, &async);
  changes = relay_core_sync_services_finish (core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  g_assert_nonnull (changes);
  et_async_clear (&async);
}

gint64
et_add_provider (RelayCore *core, const char *name, const char *url)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = relay_core_add_provider (core, name, url, "demo-key", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  et_sync_services (core, id);
  return id;
}

void
et_map (RelayCore *core, gint64 id, gint64 provider_id, const char *psid,
        gint64 fallback_provider_id, const char *fallback_psid, gboolean manual)
{
  RelayStore *store = relay_core_get_store (core);
  g_autoptr(RelayCatalogRow) row = NULL;
  g_autoptr(RelayCatalogRow) fallback = NULL;
  g_autoptr(GError) error = NULL;
  gint64 price;

  row = relay_store_find_catalog_service (store, provider_id, psid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  price = row->rate * 2;
  if (fallback_provider_id != 0)
    {
      fallback = relay_store_find_catalog_service (store, fallback_provider_id, fallback_psid, &error);
      g_assert_no_error (error);
      price = MAX (price, fallback->rate * 2);
    }
  relay_core_map_service (core, id, NULL, price, provider_id, psid,
                          fallback_provider_id, fallback_psid, manual, &error);
  g_assert_no_error (error);
}

gint64
et_add_client (RelayCore *core, const char *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = relay_store_add_client (relay_core_get_store (core), name, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

gint64
et_place (RelayCore *core, gint64 service_id, gint64 client_id, const char *link, gint64 quantity)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

  draft->service_id = service_id;
  draft->client_id = client_id;
  draft->link = link;
  draft->quantity = quantity;
  g_ptr_array_add (drafts, draft);
  ids = relay_core_place_orders (core, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, 1);
  return g_array_index (ids, gint64, 0);
}

RelayOrderRow *
et_store_order (RelayStore *store, gint64 order_id)
{
  g_autoptr(GError) error = NULL;
  RelayOrderRow *order = relay_store_get_order (store, order_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);
  return order;
}

RelayOrderRow *
et_order (RelayCore *core, gint64 order_id)
{
  return et_store_order (relay_core_get_store (core), order_id);
}

gint64
et_ledger_sum (RelayStore *store, gint64 client_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ledger = relay_store_list_ledger (store, client_id, &error);
  gint64 sum = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < ledger->len; i++)
    sum += ((RelayLedgerEntry *) g_ptr_array_index (ledger, i))->amount;
  return sum;
}

gboolean
et_events_mention (RelayStore *store, gint64 order_id, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = relay_store_list_order_events (store, order_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      RelayOrderEvent *event = g_ptr_array_index (events, i);

      if (event->detail != NULL && strstr (event->detail, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

RelaySimOrder *
et_sim_find (RelaySim *sim, const char *link)
{
  g_autoptr(GPtrArray) orders = relay_sim_dup_orders (sim);

  for (guint i = 0; i < orders->len; i++)
    {
      RelaySimOrder *order = g_ptr_array_index (orders, i);

      if (g_strcmp0 (order->link, link) == 0)
        return g_ptr_array_steal_index (orders, i);
    }
  return NULL;
}

RelaySimOrder *
et_sim_find_id (RelaySim *sim, const char *id)
{
  g_autoptr(GPtrArray) orders = relay_sim_dup_orders (sim);
  gint64 wanted = g_ascii_strtoll (id, NULL, 10);

  for (guint i = 0; i < orders->len; i++)
    {
      RelaySimOrder *order = g_ptr_array_index (orders, i);

      if (order->id == wanted)
        return g_ptr_array_steal_index (orders, i);
    }
  return NULL;
}

void
et_sql (RelayStore *store, const char *sql)
{
  sqlite3 *db = relay_store_get_db (store);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s: %s", sql, message);
}

static gboolean
gap_tick (gpointer data)
{
  EtGap *gap = data;
  gint64 now = g_get_monotonic_time ();

  gap->longest = MAX (gap->longest, now - gap->last);
  gap->last = now;
  return G_SOURCE_CONTINUE;
}

void
et_gap_start (EtGap *gap,
              guint  interval_ms)
{
  gap->last = g_get_monotonic_time ();
  gap->longest = 0;
  gap->id = g_timeout_add (interval_ms, gap_tick, gap);
}

gint64
et_gap_stop (EtGap *gap)
{
  gap_tick (gap);
  g_clear_handle_id (&gap->id, g_source_remove);
  return gap->longest;
}
