/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The writes of a provider's row that come from the main loop — the balance a
 * funds run read, a provider's last error — never wait there for the book's
 * write lock while another process holds it: they go in on a worker once it
 * is let go, in the order they were asked for, each followed by one
 * ::catalog-changed.  With the book free they are written at once. */
#include "engine-test-util.h"
#include "engine-book-lock.h"
#include "relay-client-pool.h"
#include "relay-core-private.h"
#include "relay-funds.h"

#define PSID "103"
#define SERVICE 1
#define BALANCE 12345678

typedef struct
{
  EtBook          *book;
  RelaySim        *sim;
  RelayCore       *core;
  RelayStore      *store;
  RelayClientPool *pool;
  RelayFunds      *funds;
  gint64           provider_id;
  guint            n_changed;     /* ::catalog-changed for the provider */
} Fixture;

static void
on_catalog_changed (RelayStore *store, gint64 provider_id, Fixture *f)
{
  if (provider_id == f->provider_id)
    f->n_changed++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;
  gint64 client_id;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  f->core = et_core_new (f->book);
  f->store = relay_core_get_store (f->core);
  url = relay_sim_dup_url (f->sim);
  f->provider_id = et_add_provider (f->core, "Panel", url);
  et_map (f->core, SERVICE, f->provider_id, PSID, 0, NULL, FALSE);
  client_id = et_add_client (f->core, "Client");
  /* A queued order makes the provider due: a funds run asks its balance. */
  et_place (f->core, SERVICE, client_id, "https://www.instagram.com/p/Writes/", 200);
  f->pool = relay_client_pool_new (f->store, relay_core_get_key_store (f->core),
                                   relay_core_get_session (f->core), 5000);
  f->funds = relay_funds_new (f->pool);
  relay_funds_set_max_age (f->funds, 0);
  g_signal_connect (f->store, "catalog-changed", G_CALLBACK (on_catalog_changed), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (f->store, f);
  g_clear_object (&f->funds);
  g_clear_object (&f->pool);
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  et_spin (10);
  g_clear_pointer (&f->book, et_book_free);
}

static RelayProviderRow *
provider_row (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  RelayProviderRow *row = relay_store_get_provider (f->store, f->provider_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (row);
  return row;
}

static gboolean
balance_asked (gpointer data)
{
  Fixture *f = data;

  return relay_sim_get_n_requests (f->sim, "balance") > 0;
}

static gboolean
writes_over (gpointer data)
{
  return !relay_client_pool_is_writing (RELAY_CLIENT_POOL (data));
}

static void
note (Fixture *f, const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (RELAY_PROVIDER_ERROR,
                                                 RELAY_PROVIDER_ERROR_REJECTED, message);

  relay_client_pool_note (f->pool, f->provider_id, error);
}

/* While another connection holds the book for 2 s: a funds run's balance
 * and two error notes.  The main loop keeps ticking (a 1 ms timer's longest
 * gap < 250 ms: the old code sat in SQLite's busy handler until the lock
 * went), the run waits for its balance to be in, nothing is written nor
 * signalled meanwhile; once let go, the balance and the later note are in
 * the book, one ::catalog-changed each write. */
static void
test_while_book_held (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderRow) before = provider_row (f);
  g_autoptr(RelayProviderRow) row = NULL;
  EtAsync async = { 0 };
  EtGap gap = { 0 };
  EtBookLock *lock;
  gint64 started, longest, held_from;

  g_assert_null (before->last_error);
  g_assert_cmpint (before->balance, !=, BALANCE);
  relay_sim_set_balance (f->sim, BALANCE);
  relay_sim_set_latency (f->sim, 0, 0);
  lock = et_book_lock_take (f->book->db_path, 30000);
  held_from = g_get_monotonic_time ();
  started = g_get_real_time () / G_USEC_PER_SEC;
  f->n_changed = 0;

  et_gap_start (&gap, 1);
  relay_funds_begin_run_async (f->funds, NULL, et_async_ready, &async);
  et_wait_until (balance_asked, f, 10000);
  et_spin (100);
  /* After the run's own note (the call worked): the later ones win. */
  note (f, "First failure");
  note (f, "Second failure");
  while (g_get_monotonic_time () - held_from < 2 * G_USEC_PER_SEC)
    et_spin (50);
  longest = et_gap_stop (&gap);
  g_test_message ("longest gap of the main loop while the book was held: %" G_GINT64_FORMAT
                  " ms", longest / 1000);
  g_assert_cmpint (longest, <, 250 * 1000);
  g_assert_false (async.done);
  g_assert_true (relay_client_pool_is_writing (f->pool));
  g_assert_cmpuint (f->n_changed, ==, 0);
  row = provider_row (f);
  g_assert_cmpint (row->has_balance, ==, before->has_balance);
  g_assert_cmpint (row->balance, ==, before->balance);
  g_assert_cmpint (row->balance_at, ==, before->balance_at);
  g_assert_null (row->last_error);
  g_clear_pointer (&row, relay_provider_row_free);

  et_book_lock_release (lock);
  relay_funds_begin_run_finish (f->funds, et_async_wait (&async));
  et_async_clear (&async);
  et_wait_until (writes_over, f->pool, 10000);
  row = provider_row (f);
  g_assert_true (row->has_balance);
  g_assert_cmpint (row->balance, ==, BALANCE);
  g_assert_cmpint (row->balance_at, >=, started);
  g_assert_cmpstr (row->last_error, ==, "Second failure");
  /* The balance, the first note, the second: once each. */
  g_assert_cmpuint (f->n_changed, ==, 3);
  relay_funds_end_run (f->funds, TRUE);
}

/* With the book free a note is in at once (the CLI reads it right after the
 * call that made it), signalled once, and one that changes nothing is not
 * written. */
/* A process about to end (the CLI, the app's shutdown) waits for what the
 * core's pool queued behind another writer's lock: relay_core_finish_writes()
 * says FALSE while the lock is held, and TRUE once the note is in the book
 * (a queued write used to go with the process). */
static void
test_finish_writes (Fixture *f, gconstpointer data)
{
  RelayClientPool *pool = relay_core_get_clients (f->core);
  g_autoptr(GError) error = g_error_new_literal (RELAY_PROVIDER_ERROR,
                                                 RELAY_PROVIDER_ERROR_REJECTED, "Locked out");
  g_autoptr(RelayProviderRow) row = NULL;
  EtBookLock *lock;

  g_assert_true (relay_core_finish_writes (f->core, 0));
  lock = et_book_lock_take (f->book->db_path, 30000);
  relay_client_pool_note (pool, f->provider_id, error);
  g_assert_true (relay_client_pool_is_writing (pool));
  g_assert_false (relay_core_finish_writes (f->core, 200));
  et_book_lock_release (lock);
  g_assert_true (relay_core_finish_writes (f->core, 10000));
  g_assert_false (relay_client_pool_is_writing (pool));
  row = provider_row (f);
  g_assert_cmpstr (row->last_error, ==, "Locked out");
}

static void
test_free_book_in_place (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderRow) row = NULL;

  f->n_changed = 0;
  note (f, "Down");
  g_assert_false (relay_client_pool_is_writing (f->pool));
  row = provider_row (f);
  g_assert_cmpstr (row->last_error, ==, "Down");
  g_assert_cmpuint (f->n_changed, ==, 1);
  note (f, "Down");
  g_assert_cmpuint (f->n_changed, ==, 1);
  relay_client_pool_note (f->pool, f->provider_id, NULL);
  g_clear_pointer (&row, relay_provider_row_free);
  row = provider_row (f);
  g_assert_null (row->last_error);
  g_assert_cmpuint (f->n_changed, ==, 2);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  g_test_add ("/engine/book-writes/while-book-held", Fixture, NULL, fixture_setup,
              test_while_book_held, fixture_teardown);
  g_test_add ("/engine/book-writes/finish-writes", Fixture, NULL, fixture_setup,
              test_finish_writes, fixture_teardown);
  g_test_add ("/engine/book-writes/free-book-in-place", Fixture, NULL, fixture_setup,
              test_free_book_in_place, fixture_teardown);
  return g_test_run ();
}
