/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Closing the order book (dropping the core) while requests are in flight:
 * the dispatcher, the sync and the core's own operations finish without
 * touching a freed core, and every order's outcome is still recorded. */
#include "engine-test-util.h"

#define SERVICE 1
#define PSID "103"          /* Instagram Likes [Instant]: a post link, 10..20000 */
#define FOLLOWERS 2         /* sim 101, Instagram Followers: refill and cancel, profile link */
#define N_ORDERS 40

typedef struct
{
  EtBook    *book;
  RelaySim  *sim;
  RelayCore *core;
  gint64     provider_id;
  gint64     client_id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  f->core = et_core_new (f->book);
  /* The simulator answers from this thread: under valgrind or ASan it may
   * take longer than the usual 500 ms, which would be an unknown outcome. */
  relay_core_set_timeout_ms (f->core, 10000);
  url = relay_sim_dup_url (f->sim);
  f->provider_id = et_add_provider (f->core, "Sim", url);
  et_map (f->core, SERVICE, f->provider_id, PSID, 0, NULL, FALSE);
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

static GArray *
place_of (Fixture *f, gint64 service, const char *tag, guint n)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GArray *ids;

  for (guint i = 0; i < n; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      if (service == SERVICE)
        g_ptr_array_add (links, g_strdup_printf ("https://www.instagram.com/p/Life%s%u/", tag, i));
      else
        g_ptr_array_add (links, g_strdup_printf ("https://www.instagram.com/life_%s_%u", tag, i));
      draft->service_id = service;
      draft->client_id = f->client_id;
      draft->link = g_ptr_array_index (links, i);
      draft->quantity = 100 + i;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, n);
  return ids;
}

static GArray *
place_many (Fixture *f, const char *tag, guint n)
{
  return place_of (f, SERVICE, tag, n);
}

static gboolean
some_adds_arrived (gpointer data)
{
  Fixture *f = data;

  return relay_sim_get_n_requests (f->sim, "add") >= 3;
}

static gboolean
some_statuses_asked (gpointer data)
{
  Fixture *f = data;

  return relay_sim_get_n_requests (f->sim, "status") >= 1;
}

/* The core is dropped while sends are on the wire: no new send starts, the
 * ones on the wire are recorded with the provider's id, the rest stay queued. */
static void
test_close_mid_dispatch (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_many (f, "D", N_ORDERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayDispatcher) dispatcher = NULL;
  g_autofree RelayDispatchReport *report = NULL;
  g_autoptr(RelayCore) reopened = NULL;
  EtAsync async = { 0 };
  guint n_pending = 0, n_queued = 0;

  relay_sim_set_latency (f->sim, 300, 400);
  dispatcher = g_object_ref (relay_core_get_dispatcher (f->core));
  relay_dispatcher_run_async (dispatcher, NULL, et_async_ready, &async);
  et_wait_until (some_adds_arrived, f, 0);
  g_assert_false (async.done);

  /* What "Try the demo" does to the book it leaves. */
  g_clear_object (&f->core);

  report = relay_dispatcher_run_finish (dispatcher, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_test_message ("after the close: %u sent, %u failed, %u review", report->n_sent,
                  report->n_failed, report->n_review);
  g_assert_cmpuint (report->n_sent, >, 0);
  g_assert_cmpuint (report->n_sent, <, N_ORDERS);
  g_assert_cmpuint (report->n_failed + report->n_review, ==, 0);
  g_clear_object (&dispatcher);
  et_spin (50);

  /* Every order is either recorded as placed (with the provider's id, and
   * the provider has exactly that one) or was never sent. */
  reopened = et_core_new (f->book);
  g_assert_cmpuint (relay_core_get_n_recovered (reopened), ==, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (reopened, g_array_index (ids, gint64, i));

      if (order->status == RELAY_ORDER_PENDING)
        {
          g_autoptr(RelaySimOrder) at_sim = NULL;

          g_assert_nonnull (order->provider_order_id);
          at_sim = et_sim_find_id (f->sim, order->provider_order_id);
          g_assert_nonnull (at_sim);
          g_assert_cmpstr (at_sim->link, ==, order->link);
          n_pending++;
        }
      else
        {
          g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
          g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, order->link), ==, 0);
          n_queued++;
        }
    }
  g_assert_cmpuint (n_pending, ==, report->n_sent);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, n_pending);
  g_assert_cmpuint (n_pending + n_queued, ==, N_ORDERS);

  /* The book is whole: a new core sends the rest. */
  relay_sim_set_latency (f->sim, 0, 0);
  {
    RelayDispatchReport rest = et_dispatch (reopened);

    g_assert_cmpuint (rest.n_sent, ==, n_queued);
  }
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, N_ORDERS);
}

/* The core is dropped while status requests are on the wire: the sync stops
 * (its requests are cancelled), reports, and touches nothing freed. */
