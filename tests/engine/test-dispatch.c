/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dispatcher against every fault the simulator can make: an order is
 * sent once, refused (with a refund), retried only when it provably never
 * left, and otherwise left for a person to review. */
#include "engine-test-util.h"

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

#define SERVICE 1
#define PSID "103"          /* Instagram Likes [Instant]: a post link, 10..20000 */

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

static char *
link_for (const char *tag, guint n)
{
  return g_strdup_printf ("https://www.instagram.com/p/Disp%s%u/", tag, n);
}

static void
assert_refunded (Fixture *f, const RelayOrderRow *order)
{
  g_assert_cmpint (order->price, >, 0);
  g_assert_cmpint (order->refunded, ==, order->price);
  g_assert_cmpint (et_ledger_sum (relay_core_get_store (f->core), f->client_id), ==, 0);
}

/* ---- the faults ---- */

static void
test_normal (Fixture *f, gconstpointer data)
{
  g_autofree char *link = link_for ("Normal", 1);
  gint64 id = et_place (f->core, SERVICE, f->client_id, link, 100);
  RelayDispatchReport report;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(RelaySimOrder) sim_order = NULL;

  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  g_assert_cmpint (et_ledger_sum (relay_core_get_store (f->core), f->client_id), ==, order->price);
  g_clear_pointer (&order, relay_order_row_free);

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 1);
  g_assert_cmpuint (report.n_failed + report.n_review + report.n_retry, ==, 0);

  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_nonnull (order->provider_order_id);
  g_assert_cmpint (order->provider_id, ==, f->provider_id);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
  sim_order = et_sim_find (f->sim, link);
  g_assert_nonnull (sim_order);
  g_assert_cmpint (sim_order->id, ==, g_ascii_strtoll (order->provider_order_id, NULL, 10));
  g_assert_cmpint (sim_order->quantity, ==, 100);
  g_assert_cmpstr (sim_order->service_id, ==, PSID);
  /* The cost is the provider's rate for the quantity. */
  g_assert_cmpint (order->cost, ==, checked_price (80000, 100));

  /* Nothing is due any more: a second run sends nothing. */
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
}

/* Runs one order into @fault on its `add` and returns it after the run. */
static RelayOrderRow *
send_with_fault (Fixture *f, const char *tag, RelaySimFault fault, RelayDispatchReport *report,
                 char **out_link)
{
  g_autofree char *link = link_for (tag, 1);
  gint64 id = et_place (f->core, SERVICE, f->client_id, link, 100);

  if (fault != RELAY_SIM_FAULT_NONE)
    relay_sim_inject_fault (f->sim, "add", fault, 1);
  *report = et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
  if (out_link != NULL)
    *out_link = g_steal_pointer (&link);
  return et_order (f->core, id);
}

static void
assert_review_and_no_resend (Fixture *f, RelayOrderRow *order, const char *link, guint expected_count)
{
  RelayDispatchReport report;
  g_autoptr(RelayOrderRow) again = NULL;

  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_nonnull (order->review_reason);
  g_assert_cmpstr (order->review_reason, !=, RELAY_REVIEW_AWAITING_APPROVAL);
  g_assert_null (order->provider_order_id);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, expected_count);
  /* Still charged: nobody knows yet whether it runs. */
  g_assert_cmpint (order->refunded, ==, 0);

  /* Never retried: a second run does not touch it. */
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent + report.n_failed + report.n_review + report.n_retry, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, expected_count);
  again = et_order (f->core, order->id);
  g_assert_cmpint (again->status, ==, RELAY_ORDER_NEEDS_REVIEW);
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = send_with_fault (f, "Timeout", RELAY_SIM_FAULT_TIMEOUT, &report, &link);

  g_assert_cmpuint (report.n_review, ==, 1);
  assert_review_and_no_resend (f, order, link, 1);
}

static void
test_html_before (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = send_with_fault (f, "HtmlBefore", RELAY_SIM_FAULT_HTML_BEFORE,
                                                    &report, &link);

  /* A proxy's 502 page: we cannot know whether the panel got it. */
  g_assert_cmpuint (report.n_review, ==, 1);
  assert_review_and_no_resend (f, order, link, 0);
}

static void
test_html_after (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = send_with_fault (f, "HtmlAfter", RELAY_SIM_FAULT_HTML_AFTER,
                                                    &report, &link);

  g_assert_cmpuint (report.n_review, ==, 1);
  assert_review_and_no_resend (f, order, link, 1);
}

