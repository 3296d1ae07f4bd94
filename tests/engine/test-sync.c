/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The status refresh: 100 ids a request, statuses applied as the provider
 * says them, refunds of partial and canceled orders, provider errors that
 * leave the book alone; refills and cancels. */
#include "engine-test-util.h"

#include <sqlite3.h>

/* The checked money functions, for amounts a test knows are in range. */
static inline gint64
checked_price (gint64 per_thousand, gint64 units)
{
  gint64 amount = -1;

  g_assert_true (relay_money_for_quantity (per_thousand, units, &amount, NULL));
  return amount;
}

static inline gint64
checked_refund (gint64 per_thousand, gint64 units, gint64 delivered)
{
  gint64 amount = -1;

  g_assert_true (relay_money_refund (per_thousand, units, delivered, &amount, NULL));
  return amount;
}

#define LIKES 1            /* sim 103, Instagram Likes: no refill, no cancel, post link */
#define FOLLOWERS 2        /* sim 101, Instagram Followers: refill and cancel, profile link */

typedef struct
{
  EtBook     *book;
  RelaySim   *sim;
  RelayCore  *core;
  RelayStore *store;
  gint64      provider_id;
  gint64      client_id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  /* The simulated clock moves only when the test says so. */
  relay_sim_set_speed (f->sim, 0);
  relay_sim_set_seed (f->sim, 1234);
  f->core = et_core_new (f->book);
  f->store = relay_core_get_store (f->core);
  url = relay_sim_dup_url (f->sim);
  f->provider_id = et_add_provider (f->core, "Sim", url);
  et_map (f->core, LIKES, f->provider_id, "103", 0, NULL, FALSE);
  et_map (f->core, FOLLOWERS, f->provider_id, "101", 0, NULL, FALSE);
  f->client_id = et_add_client (f->core, "Client");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  et_spin (10);
  g_clear_pointer (&f->book, et_book_free);
}

/* Places and sends @n orders; returns their ids. */
static GArray *
place_and_send (Fixture *f, gint64 service, const char *tag, guint n)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GArray *ids;
  RelayDispatchReport report;

  for (guint i = 0; i < n; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      if (service == LIKES)
        g_ptr_array_add (links, g_strdup_printf ("https://www.instagram.com/p/Sync%s%u/", tag, i));
      else
        g_ptr_array_add (links, g_strdup_printf ("https://www.instagram.com/sync_%s_%u", tag, i));
      draft->service_id = service;
      draft->client_id = f->client_id;
      draft->link = g_ptr_array_index (links, i);
      /* Odd quantities so the refunds round. */
      draft->quantity = 101 + 37 * i % 2900;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_no_error (error);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, n);
  return ids;
}

typedef struct
{
  GHashTable *ids;   /* gint64* set */
  guint       n_signals;
} Changed;

static void
on_orders_changed (RelayStore *store, GArray *ids, gpointer user_data)
{
  Changed *changed = user_data;

  changed->n_signals++;
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (changed->ids, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
}

/* The order matches the simulator's record of it, and its refund is right. */
static void
assert_matches_sim (Fixture *f, const RelayOrderRow *order, GHashTable *sim_by_id)
{
  gint64 pid = g_ascii_strtoll (order->provider_order_id, NULL, 10);
  RelaySimOrder *at_sim = g_hash_table_lookup (sim_by_id, &pid);
  g_autoptr(RelayServiceRow) service = relay_store_get_service (f->store, order->service_id, NULL);
  RelayOrderStatus expected;
  gint64 delivered;

  g_assert_nonnull (at_sim);
  g_assert_true (relay_order_status_from_provider (at_sim->status, &expected));
  g_assert_cmpint (order->status, ==, expected);
  g_assert_true (order->has_remains);
  g_assert_cmpint (order->remains, ==, at_sim->remains);
  g_assert_cmpint (order->price, ==, checked_price (service->price, order->quantity));
  delivered = order->quantity - at_sim->remains;
  if (expected == RELAY_ORDER_COMPLETED)
    g_assert_cmpint (order->refunded, ==, 0);
  else
    g_assert_cmpint (order->refunded, ==, checked_refund (service->price, order->quantity, delivered));
  g_assert_cmpint (order->price - order->refunded, ==, checked_price (service->price, delivered));
}

static GHashTable *
sim_orders_by_id (RelaySim *sim)
{
  g_autoptr(GPtrArray) orders = relay_sim_dup_orders (sim);
  GHashTable *table = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                             (GDestroyNotify) relay_sim_order_free);

  g_ptr_array_set_free_func (orders, NULL);
  for (guint i = 0; i < orders->len; i++)
    {
      RelaySimOrder *order = g_ptr_array_index (orders, i);
      g_hash_table_insert (table, &order->id, order);
    }
  return table;
}