static void
test_close_mid_sync (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_many (f, "S", N_ORDERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySync) sync = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  RelayDispatchReport sent;
  EtAsync async = { 0 };

  sent = et_dispatch (f->core);
  g_assert_cmpuint (sent.n_sent, ==, N_ORDERS);

  relay_sim_set_latency (f->sim, 400, 500);
  sync = g_object_ref (relay_core_get_sync (f->core));
  relay_sync_run_async (sync, NULL, et_async_ready, &async);
  et_wait_until (some_statuses_asked, f, 0);
  g_assert_false (async.done);

  g_clear_object (&f->core);

  report = relay_sync_run_finish (sync, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_requests, >=, 1);
  g_assert_false (relay_sync_is_running (sync));
  g_clear_object (&sync);
  et_spin (50);

  {
    g_autoptr(RelayCore) reopened = et_core_new (f->book);

    for (guint i = 0; i < ids->len; i++)
      {
        g_autoptr(RelayOrderRow) order = et_order (reopened, g_array_index (ids, gint64, i));

        g_assert_nonnull (order->provider_order_id);
        g_assert_true (relay_order_status_is_active (order->status) ||
                       relay_order_status_is_final (order->status));
      }
  }
}

/* The core's own operations (balance, catalog, refill, cancel) keep it alive
 * until they complete, and record their outcome. */
typedef struct
{
  EtAsync balance;
  EtAsync services;
  EtAsync refill;
  EtAsync cancel;
} Actions;

static gboolean
actions_done (gpointer data)
{
  Actions *a = data;

  return a->balance.done && a->services.done && a->refill.done && a->cancel.done;
}

static void
test_close_mid_actions (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) done = place_of (f, FOLLOWERS, "done", 4);
  g_autoptr(GArray) running = NULL;
  g_autoptr(RelaySyncReport) synced = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refills = NULL;
  g_autoptr(GPtrArray) cancels = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  GWeakRef weak;
  RelayCore *core;
  RelayDispatchReport sent;
  Actions a = { { 0 } };
  gint64 id0 = 0, id1;

  /* One finished order to refill, one running order to cancel. */
  sent = et_dispatch (f->core);
  g_assert_cmpuint (sent.n_sent, ==, 4);
  relay_sim_advance (f->sim, 1e6);
  synced = et_sync (f->core);
  for (guint i = 0; i < done->len && id0 == 0; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (done, gint64, i));

      if (order->status == RELAY_ORDER_COMPLETED || order->status == RELAY_ORDER_PARTIAL)
        id0 = order->id;
    }
  g_assert_cmpint (id0, !=, 0);
  running = place_of (f, FOLLOWERS, "running", 1);
  id1 = g_array_index (running, gint64, 0);
  sent = et_dispatch (f->core);
  g_assert_cmpuint (sent.n_sent, ==, 1);

  relay_sim_set_latency (f->sim, 200, 300);
  core = f->core;
  g_weak_ref_init (&weak, core);
  relay_core_refresh_balance_async (core, f->provider_id, NULL, et_async_ready, &a.balance);
  relay_core_sync_services_async (core, f->provider_id, NULL, et_async_ready, &a.services);
  relay_core_refill_async (core, &id0, 1, NULL, et_async_ready, &a.refill);
  relay_core_cancel_async (core, &id1, 1, NULL, et_async_ready, &a.cancel);

  /* The caller lets go at once: the operations still hold the core. */
  g_clear_object (&f->core);
  {
    g_autoptr(RelayCore) alive = g_weak_ref_get (&weak);

    g_assert_nonnull (alive);
  }
  et_wait_until (actions_done, &a, 0);

  balance = relay_core_refresh_balance_finish (core, a.balance.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (balance);
  changes = relay_core_sync_services_finish (core, a.services.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (changes);
  refills = relay_core_refill_finish (core, a.refill.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refills->len, ==, 1);
  cancels = relay_core_cancel_finish (core, a.cancel.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cancels->len, ==, 1);
  et_async_clear (&a.balance);
  et_async_clear (&a.services);
  et_async_clear (&a.refill);
  et_async_clear (&a.cancel);
  et_spin (20);

  /* Every result released: the core is gone now. */
  {
    g_autoptr(RelayCore) gone = g_weak_ref_get (&weak);

    g_assert_null (gone);
  }
  g_weak_ref_clear (&weak);

  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "refill"), ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "cancel"), ==, 1);
  /* What they asked for is in the book. */
  {
    g_autoptr(RelayCore) reopened = et_core_new (f->book);

    g_assert_true (et_events_mention (relay_core_get_store (reopened), id0, "Refill"));
    g_assert_true (et_events_mention (relay_core_get_store (reopened), id1, "Cancel"));
  }
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/engine/lifecycle/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("close-mid-dispatch", test_close_mid_dispatch);
  ADD ("close-mid-sync", test_close_mid_sync);
  ADD ("close-mid-actions", test_close_mid_actions);
#undef ADD

  return g_test_run ();
}
