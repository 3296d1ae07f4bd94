/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the dispatcher may touch: only orders still queued before a request
 * (never one another process is sending), nothing at all for lack of a key
 * on this computer, and a provider's order id is never lost once given.
 * Also: sending only the orders asked for. */
#include "engine-test-util.h"
#include "relay-file-key-store.h"

#include <sqlite3.h>

#define SERVICE 1
#define PSID "103"          /* Instagram Likes [Instant]: a post link, 10..20000 */
#define NO_KEY_TEXT "No API key for provider Sim on this computer"

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

/* A second process on the same book whose computer has no key (an empty key file). */
static RelayCore *
keyless_core_new (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->book->dir, "other-computer-keys", NULL);
  g_autoptr(RelayKeyStore) keys = relay_file_key_store_new (path);
  g_autoptr(GError) error = NULL;
  RelayCore *core = relay_core_new (f->book->db_path, keys, &error);

  g_assert_no_error (error);
  relay_core_set_timeout_ms (core, 500);
  return core;
}

static GArray *
place_many (Fixture *f, const char *tag, guint n)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GArray *ids;

  for (guint i = 0; i < n; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      g_ptr_array_add (links, g_strdup_printf ("https://www.instagram.com/p/Guard%s%u/", tag, i));
      draft->service_id = SERVICE;
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

static guint
n_events (RelayStore *store, gint64 order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = relay_store_list_order_events (store, order_id, &error);

  g_assert_no_error (error);
  return events->len;
}


/* A process without the key leaves every order queued with the reason — more
 * than one fetch of them, so a page it cannot send never hides the rest —
 * charges nobody back, and says it only once in each order's history. */
static void
test_no_key_leaves_queued (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_many (f, "K", 250);
  g_autoptr(RelayCore) keyless = keyless_core_new (f);
  RelayStore *store = relay_core_get_store (f->core);
  gint64 charged = et_ledger_sum (store, f->client_id);
  RelayDispatchReport report;
  guint events_before;

  g_assert_cmpint (charged, !=, 0);
  {
    EtGap gap = { 0 };
    gint64 start = g_get_monotonic_time ();

    et_gap_start (&gap, 5);
    report = et_dispatch (keyless);
    et_gap_stop (&gap);
    g_test_message ("keyless run over 250 orders: %.0f ms, longest main-loop gap %.0f ms",
                    (g_get_monotonic_time () - start) / 1000.0, gap.longest / 1000.0);
  }
  g_test_message ("keyless: %u sent, %u failed, %u no key", report.n_sent, report.n_failed,
                  report.n_no_key);
  g_assert_cmpuint (report.n_failed, ==, 0);
  g_assert_cmpuint (report.n_sent + report.n_review + report.n_retry, ==, 0);
  g_assert_cmpuint (report.n_no_key, ==, 250);
  g_assert_cmpint (et_ledger_sum (store, f->client_id), ==, charged);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));

      g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
      g_assert_cmpint (order->refunded, ==, 0);
      g_assert_nonnull (order->error);
      g_assert_nonnull (strstr (order->error, NO_KEY_TEXT));
      g_assert_true (et_events_mention (store, order->id, NO_KEY_TEXT));
    }

  /* Again: still queued, no second history line. */
  events_before = n_events (store, g_array_index (ids, gint64, 0));
  {
    gint64 start = g_get_monotonic_time ();

    report = et_dispatch (keyless);
    g_test_message ("again, nothing to write: %.0f ms",
                    (g_get_monotonic_time () - start) / 1000.0);
  }
  g_assert_cmpuint (report.n_no_key, ==, 250);
  g_assert_cmpuint (n_events (store, g_array_index (ids, gint64, 0)), ==, events_before);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);

  /* The computer with the key sends them all. */
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 250);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 250);
  {
    g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, 0));

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
    g_assert_null (order->error);
  }
}

typedef struct
{
  EtAsync a;
  EtAsync b;
} TwoRuns;

static gboolean
both_done (gpointer data)
{
  TwoRuns *runs = data;

  return runs->a.done && runs->b.done;
}

/* The issue's case: `dispatch` beside a `dispatch` without keys.  The keyless
 * one must not fail (and refund) orders the other is sending. */