static void
test_drop_after (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = send_with_fault (f, "DropAfter", RELAY_SIM_FAULT_DROP_AFTER,
                                                    &report, &link);

  g_assert_cmpuint (report.n_review, ==, 1);
  assert_review_and_no_resend (f, order, link, 1);
}

static void
test_drop_before (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = send_with_fault (f, "DropBefore", RELAY_SIM_FAULT_DROP_BEFORE,
                                                    &report, &link);

  /* From the outside a drop before is a drop after: unknown. */
  g_assert_cmpuint (report.n_review, ==, 1);
  assert_review_and_no_resend (f, order, link, 0);
}

static void
test_error_json (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = send_with_fault (f, "ErrorJson", RELAY_SIM_FAULT_ERROR_JSON,
                                                    &report, &link);

  g_assert_cmpuint (report.n_failed, ==, 1);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
  g_assert_nonnull (order->error);
  g_assert_nonnull (strstr (order->error, "Incorrect request"));
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 0);
  assert_refunded (f, order);
}

static void
test_no_funds (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = NULL;

  relay_sim_set_balance (f->sim, 0);
  order = send_with_fault (f, "Funds", RELAY_SIM_FAULT_NONE, &report, &link);
  /* A definite refusal, but for lack of funds: the order waits, queued and
   * still charged, for the balance to cover it (issue 9; see test-funds.c). */
  g_assert_cmpuint (report.n_failed, ==, 0);
  g_assert_cmpuint (report.n_funds, ==, 1);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  g_assert_nonnull (strstr (order->error, "funds"));
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 0);
  g_assert_cmpint (order->refunded, ==, 0);
}

static void
test_disabled (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = NULL;

  relay_sim_set_service_disabled (f->sim, PSID, TRUE);
  order = send_with_fault (f, "Disabled", RELAY_SIM_FAULT_NONE, &report, &link);
  g_assert_cmpuint (report.n_failed, ==, 1);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
  g_assert_nonnull (strstr (order->error, "disabled"));
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 0);
  assert_refunded (f, order);
}

static void
test_rate_limit (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  g_autofree char *link = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(RelayOrderRow) sent = NULL;
  g_autofree char *sql = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  order = send_with_fault (f, "RateLimit", RELAY_SIM_FAULT_RATE_LIMIT, &report, &link);
  g_assert_cmpuint (report.n_retry, ==, 1);
  g_assert_cmpuint (report.n_sent + report.n_review + report.n_failed, ==, 0);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  g_assert_cmpint (order->attempts, ==, 1);
  /* The default delay is 30 s. */
  g_assert_cmpint (order->next_attempt_at, >=, before + 29);
  g_assert_null (order->provider_order_id);
  g_assert_cmpint (order->refunded, ==, 0);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 0);

  /* Not due yet: nothing goes. */
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent + report.n_retry, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);

  /* Time passes. */
  sql = g_strdup_printf ("UPDATE orders SET next_attempt_at = %" G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT,
                         before - 1, order->id);
  et_sql (relay_core_get_store (f->core), sql);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 1);
  sent = et_order (f->core, order->id);
  g_assert_cmpint (sent->status, ==, RELAY_ORDER_PENDING);
  /* attempts counts the tries that did not go. */
  g_assert_cmpint (sent->attempts, ==, 1);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 2);

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
}