static void
test_batched (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_and_send (f, LIKES, "Batch", 250);
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(GHashTable) sim_by_id = NULL;
  Changed changed = { g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL), 0 };
  gulong handler;
  guint before;
  gint64 sum_price = 0, sum_refunded = 0;
  guint n_final = 0;
  gint64 counts[RELAY_ORDER_N_STATUSES] = { 0 };
  g_autoptr(GError) error = NULL;

  handler = g_signal_connect (f->store, "orders-changed", G_CALLBACK (on_orders_changed), &changed);

  /* Some start, some finish. */
  relay_sim_advance (f->sim, 20);
  before = relay_sim_get_n_requests (f->sim, "status");
  report = et_sync (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "status") - before, ==, 3);
  g_assert_cmpuint (report->n_requests, ==, 3);
  g_assert_cmpuint (report->n_checked, ==, 250);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->changes->len, >, 0);
  g_test_message ("first sync: %u changes", report->changes->len);
  for (guint i = 0; i < report->changes->len; i++)
    {
      RelayStatusChange *change = &g_array_index (report->changes, RelayStatusChange, i);
      g_autoptr(RelayOrderRow) order = et_order (f->core, change->order_id);

      g_assert_cmpint (change->old_status, ==, RELAY_ORDER_PENDING);
      g_assert_cmpint (change->new_status, !=, change->old_status);
      g_assert_cmpint (change->new_status, ==, order->status);
      g_assert_true (g_hash_table_contains (changed.ids, &change->order_id));
    }
  /* Every order matches what the simulator says now. */
  sim_by_id = sim_orders_by_id (f->sim);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));
      gint64 pid = g_ascii_strtoll (order->provider_order_id, NULL, 10);
      RelaySimOrder *at_sim = g_hash_table_lookup (sim_by_id, &pid);
      RelayOrderStatus expected;

      g_assert_true (relay_order_status_from_provider (at_sim->status, &expected));
      g_assert_cmpint (order->status, ==, expected);
    }
  g_clear_pointer (&sim_by_id, g_hash_table_unref);
  g_clear_pointer (&report, relay_sync_report_free);

  /* Much later: everything has ended. */
  relay_sim_advance (f->sim, 1e6);
  g_hash_table_remove_all (changed.ids);
  report = et_sync (f->core);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->n_requests, <=, 3);
  sim_by_id = sim_orders_by_id (f->sim);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(RelayOrderRow) order = et_order (f->core, id);

      g_assert_true (relay_order_status_is_final (order->status));
      assert_matches_sim (f, order, sim_by_id);
      sum_price += order->price;
      sum_refunded += order->refunded;
      n_final++;
    }
  g_assert_cmpuint (n_final, ==, 250);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, sum_price - sum_refunded);
  g_assert_cmpuint (g_hash_table_size (changed.ids), >=, report->changes->len);
  relay_store_count_by_status (f->store, counts, &error);
  g_assert_no_error (error);
  g_test_message ("completed %" G_GINT64_FORMAT ", partial %" G_GINT64_FORMAT ", canceled %" G_GINT64_FORMAT,
                  counts[RELAY_ORDER_COMPLETED], counts[RELAY_ORDER_PARTIAL], counts[RELAY_ORDER_CANCELED]);
  g_assert_cmpint (counts[RELAY_ORDER_COMPLETED] + counts[RELAY_ORDER_PARTIAL] + counts[RELAY_ORDER_CANCELED], ==, 250);
  /* The seed gives some of each, so every refund path ran. */
  g_assert_cmpint (counts[RELAY_ORDER_PARTIAL], >, 0);
  g_assert_cmpint (counts[RELAY_ORDER_CANCELED], >, 0);

  /* Nothing active: no request at all. */
  g_clear_pointer (&report, relay_sync_report_free);
  before = relay_sim_get_n_requests (f->sim, "status");
  report = et_sync (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "status"), ==, before);
  g_assert_cmpuint (report->changes->len, ==, 0);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, sum_price - sum_refunded);

  g_signal_handler_disconnect (f->store, handler);
  g_hash_table_unref (changed.ids);
}