static void
test_no_key_beside_sender (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_many (f, "B", 200);
  g_autoptr(RelayCore) keyless = keyless_core_new (f);
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *ra = NULL;
  g_autofree RelayDispatchReport *rb = NULL;
  RelayStore *store = relay_core_get_store (f->core);
  gint64 charged = et_ledger_sum (store, f->client_id);
  RelayDispatcher *da = relay_core_get_dispatcher (f->core);
  RelayDispatcher *db = relay_core_get_dispatcher (keyless);
  TwoRuns runs = { { 0 }, { 0 } };

  relay_sim_set_latency (f->sim, 5, 20);
  relay_dispatcher_run_async (da, NULL, et_async_ready, &runs.a);
  et_spin (30);   /* the sender is mid-way when the other starts */
  relay_dispatcher_run_async (db, NULL, et_async_ready, &runs.b);
  et_wait_until (both_done, &runs, 0);
  ra = relay_dispatcher_run_finish (da, runs.a.result, &error);
  g_assert_no_error (error);
  rb = relay_dispatcher_run_finish (db, runs.b.result, &error);
  g_assert_no_error (error);
  et_async_clear (&runs.a);
  et_async_clear (&runs.b);

  g_test_message ("sender: %u sent; keyless: %u failed, %u left queued", ra->n_sent,
                  rb->n_failed, rb->n_no_key);
  g_assert_cmpuint (rb->n_failed, ==, 0);
  /* Whatever the keyless one left queued after the sender's last fetch goes
   * on the next run. */
  if (ra->n_sent < 200)
    {
      RelayDispatchReport rest = et_dispatch (f->core);

      g_assert_cmpuint (ra->n_sent + rest.n_sent, ==, 200);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));

      if (order->status != RELAY_ORDER_PENDING)
        g_test_message ("order %" G_GINT64_FORMAT " is %s: %s / %s", order->id,
                        relay_order_status_to_string (order->status), order->error,
                        order->review_reason);
      g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
      g_assert_nonnull (order->provider_order_id);
      g_assert_cmpint (order->refunded, ==, 0);
    }
  g_assert_cmpuint (ra->n_failed + ra->n_review, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 200);
  g_assert_cmpint (et_ledger_sum (store, f->client_id), ==, charged);
}