static void
test_rate_limit_no_delay (Fixture *f, gconstpointer data)
{
  g_autofree char *link = link_for ("RateLimitNow", 1);
  gint64 id = et_place (f->core, SERVICE, f->client_id, link, 100);
  RelayDispatchReport report;
  g_autoptr(RelayOrderRow) order = NULL;
  guint n_retry = 0, n_sent = 0;

  relay_dispatcher_set_retry_delay (relay_core_get_dispatcher (f->core), 0);
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_RATE_LIMIT, 2);
  /* Due again at once (in this run or the next): sent after two refusals. */
  for (guint run = 0; run < 3 && n_sent == 0; run++)
    {
      report = et_dispatch (f->core);
      n_retry += report.n_retry;
      n_sent += report.n_sent;
    }
  g_assert_cmpuint (n_retry, ==, 2);
  g_assert_cmpuint (n_sent, ==, 1);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent + report.n_retry, ==, 0);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 3);
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *closed = et_closed_url ();
  g_autofree char *link = link_for ("Refused", 1);
  g_autoptr(GError) error = NULL;
  RelayDispatchReport report;
  gint64 id;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  relay_core_update_provider (f->core, f->provider_id, NULL, closed, NULL, &error);
  g_assert_no_error (error);
  id = et_place (f->core, SERVICE, f->client_id, link, 100);

  for (guint round = 1; round <= 2; round++)
    {
      g_autoptr(RelayOrderRow) order = NULL;
      g_autofree char *sql = NULL;

      report = et_dispatch (f->core);
      g_assert_cmpuint (report.n_retry, ==, 1);
      g_assert_cmpuint (report.n_review + report.n_sent + report.n_failed, ==, 0);
      order = et_order (f->core, id);
      g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
      g_assert_cmpint (order->attempts, ==, round);
      g_assert_cmpint (order->next_attempt_at, >, before);
      /* Why it waits is in its history. */
      g_assert_true (et_events_mention (relay_core_get_store (f->core), id, "Not sent"));
      g_assert_cmpint (order->refunded, ==, 0);
      sql = g_strdup_printf ("UPDATE orders SET next_attempt_at = 0 WHERE id = %" G_GINT64_FORMAT, id);
      et_sql (relay_core_get_store (f->core), sql);
    }
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);

  /* The provider comes back (the right URL again): it goes, once. */
  {
    g_autofree char *url = relay_sim_dup_url (f->sim);
    g_autoptr(RelayOrderRow) order = NULL;

    relay_core_update_provider (f->core, f->provider_id, NULL, url, NULL, &error);
    g_assert_no_error (error);
    report = et_dispatch (f->core);
    g_assert_cmpuint (report.n_sent, ==, 1);
    order = et_order (f->core, id);
    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
    g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
  }
}

static gboolean
async_done (gpointer data)
{
  return ((EtAsync *) data)->done;
}

/* With no retry delay and a provider that stays unreachable, a run still
 * ends: each order is tried once per run. */