static void
test_provider_error (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_and_send (f, LIKES, "Error", 5);
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_row_free);
  g_autoptr(GError) error = NULL;
  gint64 ledger = et_ledger_sum (f->store, f->client_id);

  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (before, et_order (f->core, g_array_index (ids, gint64, i)));
  relay_sim_advance (f->sim, 1e6);
  relay_sim_inject_fault (f->sim, "status", RELAY_SIM_FAULT_HTML_BEFORE, 1);
  report = et_sync (f->core);
  g_assert_cmpuint (report->n_errors, ==, 1);
  g_assert_cmpuint (report->changes->len, ==, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      RelayOrderRow *old = g_ptr_array_index (before, i);
      g_autoptr(RelayOrderRow) now = et_order (f->core, old->id);

      g_assert_cmpint (now->status, ==, old->status);
      g_assert_cmpint (now->status, ==, RELAY_ORDER_PENDING);
      g_assert_cmpint (now->refunded, ==, 0);
      g_assert_cmpint (now->has_remains, ==, old->has_remains);
      g_assert_cmpstr (now->provider_status, ==, old->provider_status);
    }
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, ledger);
  provider = relay_store_get_provider (f->store, f->provider_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider->last_error);
  g_test_message ("last_error: %s", provider->last_error);
  g_clear_pointer (&provider, relay_provider_row_free);

  g_clear_pointer (&report, relay_sync_report_free);
  report = et_sync (f->core);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->changes->len, ==, 5);
  provider = relay_store_get_provider (f->store, f->provider_id, &error);
  g_assert_null (provider->last_error);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) now = et_order (f->core, g_array_index (ids, gint64, i));
      g_assert_true (relay_order_status_is_final (now->status));
    }
}

/* One bad entry in a reply spoils nothing else. */
static void
test_unknown_id (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_and_send (f, LIKES, "Unknown", 3);
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(RelayOrderRow) bad = NULL;
  g_autofree char *sql = NULL;

  /* The panel forgot one order (or someone typed a wrong id in review). */
  sql = g_strdup_printf ("UPDATE orders SET provider_order_id = '999999999' WHERE id = %" G_GINT64_FORMAT,
                         g_array_index (ids, gint64, 0));
  et_sql (f->store, sql);
  relay_sim_advance (f->sim, 1e6);
  report = et_sync (f->core);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->changes->len, ==, 2);
  bad = et_order (f->core, g_array_index (ids, gint64, 0));
  /* An "Incorrect order ID" entry is not a reason to fail or refund it. */
  g_assert_true (relay_order_status_is_active (bad->status));
  g_assert_cmpint (bad->refunded, ==, 0);
  for (guint i = 1; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));
      g_assert_true (relay_order_status_is_final (order->status));
    }
}

