/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A key store that takes its time (a keyring the bus has to start, or one
 * that prompts) never holds up the main loop: a 1 ms timer keeps ticking
 * while the dispatcher sends to a provider whose key is being read, the
 * order goes once the key is there, and a missing key still leaves the order
 * queued with the same words as before (never the key). */
#include "engine-test-util.h"
#include "engine-slow-keys.h"
#include "relay-file-key-store.h"

#define SLOW_MS 600
#define FOLLOWERS 1

/* ---- the fixture ---- */

typedef struct
{
  EtBook       *book;
  RelaySim     *sim;
  EtSlowKeys   *keys;
  RelayCore    *core;
  gint64        provider_id;
  gint64        client_id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  url = relay_sim_dup_url (f->sim);
  /* The book is set up with the key in the book's key file ... */
  f->core = et_core_new (f->book);
  f->provider_id = et_add_provider (f->core, "Sim", url);
  et_map (f->core, FOLLOWERS, f->provider_id, "101", 0, NULL, FALSE);
  f->client_id = et_add_client (f->core, "Client");
  g_clear_object (&f->core);
  /* ... and opened again, as the app starts, with a key store that takes
   * SLOW_MS to give that key. */
  f->keys = et_slow_keys_new (relay_file_key_store_new (f->book->keys_path), SLOW_MS);
  f->core = relay_core_new (f->book->db_path, RELAY_KEY_STORE (f->keys), &error);
  g_assert_no_error (error);
  relay_core_set_timeout_ms (f->core, 3000);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  g_clear_object (&f->keys);
  g_clear_object (&f->sim);
  et_spin (10);
  g_clear_pointer (&f->book, et_book_free);
}

/* The dispatcher sends to a provider whose key takes SLOW_MS to read: the
 * main loop keeps running meanwhile, and the order goes once. */
static void
test_dispatch_waits_for_key (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayOrderRow) order = NULL;
  RelayDispatchReport report;
  EtGap ticker = { 0 };
  gint64 longest;
  gint64 id;

  id = et_place (f->core, FOLLOWERS, f->client_id, "https://www.instagram.com/keywait/", 100);
  et_gap_start (&ticker, 1);
  report = et_dispatch (f->core);
  longest = et_gap_stop (&ticker) / 1000;
  g_test_message ("longest gap of the 1 ms timer: %" G_GINT64_FORMAT " ms (a lookup: %d ms)",
                  longest, SLOW_MS);

  g_assert_cmpint (g_atomic_int_get (&f->keys->n_lookups), >=, 1);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_on_main_thread), ==, 0);
  g_assert_cmpint (longest, <, SLOW_MS / 2);
  g_assert_cmpuint (report.n_sent, ==, 1);
  order = et_order (f->core, id);
  g_assert_nonnull (order->provider_order_id);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
}

/* No key on this computer: the order stays queued with the words it had
 * before the lookup left the main thread; the key is in no message. */
static void
test_missing_key (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(GError) error = NULL;
  RelayDispatchReport report;
  EtGap ticker = { 0 };
  gint64 longest;
  gint64 id;

  provider = relay_store_get_provider (relay_core_get_store (f->core), f->provider_id, &error);
  g_assert_no_error (error);
  g_assert_true (relay_key_store_remove (f->keys->inner, provider->key_ref, &error));
  g_assert_no_error (error);
  id = et_place (f->core, FOLLOWERS, f->client_id, "https://www.instagram.com/keywait2/", 100);

  et_gap_start (&ticker, 1);
  report = et_dispatch (f->core);
  longest = et_gap_stop (&ticker) / 1000;
  g_test_message ("longest gap of the 1 ms timer: %" G_GINT64_FORMAT " ms", longest);

  g_assert_cmpint (g_atomic_int_get (&f->keys->n_on_main_thread), ==, 0);
  g_assert_cmpint (longest, <, SLOW_MS / 2);
  g_assert_cmpuint (report.n_sent, ==, 0);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  g_assert_true (et_events_mention (relay_core_get_store (f->core), id,
                                    "No API key for provider Sim on this computer; set it again"));
  g_assert_false (et_events_mention (relay_core_get_store (f->core), id, "demo-key"));
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);
}

/* Asking a provider for its balance (the Providers page, a health check)
 * waits for the key off the main loop too. */
static void
test_balance_waits_for_key (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  EtGap ticker = { 0 };
  gint64 longest;

  et_gap_start (&ticker, 1);
  relay_core_refresh_balance_async (f->core, f->provider_id, NULL, et_async_ready, &async);
  balance = relay_core_refresh_balance_finish (f->core, et_async_wait (&async), &error);
  longest = et_gap_stop (&ticker) / 1000;
  et_async_clear (&async);
  g_test_message ("longest gap of the 1 ms timer: %" G_GINT64_FORMAT " ms", longest);

  g_assert_no_error (error);
  g_assert_nonnull (balance);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_lookups), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&f->keys->n_on_main_thread), ==, 0);
  g_assert_cmpint (longest, <, SLOW_MS / 2);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
#define ADD(path, func) \
  g_test_add ("/key-wait/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("dispatch-waits-for-key", test_dispatch_waits_for_key);
  ADD ("missing-key", test_missing_key);
  ADD ("balance-waits-for-key", test_balance_waits_for_key);
#undef ADD
  return g_test_run ();
}