/* The store's side: a pre-send failure moves only a queued order. */
static void
test_fail_unsent_only_queued (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_many (f, "U", 2);
  RelayStore *store = relay_core_get_store (f->core);
  gint64 sending = g_array_index (ids, gint64, 0);
  gint64 queued_id = g_array_index (ids, gint64, 1);
  g_autoptr(RelayOrderRow) row = et_order (f->core, sending);
  g_autoptr(RelayServiceRow) service = relay_store_get_service (store, row->service_id, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_store_mark_sending (store, sending, service->primary->id, &error));
  g_assert_no_error (error);
  g_assert_false (relay_store_fail_unsent (store, sending, "no key", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  {
    g_autoptr(GArray) queued = NULL;
    gint64 both[] = { sending, queued_id };

    g_assert_true (relay_store_note_unsent (store, both, 2, "no key", &queued, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (queued->len, ==, 1);
    g_assert_cmpint (g_array_index (queued, gint64, 0), ==, queued_id);
  }
  {
    g_autoptr(RelayOrderRow) still = et_order (f->core, sending);

    g_assert_cmpint (still->status, ==, RELAY_ORDER_SENDING);
    g_assert_cmpint (still->refunded, ==, 0);
  }
  /* The provider's answer can still be recorded. */
  g_assert_true (relay_store_mark_sent (store, sending, "4711", &error));
  g_assert_no_error (error);

  {
    g_autoptr(RelayOrderRow) waiting = et_order (f->core, queued_id);

    g_assert_cmpint (waiting->status, ==, RELAY_ORDER_QUEUED);
    g_assert_cmpstr (waiting->error, ==, "no key");
  }
  g_assert_true (relay_store_fail_unsent (store, queued_id, "Its service no longer exists", &error));
  g_assert_no_error (error);
  {
    g_autoptr(RelayOrderRow) failed = et_order (f->core, queued_id);

    g_assert_cmpint (failed->status, ==, RELAY_ORDER_FAILED);
    g_assert_cmpint (failed->refunded, ==, failed->price);
  }
}

/* ---- recording the provider's order id ---- */

static int fail_budget;

static void
test_fail_func (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  gboolean fail = fail_budget > 0;

  if (fail)
    fail_budget--;
  sqlite3_result_int (context, fail);
}

/* In the book, not TEMP: opening a connection sets temp_store, which drops
 * the temporary triggers made before. */
#define REFUSE_PENDING \
  "CREATE TRIGGER IF NOT EXISTS refuse_pending BEFORE UPDATE ON orders " \
  "WHEN NEW.status = 'pending' AND relay_test_fail () " \
  "BEGIN SELECT RAISE (ABORT, 'disk I/O error (test)'); END"

/* Every connection opened from now on refuses it too: the dispatcher records
 * on a connection of its own (relay-dispatcher.c). */
static int
refuse_on_open (sqlite3 *db, char **message, const void *api)
{
  return sqlite3_create_function (db, "relay_test_fail", 0, SQLITE_UTF8, NULL, test_fail_func,
                                  NULL, NULL);
}

/* Makes the core's connections refuse (while the budget lasts) to record an
 * order as pending, as a full disk or a broken file would; until
 * unbreak_mark_sent(). */
static void
break_mark_sent (RelayStore *store, int budget)
{
  sqlite3 *db = relay_store_get_db (store);

  fail_budget = budget;
  g_assert_cmpint (sqlite3_create_function (db, "relay_test_fail", 0, SQLITE_UTF8, NULL,
                                            test_fail_func, NULL, NULL), ==, SQLITE_OK);
  et_sql (store, REFUSE_PENDING);
  g_assert_cmpint (sqlite3_auto_extension ((void (*) (void)) refuse_on_open), ==, SQLITE_OK);
}

static void
unbreak_mark_sent (RelayStore *store)
{
  et_sql (store, "DROP TRIGGER refuse_pending");
  sqlite3_cancel_auto_extension ((void (*) (void)) refuse_on_open);
  fail_budget = 0;
}

/* A failure to record the id is tried again, and then it is recorded. */
static void
test_record_retried (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_many (f, "R", 1);
  RelayDispatchReport report;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(RelaySimOrder) at_sim = NULL;

  break_mark_sent (relay_core_get_store (f->core), 2);
  report = et_dispatch (f->core);
  g_assert_cmpint (fail_budget, ==, 0);
  unbreak_mark_sent (relay_core_get_store (f->core));
  g_assert_cmpuint (report.n_sent, ==, 1);
  g_assert_cmpuint (report.n_review + report.n_failed, ==, 0);
  order = et_order (f->core, g_array_index (ids, gint64, 0));
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  at_sim = et_sim_find (f->sim, order->link);
  g_assert_nonnull (at_sim);
  g_assert_cmpint (g_ascii_strtoll (order->provider_order_id, NULL, 10), ==, at_sim->id);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
}

/* When it cannot be recorded at all, the order goes to review with the id
 * in its history: never lost, never sent again. */
static void
test_record_failed_goes_to_review (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = place_many (f, "V", 1);
  RelayStore *store = relay_core_get_store (f->core);
  RelayDispatchReport report;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(RelaySimOrder) at_sim = NULL;
  g_autofree char *pid = NULL;

  break_mark_sent (store, 1000);
  report = et_dispatch (f->core);
  unbreak_mark_sent (store);
  g_assert_cmpuint (report.n_review, ==, 1);
  g_assert_cmpuint (report.n_sent + report.n_failed, ==, 0);
  order = et_order (f->core, g_array_index (ids, gint64, 0));
  at_sim = et_sim_find (f->sim, order->link);
  g_assert_nonnull (at_sim);
  pid = g_strdup_printf ("%" G_GINT64_FORMAT, at_sim->id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_nonnull (strstr (order->review_reason, pid));
  g_assert_true (et_events_mention (store, order->id, pid));
  g_assert_cmpint (order->refunded, ==, 0);

  /* Nothing sends it twice. */
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent + report.n_review + report.n_failed, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
}

/* ---- sending only what was asked for ---- */

static void
test_send_only_asked (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) staged = place_many (f, "Staged", 3);
  g_autoptr(GArray) fresh = place_many (f, "Fresh", 1);
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (f->core);
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;
  EtAsync async = { 0 };

  relay_dispatcher_send_async (dispatcher, (const gint64 *) fresh->data, fresh->len, NULL,
                               et_async_ready, &async);
  report = relay_dispatcher_run_finish (dispatcher, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpuint (report->n_sent, ==, 1);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
  {
    g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (fresh, gint64, 0));

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  }
  for (guint i = 0; i < staged->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (staged, gint64, i));

      g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
    }

  /* An id that is not queued (sent already) is not sent again. */
  relay_dispatcher_send_async (dispatcher, (const gint64 *) fresh->data, fresh->len, NULL,
                               et_async_ready, &async);
  g_clear_pointer (&report, g_free);
  report = relay_dispatcher_run_finish (dispatcher, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpuint (report->n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/engine/dispatch-guard/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("no-key-leaves-queued", test_no_key_leaves_queued);
  ADD ("no-key-beside-sender", test_no_key_beside_sender);
  ADD ("fail-unsent-only-queued", test_fail_unsent_only_queued);
  ADD ("record-retried", test_record_retried);
  ADD ("record-failed-goes-to-review", test_record_failed_goes_to_review);
  ADD ("send-only-asked", test_send_only_asked);
#undef ADD

  return g_test_run ();
}