static void
test_refill (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_and_send (f, FOLLOWERS, "refill", 8);
  g_autoptr(GArray) done = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  guint before;
  guint n_completed = 0;

  relay_sim_advance (f->sim, 1e6);
  g_clear_pointer (&report, relay_sync_report_free);
  report = et_sync (f->core);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));

      g_assert_true (relay_order_status_is_final (order->status));
      g_assert_true (order->can_refill);
      if (order->status == RELAY_ORDER_COMPLETED || order->status == RELAY_ORDER_PARTIAL)
        g_array_append_val (done, order->id);
    }
  g_assert_cmpuint (done->len, >=, 2);

  /* One order alone (the `order` form), then the rest together (`orders`). */
  before = relay_sim_get_n_requests (f->sim, "refill");
  for (guint round = 0; round < 2; round++)
    {
      const gint64 *first = round == 0 ? &g_array_index (done, gint64, 0) : &g_array_index (done, gint64, 1);
      guint n = round == 0 ? 1 : done->len - 1;

      relay_core_refill_async (f->core, first, n, NULL, et_async_ready, &async);
      results = relay_core_refill_finish (f->core, et_async_wait (&async), &error);
      g_assert_no_error (error);
      et_async_clear (&async);
      g_assert_cmpuint (results->len, ==, n);
      for (guint i = 0; i < results->len; i++)
        {
          RelayActionResult *result = g_ptr_array_index (results, i);
          g_autoptr(GPtrArray) refills = relay_store_list_refills (f->store, result->order_id, &error);

          g_assert_no_error (error);
          g_assert_cmpint (result->order_id, ==, first[i]);
          g_assert_true (result->ok);
          g_assert_nonnull (result->message);
          g_assert_cmpuint (refills->len, ==, 1);
          g_assert_cmpstr (((RelayRefillRow *) g_ptr_array_index (refills, 0))->provider_refill_id, ==,
                           result->message);
          g_assert_true (et_events_mention (f->store, result->order_id, "efill"));
        }
      g_clear_pointer (&results, g_ptr_array_unref);
    }
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "refill") - before, ==, 2);

  /* The sync follows the refills to their end, in one request. */
  relay_sim_advance (f->sim, 1e6);
  before = relay_sim_get_n_requests (f->sim, "refill_status");
  g_clear_pointer (&report, relay_sync_report_free);
  report = et_sync (f->core);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "refill_status") - before, ==, 1);
  for (guint i = 0; i < done->len; i++)
    {
      g_autoptr(GPtrArray) refills = relay_store_list_refills (f->store, g_array_index (done, gint64, i), &error);
      RelayRefillRow *refill = g_ptr_array_index (refills, 0);

      g_assert_true (g_str_equal (refill->status, "Completed") || g_str_equal (refill->status, "Rejected"));
      if (g_str_equal (refill->status, "Completed"))
        n_completed++;
    }
  g_assert_cmpuint (n_completed, >, 0);
  {
    g_autoptr(GPtrArray) active = relay_store_list_active_refills (f->store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (active->len, ==, 0);
  }

  /* Refused locally: a service without refills, and an order not yet done. */
  {
    g_autoptr(GArray) likes = place_and_send (f, LIKES, "NoRefill", 1);
    gint64 id = g_array_index (likes, gint64, 0);
    RelayActionResult *result;

    before = relay_sim_get_n_requests (f->sim, "refill");
    relay_core_refill_async (f->core, &id, 1, NULL, et_async_ready, &async);
    results = relay_core_refill_finish (f->core, et_async_wait (&async), &error);
    g_assert_no_error (error);
    et_async_clear (&async);
    result = g_ptr_array_index (results, 0);
    g_assert_false (result->ok);
    g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "refill"), ==, before);
  }
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_and_send (f, FOLLOWERS, "cancel", 6);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(GHashTable) sim_by_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  EtAsync async = { 0 };
  gint64 target = 0;
  RelayActionResult *result;

  /* Past every pending time, well before any end: running orders. */
  relay_sim_advance (f->sim, 7);
  report = et_sync (f->core);
  for (guint i = 0; i < ids->len && target == 0; i++)
    {
      g_autoptr(RelayOrderRow) o = et_order (f->core, g_array_index (ids, gint64, i));

      if (o->status == RELAY_ORDER_IN_PROGRESS)
        target = o->id;
    }
  g_assert_cmpint (target, !=, 0);
  relay_sim_advance (f->sim, 3);

  relay_core_cancel_async (f->core, &target, 1, NULL, et_async_ready, &async);
  results = relay_core_cancel_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  result = g_ptr_array_index (results, 0);
  g_assert_true (result->ok);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "cancel"), ==, 1);
  /* Asked, not yet known: the sync says how it ended. */
  order = et_order (f->core, target);
  g_assert_true (relay_order_status_is_active (order->status));
  g_clear_pointer (&order, relay_order_row_free);

  g_clear_pointer (&report, relay_sync_report_free);
  report = et_sync (f->core);
  order = et_order (f->core, target);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_CANCELED);
  sim_by_id = sim_orders_by_id (f->sim);
  assert_matches_sim (f, order, sim_by_id);
  g_assert_cmpint (order->refunded, >, 0);
  g_test_message ("canceled with %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " delivered; refunded %" G_GINT64_FORMAT,
                  order->quantity - order->remains, order->quantity, order->refunded);
}

static void
test_cancel_queued (Fixture *f, gconstpointer data)
{
  gint64 id = et_place (f->core, FOLLOWERS, f->client_id, "https://www.instagram.com/queued_one", 500);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  EtAsync async = { 0 };
  RelayDispatchReport report;
  guint before = relay_sim_get_n_requests (f->sim, NULL);

  relay_core_cancel_async (f->core, &id, 1, NULL, et_async_ready, &async);
  results = relay_core_cancel_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_true (((RelayActionResult *) g_ptr_array_index (results, 0))->ok);
  order = et_order (f->core, id);
  /* Never sent: canceled (not failed), with the whole price back. */
  g_assert_cmpint (order->status, ==, RELAY_ORDER_CANCELED);
  g_assert_cmpint (order->refunded, ==, order->price);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, 0);

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, NULL), ==, before);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);
}