static void
test_refused_no_delay (Fixture *f, gconstpointer data)
{
  g_autofree char *closed = et_closed_url ();
  g_autofree char *link = link_for ("RefusedNow", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autofree RelayDispatchReport *report = NULL;
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (f->core);
  EtAsync async = { 0 };
  gint64 id;

  relay_core_update_provider (f->core, f->provider_id, NULL, closed, NULL, &error);
  g_assert_no_error (error);
  relay_dispatcher_set_retry_delay (dispatcher, 0);
  id = et_place (f->core, SERVICE, f->client_id, link, 100);
  relay_dispatcher_run_async (dispatcher, NULL, et_async_ready, &async);
  if (!et_try_wait_until (async_done, &async, 5000))
    {
      relay_dispatcher_stop (dispatcher);
      et_async_wait (&async);
      g_test_fail_printf ("a run with retry delay 0 did not end while the provider refused connections");
      et_async_clear (&async);
      return;
    }
  report = relay_dispatcher_run_finish (dispatcher, async.result, &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpuint (report->n_retry, ==, 1);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
}

/* ---- the write-ahead record ---- */

typedef struct
{
  Fixture    *f;
  RelayStore *reader;        /* a second connection to the same file */
  gint64      order_id;
  guint       n_sending_seen;
  gboolean    sending_before_request;
  gboolean    request_seen_while_sending;
  gboolean    bad;
} WriteAhead;

static RelayOrderStatus
reader_status (WriteAhead *wa)
{
  g_autoptr(RelayOrderRow) order = et_store_order (wa->reader, wa->order_id);

  return order->status;
}

static void
on_orders_changed (RelayStore *store, GArray *ids, gpointer user_data)
{
  WriteAhead *wa = user_data;

  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == wa->order_id && reader_status (wa) == RELAY_ORDER_SENDING)
      {
        wa->n_sending_seen++;
        /* Committed, and (most often) the request has not reached the
         * provider yet; the announcer may tell it a little later (its
         * interval since the last announcement), which proves nothing
         * either way: the poller below checks the book itself. */
        if (relay_sim_get_n_requests (wa->f->sim, "add") == 0)
          wa->sending_before_request = TRUE;
      }
}

static gboolean
poll_while_held (gpointer user_data)
{
  WriteAhead *wa = user_data;

  /* Once the provider has the request (the sim holds it for 300 ms), the
   * book on disk, read through another connection, never says "queued":
   * it says "sending" while the request is out, then its outcome (which
   * the dispatcher's writer thread may commit between two reads here). */
  if (relay_sim_get_n_requests (wa->f->sim, "add") >= 1)
    {
      RelayOrderStatus status = reader_status (wa);

      if (status == RELAY_ORDER_SENDING)
        wa->request_seen_while_sending = TRUE;
      else if (status == RELAY_ORDER_QUEUED)
        wa->bad = TRUE;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_write_ahead (Fixture *f, gconstpointer data)
{
  g_autofree char *link = link_for ("WriteAhead", 1);
  g_autoptr(GError) error = NULL;
  WriteAhead wa = { f };
  RelayDispatchReport report;
  g_autoptr(RelayOrderRow) order = NULL;
  gulong handler;
  guint poller;

  wa.reader = relay_store_open (f->book->db_path, &error);
  g_assert_no_error (error);
  wa.order_id = et_place (f->core, SERVICE, f->client_id, link, 100);
  g_assert_cmpint (reader_status (&wa), ==, RELAY_ORDER_QUEUED);

  relay_sim_set_latency (f->sim, 300, 300);
  handler = g_signal_connect (relay_core_get_store (f->core), "orders-changed",
                              G_CALLBACK (on_orders_changed), &wa);
  poller = g_timeout_add (25, poll_while_held, &wa);
  report = et_dispatch (f->core);
  g_source_remove (poller);
  g_signal_handler_disconnect (relay_core_get_store (f->core), handler);

  g_assert_cmpuint (report.n_sent, ==, 1);
  g_assert_false (wa.bad);
  g_assert_cmpuint (wa.n_sending_seen, <=, 1);
  g_test_message ("announced as sending before the request: %s",
                  wa.sending_before_request ? "yes" : "no");
  g_assert_true (wa.request_seen_while_sending);
  g_assert_cmpint (reader_status (&wa), ==, RELAY_ORDER_PENDING);
  order = et_store_order (wa.reader, wa.order_id);
  g_assert_nonnull (order->provider_order_id);
  g_object_unref (wa.reader);
}

/* ---- two processes on one book ---- */

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

static void
test_two_cores (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayCore) other = et_core_new (f->book);
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *ra = NULL;
  g_autofree RelayDispatchReport *rb = NULL;
  TwoRuns runs = { { 0 }, { 0 } };
  RelayDispatcher *da = relay_core_get_dispatcher (f->core);
  RelayDispatcher *db = relay_core_get_dispatcher (other);

  for (guint i = 0; i < 50; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      g_ptr_array_add (links, link_for ("Two", i));
      draft->service_id = SERVICE;
      draft->client_id = f->client_id;
      draft->link = g_ptr_array_index (links, i);
      draft->quantity = 100 + i;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 50);

  relay_sim_set_latency (f->sim, 1, 20);
  relay_dispatcher_run_async (da, NULL, et_async_ready, &runs.a);
  relay_dispatcher_run_async (db, NULL, et_async_ready, &runs.b);
  et_wait_until (both_done, &runs, 0);
  ra = relay_dispatcher_run_finish (da, runs.a.result, &error);
  g_assert_no_error (error);
  rb = relay_dispatcher_run_finish (db, runs.b.result, &error);
  g_assert_no_error (error);
  et_async_clear (&runs.a);
  et_async_clear (&runs.b);

  g_test_message ("core A sent %u, core B sent %u", ra->n_sent, rb->n_sent);
  g_assert_cmpuint (ra->n_sent + rb->n_sent, ==, 50);
  g_assert_cmpuint (ra->n_failed + rb->n_failed + ra->n_review + rb->n_review, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 50);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 50);
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));

      g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, g_ptr_array_index (links, i)), ==, 1);
      g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
      g_assert_cmpint (order->attempts, ==, 0);
    }
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/engine/dispatch/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("normal", test_normal);
  ADD ("timeout", test_timeout);
  ADD ("html-before", test_html_before);
  ADD ("html-after", test_html_after);
  ADD ("drop-before", test_drop_before);
  ADD ("drop-after", test_drop_after);
  ADD ("error-json", test_error_json);
  ADD ("no-funds", test_no_funds);
  ADD ("disabled", test_disabled);
  ADD ("rate-limit", test_rate_limit);
  ADD ("rate-limit-no-delay", test_rate_limit_no_delay);
  ADD ("connection-refused", test_refused);
  ADD ("connection-refused-no-delay", test_refused_no_delay);
  ADD ("write-ahead", test_write_ahead);
  ADD ("two-cores", test_two_cores);
#undef ADD

  return g_test_run ();
}