/* A cancel of an order that needs review is refused: it may not exist. */
static void
test_cancel_review (Fixture *f, gconstpointer data)
{
  gint64 id = et_place (f->core, FOLLOWERS, f->client_id, "https://www.instagram.com/review_one", 500);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  EtAsync async = { 0 };

  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_HTML_AFTER, 1);
  et_dispatch (f->core);
  relay_core_cancel_async (f->core, &id, 1, NULL, et_async_ready, &async);
  results = relay_core_cancel_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_false (((RelayActionResult *) g_ptr_array_index (results, 0))->ok);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_cmpint (order->refunded, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "cancel"), ==, 0);
}

/* What the main thread's connection to the book runs, and on which thread
 * ::orders-changed comes. */
typedef struct
{
  guint    n_page_reads;     /* reads of active orders on the main connection */
  guint    n_refill_reads;   /* reads of the refills there */
  guint    n_signals;
  gboolean off_thread;       /* a signal came on another thread */
  GThread *main_thread;
  GHashTable *ids;
} MainWatch;

static int
on_main_statement (unsigned type, void *data, void *stmt, void *sql)
{
  MainWatch *watch = data;

  if (strstr (sqlite3_sql (stmt), "orders_active_id") != NULL)
    watch->n_page_reads++;
  if (strstr (sqlite3_sql (stmt), "FROM refills") != NULL)
    watch->n_refill_reads++;
  return 0;
}

static void
on_watched_change (RelayStore *store, GArray *ids, gpointer user_data)
{
  MainWatch *watch = user_data;

  watch->n_signals++;
  watch->off_thread |= g_thread_self () != watch->main_thread;
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (watch->ids, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
}

/* A refresh of 400 orders (4 requests) reads the active orders and the
 * refills on a connection of its own, never on the main loop's (each page
 * read there was a stall of the window), announces its changes at most every
 * 200 ms and once at the end rather than once a reply (each announcement
 * makes every view read its rows again), on the main thread, before it ends,
 * and leaves every order as the panel has it. */
static void
test_off_main_loop (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_and_send (f, LIKES, "Off", 400);
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(GHashTable) sim_by_id = NULL;
  MainWatch watch = { 0, 0, 0, FALSE, g_thread_self (),
                      g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL) };
  gulong handler;
  gint64 t0, elapsed_ms;

  relay_sim_advance (f->sim, 20);
  handler = g_signal_connect (f->store, "orders-changed", G_CALLBACK (on_watched_change), &watch);
  sqlite3_trace_v2 (relay_store_get_db (f->store), SQLITE_TRACE_STMT, on_main_statement, &watch);
  t0 = g_get_monotonic_time ();
  report = et_sync (f->core);
  elapsed_ms = (g_get_monotonic_time () - t0) / 1000;
  sqlite3_trace_v2 (relay_store_get_db (f->store), 0, NULL, NULL);
  g_signal_handler_disconnect (f->store, handler);

  g_test_message ("%u requests in %" G_GINT64_FORMAT " ms, %u changes, %u announcements, "
                  "%u page reads on the main connection", report->n_requests, elapsed_ms,
                  report->changes->len, watch.n_signals, watch.n_page_reads);
  g_assert_cmpuint (report->n_requests, ==, 4);
  g_assert_cmpuint (report->n_checked, ==, 400);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (watch.n_page_reads, ==, 0);
  g_assert_cmpuint (watch.n_refill_reads, ==, 0);
  g_assert_false (watch.off_thread);
  g_assert_cmpuint (report->changes->len, >, 0);
  g_assert_cmpuint (watch.n_signals, >, 0);
  /* The first at once, one each 200 ms more, the last at the end. */
  g_assert_cmpuint (watch.n_signals, <=, 2 + elapsed_ms / 200);
  for (guint i = 0; i < report->changes->len; i++)
    g_assert_true (g_hash_table_contains (watch.ids,
                                          &g_array_index (report->changes, RelayStatusChange, i).order_id));
  sim_by_id = sim_orders_by_id (f->sim);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));
      gint64 pid = g_ascii_strtoll (order->provider_order_id, NULL, 10);
      RelaySimOrder *at_sim = g_hash_table_lookup (sim_by_id, &pid);
      RelayOrderStatus expected;

      g_assert_nonnull (at_sim);
      g_assert_true (relay_order_status_from_provider (at_sim->status, &expected));
      g_assert_cmpint (order->status, ==, expected);
      if (expected != RELAY_ORDER_PENDING)
        g_assert_true (g_hash_table_contains (watch.ids, &order->id));
    }
  g_hash_table_unref (watch.ids);
}

typedef struct
{
  RelayProviderClient *client;
  guint                max_waiting;
} QueueWatch;

static gboolean
sample_queue (gpointer data)
{
  QueueWatch *watch = data;

  watch->max_waiting = MAX (watch->max_waiting, relay_provider_client_get_n_waiting (watch->client));
  return G_SOURCE_CONTINUE;
}

/* A refresh of 9,000 active orders (90 requests) reads no more pages while
 * 64 requests are in flight: the provider's queue stays bounded whatever the
 * number of active orders (reading every page at once queued all 90 behind
 * the 4 connections: 86 waiting), and every order is still
 * asked about, once. */
static void
test_bounded_queue (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  QueueWatch watch = { relay_core_get_client (f->core, f->provider_id, &error), 0 };
  guint before;
  guint sampler;
  char *sql_error = NULL;

  g_assert_no_error (error);
  /* 9,000 orders placed, then recorded as sent with ids the panel does not
   * know (it answers each with an error, which the refresh records): what
   * is measured is the reading and the requests, and 9,000 sends through
   * the dispatcher take too long under ASan. */
  for (guint i = 0; i < 9000; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      g_ptr_array_add (links, g_strdup_printf ("https://www.instagram.com/p/Queue%u/", i));
      draft->service_id = LIKES;
      draft->client_id = f->client_id;
      draft->link = g_ptr_array_index (links, i);
      draft->quantity = 100;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 9000);
  g_assert_cmpint (sqlite3_exec (relay_store_get_db (f->store),
                                 "UPDATE orders SET status = 'pending', provider_id = "
                                 "  (SELECT id FROM providers), provider_order_id = 900000 + id,"
                                 "  sent_at = 1 WHERE status = 'queued'",
                                 NULL, NULL, &sql_error), ==, SQLITE_OK);
  g_assert_null (sql_error);
  g_assert_cmpint (sqlite3_changes (relay_store_get_db (f->store)), ==, 9000);
  before = relay_sim_get_n_requests (f->sim, "status");
  /* 150 ms a reply: 4 connections take ~27 requests a second, far fewer
   * than the reader makes even under ASan on a loaded machine (at 40 ms a
   * reply a slow reader never had a request wait, and the bound went
   * untested: CI under load, max_waiting 0). */
  relay_sim_set_latency (f->sim, 150, 150);
  sampler = g_timeout_add (1, sample_queue, &watch);
  report = et_sync (f->core);
  g_source_remove (sampler);
  relay_sim_set_latency (f->sim, 0, 0);
  g_test_message ("%u requests, at most %u waiting for a connection", report->n_requests,
                  watch.max_waiting);
  g_assert_cmpuint (report->n_requests, ==, 90);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "status") - before, ==, 90);
  g_assert_cmpuint (report->n_checked, ==, 9000);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (watch.max_waiting, >, 0);
  g_assert_cmpuint (watch.max_waiting, <=, 70);   /* 64 in flight, a page more */
}

typedef struct
{
  RelaySim   *sim;
  RelayCore  *core;
  guint       refill_asks_before;
  gboolean    recorded;          /* a status reply is recorded (::orders-changed) */
  gboolean    refill_asked;      /* the panel got the refill_status request */
  gboolean    asked_before_recorded;
  gint64      refilled;          /* the order whose refill is followed */
  GArray     *active;            /* the orders asked about */
  gboolean    refill_written;
  guint       n_recorded_then;   /* of @active, with the panel's word when it was */
} OverlapWatch;

static void
on_overlap_change (RelayStore *store, GArray *ids, gpointer user_data)
{
  OverlapWatch *watch = user_data;

  watch->recorded = TRUE;
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == watch->refilled && !watch->refill_written)
      {
        watch->refill_written = TRUE;
        for (guint j = 0; j < watch->active->len; j++)
          {
            g_autoptr(RelayOrderRow) order = et_order (watch->core,
                                                       g_array_index (watch->active, gint64, j));

            watch->n_recorded_then += order->provider_status != NULL;
          }
      }
}

static gboolean
sample_overlap (gpointer data)
{
  OverlapWatch *watch = data;

  if (!watch->refill_asked &&
      relay_sim_get_n_requests (watch->sim, "refill_status") > watch->refill_asks_before)
    {
      watch->refill_asked = TRUE;
      watch->asked_before_recorded = !watch->recorded;
    }
  return G_SOURCE_CONTINUE;
}

/* The refills are read as soon as the orders are, and asked about while the
 * orders' requests are in flight: a run with refills ends one round trip
 * after it starts, not two (the refills were read and asked about only once
 * every status reply was recorded).  A refill's reply is still written once
 * every status reply is recorded (the main loop's connection would wait for
 * the writer's lock meanwhile). */
/* A finished order with a refill to follow (returned), and three active
 * orders (*@active). */
static gint64
place_refill_and_active (Fixture *f, const char *tag, GArray **active)
{
  g_autofree char *done_tag = g_strconcat (tag, "Done", NULL);
  g_autofree char *active_tag = g_strconcat (tag, "Active", NULL);
  g_autoptr(GArray) done = place_and_send (f, FOLLOWERS, done_tag, 4);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  gint64 refilled = 0;

  relay_sim_advance (f->sim, 1e6);
  g_clear_pointer (&report, relay_sync_report_free);
  report = et_sync (f->core);
  for (guint i = 0; i < done->len && refilled == 0; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (done, gint64, i));

      if (order->status == RELAY_ORDER_COMPLETED || order->status == RELAY_ORDER_PARTIAL)
        refilled = order->id;
    }
  g_assert_cmpint (refilled, >, 0);
  relay_core_refill_async (f->core, &refilled, 1, NULL, et_async_ready, &async);
  results = relay_core_refill_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_true (((RelayActionResult *) g_ptr_array_index (results, 0))->ok);
  *active = place_and_send (f, LIKES, active_tag, 3);
  return refilled;
}

static void
test_refills_with_orders (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) active = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  OverlapWatch watch = { f->sim, f->core, 0, FALSE, FALSE, FALSE, 0, NULL, FALSE, 0 };
  gint64 refilled, t0, elapsed_ms;
  gulong handler;
  guint sampler;

  refilled = place_refill_and_active (f, "Overlap", &active);
  watch.refilled = refilled;
  watch.active = active;

  relay_sim_set_latency (f->sim, 400, 400);
  watch.refill_asks_before = relay_sim_get_n_requests (f->sim, "refill_status");
  handler = g_signal_connect (f->store, "orders-changed", G_CALLBACK (on_overlap_change), &watch);
  sampler = g_timeout_add (2, sample_overlap, &watch);
  g_clear_pointer (&report, relay_sync_report_free);
  t0 = g_get_monotonic_time ();
  report = et_sync (f->core);
  elapsed_ms = (g_get_monotonic_time () - t0) / 1000;
  g_source_remove (sampler);
  g_signal_handler_disconnect (f->store, handler);
  relay_sim_set_latency (f->sim, 0, 0);

  g_test_message ("%u requests in %" G_GINT64_FORMAT " ms at 400 ms a reply", report->n_requests,
                  elapsed_ms);
  g_assert_cmpuint (report->n_requests, ==, 2);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->n_checked, ==, 3);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "refill_status") - watch.refill_asks_before,
                    ==, 1);
  g_assert_true (watch.refill_asked);
  g_assert_true (watch.asked_before_recorded);
  /* One round trip of 400 ms, not two. */
  g_assert_cmpint (elapsed_ms, <, 700);
  g_assert_true (watch.refill_written);
  g_assert_cmpuint (watch.n_recorded_then, ==, active->len);
  for (guint i = 0; i < active->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (active, gint64, i));

      g_assert_nonnull (order->provider_status);
    }
  {
    g_autoptr(GPtrArray) refills = relay_store_list_refills (f->store, refilled, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (refills->len, ==, 1);
    g_assert_cmpstr (((RelayRefillRow *) g_ptr_array_index (refills, 0))->status, !=, "requested");
  }
}

typedef struct
{
  GSource         *last_announced;   /* the dispatch of the last ::orders-changed */
  guint            n_announced;
  GSource         *finished;         /* the dispatch of the run's callback */
  RelaySyncReport *report;
  gboolean         done;
} ApartWatch;

static void
on_apart_change (RelayStore *store, GArray *ids, gpointer user_data)
{
  ApartWatch *watch = user_data;

  watch->last_announced = g_main_current_source ();
  watch->n_announced++;
}

static void
on_apart_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ApartWatch *watch = user_data;

  watch->finished = g_main_current_source ();
  watch->report = relay_sync_run_finish (RELAY_SYNC (source), result, NULL);
  watch->done = TRUE;
}

/* The last ::orders-changed of a run (every view reads its rows again) and
 * the run's callback (a window's notifications and labels) come in
 * dispatches of their own, never back to back in one main-loop turn. */
static void
test_end_apart (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_and_send (f, LIKES, "Apart", 5);
  ApartWatch watch = { NULL, 0, NULL, NULL, FALSE };
  gulong handler;

  relay_sim_advance (f->sim, 20);
  handler = g_signal_connect (f->store, "orders-changed", G_CALLBACK (on_apart_change), &watch);
  relay_sync_run_async (relay_core_get_sync (f->core), NULL, on_apart_done, &watch);
  et_wait_flag (&watch.done, 0);
  g_signal_handler_disconnect (f->store, handler);

  g_assert_nonnull (watch.report);
  g_assert_cmpuint (watch.report->n_checked, ==, 5);
  g_assert_cmpuint (watch.report->changes->len, >, 0);
  g_assert_cmpuint (watch.n_announced, >, 0);
  g_assert_nonnull (watch.finished);
  g_assert_true (watch.finished != watch.last_announced);
  relay_sync_report_free (watch.report);
}

typedef struct
{
  sqlite3 *db;
  gint64   last_tick;
  gint64   max_gap;
} LockHolder;

static gboolean
release_lock (gpointer data)
{
  LockHolder *holder = data;

  g_assert_cmpint (sqlite3_exec (holder->db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  return G_SOURCE_REMOVE;
}

static gboolean
lock_tick (gpointer data)
{
  LockHolder *holder = data;
  gint64 now = g_get_monotonic_time ();

  if (holder->last_tick != 0)
    holder->max_gap = MAX (holder->max_gap, now - holder->last_tick);
  holder->last_tick = now;
  return G_SOURCE_CONTINUE;
}

/* While another connection holds the book's write lock (a busy writer), a
 * refill's reply that comes before the orders' replies are recorded waits
 * for them: the main loop never waits for the lock (it waited for the busy
 * timeout, then the refill's status was lost with a warning). */
static void
test_refill_waits_for_writes (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) active = NULL;
  OverlapWatch watch = { f->sim, f->core, 0, FALSE, FALSE, FALSE, 0, NULL, FALSE, 0 };
  LockHolder holder = { NULL, 0, 0 };
  RelaySyncReport *report = NULL;
  EtAsync async = { 0 };
  gulong handler;
  guint ticker;

  watch.refilled = place_refill_and_active (f, "Waits", &active);
  watch.active = active;
  relay_sim_set_latency (f->sim, 100, 100);
  handler = g_signal_connect (f->store, "orders-changed", G_CALLBACK (on_overlap_change), &watch);
  relay_sync_run_async (relay_core_get_sync (f->core), NULL, et_async_ready, &async);
  /* The replies come at ~100 ms; the writer can record them at ~500 ms. */
  g_assert_cmpint (sqlite3_open_v2 (relay_store_get_path (f->store), &holder.db,
                                    SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder.db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_timeout_add (500, release_lock, &holder);
  ticker = g_timeout_add (1, lock_tick, &holder);
  report = relay_sync_run_finish (relay_core_get_sync (f->core), et_async_wait (&async), NULL);
  g_source_remove (ticker);
  et_async_clear (&async);
  g_signal_handler_disconnect (f->store, handler);
  relay_sim_set_latency (f->sim, 0, 0);
  sqlite3_close (holder.db);

  g_test_message ("longest main-loop gap %" G_GINT64_FORMAT " ms", holder.max_gap / 1000);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_requests, ==, 2);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_true (watch.refill_written);
  g_assert_cmpuint (watch.n_recorded_then, ==, active->len);
  g_assert_cmpint (holder.max_gap, <, 200 * 1000);
  relay_sync_report_free (report);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/engine/sync/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("batched", test_batched);
  ADD ("provider-error", test_provider_error);
  ADD ("unknown-id", test_unknown_id);
  ADD ("refill", test_refill);
  ADD ("cancel", test_cancel);
  ADD ("cancel-queued", test_cancel_queued);
  ADD ("cancel-review", test_cancel_review);
  ADD ("off-main-loop", test_off_main_loop);
  ADD ("bounded-queue", test_bounded_queue);
  ADD ("refills-with-orders", test_refills_with_orders);
  ADD ("end-apart", test_end_apart);
  ADD ("refill-waits-for-writes", test_refill_waits_for_writes);
#undef ADD

  return g_test_run ();
}
