/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dispatcher's and the sync's writes besides their waves and replies —
 * an order refused, sent to review, a refill's status, why an order is not
 * updated — never wait on the main loop for the book's write lock while
 * another process (the CLI, cron) holds it: they go in once it is let go,
 * and are told (::order-sent, ::orders-changed, the report) only then.  A
 * write that fails past the writer's wait is tried again, the order kept
 * "sending" (never sent again) meanwhile; a process killed before it went
 * in leaves the order to review. */
#include "engine-test-util.h"
#include "engine-book-lock.h"
#include "relay-client-pool.h"
#include "relay-core-private.h"

#include <signal.h>
#include <stdio.h>

#define LIKES 1         /* sim 103: post links, no refill */
#define FOLLOWERS 2     /* sim 101: profile links, refill */
#define CHILD_ARG "--held-child"
#define LATENCY_MS 400

typedef struct
{
  EtBook      *book;
  RelaySim    *sim;
  RelayCore   *core;
  RelayStore  *store;          /* borrowed from core */
  gint64       provider_id;
  gint64       client_id;
  gint64       watched;        /* the order whose signals are followed */
  guint        n_sent_signals; /* ::order-sent of it */
  guint        sent_status;
  guint        n_announced;    /* ::orders-changed naming it */
  RelayOrderStatus announced_status;  /* its status in the book when announced */
} Fixture;

/* ---- the warnings a test expects (the build logs structured: no
 * g_test_expect_message()) ---- */

static gint catching;        /* atomic: warnings and messages are caught, not printed */
static GMutex caught_lock;
static GPtrArray *caught;    /* char*: "LEVEL: text" of each caught */

static GLogWriterOutput
test_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (g_atomic_int_get (&catching) && (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE)))
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE"))
          {
            g_mutex_lock (&caught_lock);
            g_ptr_array_add (caught, g_strdup_printf ("%s: %s",
                                                      (level & G_LOG_LEVEL_WARNING) ? "WARNING"
                                                                                    : "MESSAGE",
                                                      (const char *) fields[i].value));
            g_mutex_unlock (&caught_lock);
          }
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, data);
}

static void
catch_start (void)
{
  g_mutex_lock (&caught_lock);
  g_ptr_array_set_size (caught, 0);
  g_mutex_unlock (&caught_lock);
  g_atomic_int_set (&catching, 1);
}

/* Stops catching; asserts that one caught matched each of the
 * NULL-terminated patterns ("LEVEL: text", g_pattern_match_simple()). */
static void
catch_stop (const char *pattern, ...)
{
  va_list args;

  g_atomic_int_set (&catching, 0);
  g_mutex_lock (&caught_lock);
  for (guint i = 0; i < caught->len; i++)
    g_test_message ("caught %s", (char *) g_ptr_array_index (caught, i));
  va_start (args, pattern);
  for (; pattern != NULL; pattern = va_arg (args, const char *))
    {
      gboolean found = FALSE;

      for (guint i = 0; i < caught->len && !found; i++)
        found = g_pattern_match_simple (pattern, g_ptr_array_index (caught, i));
      if (!found)
        g_error ("no log message matched \"%s\"", pattern);
    }
  va_end (args);
  g_mutex_unlock (&caught_lock);
}

static void
on_order_sent (RelayDispatcher *dispatcher, gint64 order_id, guint status, Fixture *f)
{
  if (order_id != f->watched)
    return;
  f->n_sent_signals++;
  f->sent_status = status;
}

static void
on_orders_changed (RelayStore *store, GArray *ids, Fixture *f)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == f->watched && f->watched != 0)
      {
        g_autoptr(RelayOrderRow) order = et_store_order (f->store, f->watched);

        f->n_announced++;
        f->announced_status = order->status;
      }
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  f->core = et_core_new (f->book);
  f->store = relay_core_get_store (f->core);
  url = relay_sim_dup_url (f->sim);
  f->provider_id = et_add_provider (f->core, "Panel", url);
  et_map (f->core, LIKES, f->provider_id, "103", 0, NULL, FALSE);
  et_map (f->core, FOLLOWERS, f->provider_id, "101", 0, NULL, FALSE);
  f->client_id = et_add_client (f->core, "Client");
  g_signal_connect (relay_core_get_dispatcher (f->core), "order-sent",
                    G_CALLBACK (on_order_sent), f);
  g_signal_connect (f->store, "orders-changed", G_CALLBACK (on_orders_changed), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (relay_core_get_dispatcher (f->core), f);
  g_signal_handlers_disconnect_by_data (f->store, f);
  g_assert_true (relay_core_finish_writes (f->core, 10000));
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  et_spin (10);
  g_clear_pointer (&f->book, et_book_free);
}

static gint64
place_like (Fixture *f, const char *tag)
{
  g_autofree char *link = g_strdup_printf ("https://www.instagram.com/p/Held%s/", tag);

  return et_place (f->core, LIKES, f->client_id, link, 200);
}

static RelayOrderStatus
status_of (Fixture *f, gint64 order_id)
{
  g_autoptr(RelayOrderRow) order = et_store_order (f->store, order_id);

  return order->status;
}

typedef struct
{
  Fixture *f;
  gint64   order_id;
} Watch;

static gboolean
is_sending (gpointer data)
{
  Watch *watch = data;

  return status_of (watch->f, watch->order_id) == RELAY_ORDER_SENDING;
}

static gboolean
add_answered (gpointer data)
{
  Fixture *f = data;

  return relay_sim_get_n_requests (f->sim, "add") > 0;
}

/* Starts a run for @order_id (the sim answers after LATENCY_MS), and once
 * the order is recorded sending takes the book's lock for @lock_ms; returns
 * the lock, held, with the request on its way. */
static EtBookLock *
send_into_held_book (Fixture *f, gint64 order_id, guint lock_ms, EtAsync *async)
{
  Watch watch = { f, order_id };

  f->watched = order_id;
  relay_sim_set_latency (f->sim, LATENCY_MS, LATENCY_MS);
  relay_dispatcher_send_async (relay_core_get_dispatcher (f->core), &order_id, 1, NULL,
                               et_async_ready, async);
  et_wait_until (is_sending, &watch, 10000);
  return et_book_lock_take (f->book->db_path, lock_ms);
}

/* While the book is held for 2 s the provider answers: the main loop keeps
 * ticking (the old code sat in SQLite's busy handler for up to 5 s in
 * add_done()), the order stays "sending", nothing is told; once let go the
 * outcome is in the book, announced with its new status, told once, and
 * the run ends with it counted.  @status: what the answer makes of it. */
static void
outcome_in_held_book (Fixture *f, gint64 order_id, RelayOrderStatus status)
{
  g_autofree RelayDispatchReport *report = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  EtGap gap = { 0 };
  EtBookLock *lock;
  gint64 held_from, longest;

  lock = send_into_held_book (f, order_id, 30000, &async);
  held_from = g_get_monotonic_time ();
  et_gap_start (&gap, 1);
  et_wait_until (add_answered, f, 10000);
  while (g_get_monotonic_time () - held_from < 2 * G_USEC_PER_SEC)
    et_spin (50);
  longest = et_gap_stop (&gap);
  g_test_message ("longest gap of the main loop while the book was held: %" G_GINT64_FORMAT
                  " ms", longest / 1000);
  g_assert_cmpint (longest, <, 250 * 1000);
  g_assert_false (async.done);
  g_assert_cmpint (status_of (f, order_id), ==, RELAY_ORDER_SENDING);
  g_assert_cmpuint (f->n_sent_signals, ==, 0);
  g_assert_true (relay_client_pool_is_writing (relay_core_get_clients (f->core)));
  g_assert_false (relay_core_finish_writes (f->core, 100));
  f->n_announced = 0;

  et_book_lock_release (lock);
  report = relay_dispatcher_run_finish (relay_core_get_dispatcher (f->core),
                                        et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpint (status_of (f, order_id), ==, status);
  g_assert_cmpuint (f->n_sent_signals, ==, 1);
  g_assert_cmpuint (f->sent_status, ==, status);
  g_assert_cmpuint (f->n_announced, >=, 1);
  g_assert_cmpint (f->announced_status, ==, status);
  g_assert_cmpuint (report->n_sent, ==, 0);
  g_assert_cmpuint (report->n_failed, ==, status == RELAY_ORDER_FAILED);
  g_assert_cmpuint (report->n_review, ==, status == RELAY_ORDER_NEEDS_REVIEW);
  g_assert_true (relay_core_finish_writes (f->core, 10000));
}

/* A definite refusal: failed, refunded, once the lock goes. */
static void
test_refused (Fixture *f, gconstpointer data)
{
  gint64 id = place_like (f, "Refused");
  g_autoptr(RelayOrderRow) order = NULL;

  relay_sim_inject_reply (f->sim, "add", "{\"error\": \"Incorrect link\"}", 1);
  outcome_in_held_book (f, id, RELAY_ORDER_FAILED);
  order = et_store_order (f->store, id);
  g_assert_cmpint (order->refunded, ==, order->price);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, 0);
}

/* A run cut short because the book could not be written (another program
 * held it past the writer's wait) says why to its caller (the Mass order
 * page shows it), and a run that sends everything says nothing. */
static void
test_stop_error (Fixture *f, gconstpointer data)
{
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (f->core);
  gint64 id = place_like (f, "Stopped");
  g_autofree RelayDispatchReport *report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) stop = NULL;
  RelayDispatchReport again;
  EtAsync async = { 0 };
  EtBookLock *lock;

  lock = et_book_lock_take (f->book->db_path, 8000);
  catch_start ();
  relay_dispatcher_run_async (dispatcher, NULL, et_async_ready, &async);
  report = relay_dispatcher_run_finish (dispatcher, et_async_wait (&async), &error);
  g_assert_no_error (error);
  catch_stop ("WARNING: Stopped sending: could not record order*as being sent*", NULL);
  g_assert_cmpuint (report->n_sent, ==, 0);
  g_assert_false (relay_dispatcher_get_stop_error (dispatcher, &stop));
  g_assert_error (stop, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED);
  g_test_message ("stop error: %s", stop->message);
  g_assert_nonnull (strstr (stop->message, "The order book is busy"));
  et_book_lock_release (lock);
  et_async_clear (&async);
  g_assert_cmpint (status_of (f, id), ==, RELAY_ORDER_QUEUED);

  again = et_dispatch (f->core);
  g_assert_cmpuint (again.n_sent, ==, 1);
  g_assert_true (relay_dispatcher_get_stop_error (dispatcher, NULL));
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
}

/* An unknown outcome (the panel took it, the connection dropped): review,
 * never sent again. */
static void
test_unknown_to_review (Fixture *f, gconstpointer data)
{
  gint64 id = place_like (f, "Dropped");
  RelayDispatchReport again;

  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_DROP_AFTER, 1);
  outcome_in_held_book (f, id, RELAY_ORDER_NEEDS_REVIEW);
  again = et_dispatch (f->core);
  g_assert_cmpuint (again.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
  g_assert_cmpint (status_of (f, id), ==, RELAY_ORDER_NEEDS_REVIEW);
}

/* The book held past every try of the run (RECORD_ATTEMPTS, each up to the
 * writer's 5 s wait): the run ends, telling the order as needing review
 * (and warning), while the order stays "sending" in the book and the
 * process is told a write still waits; once the lock goes the write is
 * made (within OUTCOME_RETRY_MS) and the order is failed as refused —
 * nothing was dropped, nothing sent again. */
static void
test_write_fails_then_lands (Fixture *f, gconstpointer data)
{
  gint64 id = place_like (f, "Long");
  g_autofree RelayDispatchReport *report = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  EtBookLock *lock;
  gint64 ended_at;

  relay_sim_inject_reply (f->sim, "add", "{\"error\": \"Incorrect link\"}", 1);
  lock = send_into_held_book (f, id, 60000, &async);
  catch_start ();
  /* RECORD_ATTEMPTS tries of up to 5 s each. */
  et_wait_flag (&async.done, 40000);
  report = relay_dispatcher_run_finish (relay_core_get_dispatcher (f->core),
                                        et_async_wait (&async), &error);
  catch_stop ("MESSAGE: Order * could not be recorded as failed yet*",
              "WARNING: Order * could not be recorded as failed (*stays \"sending\"*", NULL);
  g_assert_no_error (error);
  et_async_clear (&async);
  ended_at = g_get_monotonic_time ();
  g_assert_cmpuint (report->n_review, ==, 1);
  g_assert_cmpuint (report->n_failed, ==, 0);
  g_assert_cmpuint (f->n_sent_signals, ==, 1);
  g_assert_cmpuint (f->sent_status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_cmpint (status_of (f, id), ==, RELAY_ORDER_SENDING);
  g_assert_true (relay_client_pool_is_writing (relay_core_get_clients (f->core)));
  g_assert_false (relay_core_finish_writes (f->core, 200));

  et_book_lock_release (lock);
  g_assert_true (relay_core_finish_writes (f->core, 15000));
  g_test_message ("written %" G_GINT64_FORMAT " ms after the run ended",
                  (g_get_monotonic_time () - ended_at) / 1000);
  g_assert_cmpint (status_of (f, id), ==, RELAY_ORDER_FAILED);
  g_assert_cmpuint (f->n_sent_signals, ==, 1);
  g_assert_cmpint (f->announced_status, ==, RELAY_ORDER_FAILED);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
}

/* The provider accepts the order but the book stays held past every try
 * to record its id (RECORD_ATTEMPTS) and then past every try to send it to
 * review: the run tells it as needing review with a warning that keeps the
 * provider's order id (the old warning had only the store's error: had the
 * process ended before the write, the id was nowhere, and review could not
 * find the order at the panel).  Once let go the order is in review with
 * it; sent once. */
static void
test_accepted_id_kept (Fixture *f, gconstpointer data)
{
  gint64 id = place_like (f, "Accepted");
  g_autofree RelayDispatchReport *report = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  EtBookLock *lock;

  lock = send_into_held_book (f, id, 90000, &async);
  catch_start ();
  /* RECORD_ATTEMPTS tries of the id, then as many of the review. */
  et_wait_flag (&async.done, 80000);
  report = relay_dispatcher_run_finish (relay_core_get_dispatcher (f->core),
                                        et_async_wait (&async), &error);
  catch_stop ("MESSAGE: Order * was placed but could not be recorded yet*",
              "WARNING: Order * could not be recorded as needing review (*stays \"sending\"*"
              "Reason: The provider accepted it as order *", NULL);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpuint (report->n_review, ==, 1);
  g_assert_cmpuint (report->n_sent, ==, 0);
  g_assert_cmpint (status_of (f, id), ==, RELAY_ORDER_SENDING);

  et_book_lock_release (lock);
  g_assert_true (relay_core_finish_writes (f->core, 15000));
  order = et_store_order (f->store, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_nonnull (strstr (order->review_reason, "accepted it as order"));
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
}

/* ---- the sync ---- */

typedef struct
{
  gint64 order_id;
  gint64 refill_id;
  gint64 unaskable_id;
} SyncSetup;

static RelayRefillRow *
refill_row (Fixture *f, gint64 order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refills = relay_store_list_refills (f->store, order_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (refills->len, ==, 1);
  return g_ptr_array_steal_index (refills, 0);
}

/* A finished order with a refill asked for (and a finished one to follow),
 * and a sent order whose provider id no status can be asked for. */
static void
sync_setup (Fixture *f, SyncSetup *s)
{
  g_autoptr(RelayRefillRow) refill = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  RelayDispatchReport report;
  EtAsync async = { 0 };

  relay_sim_set_seed (f->sim, 11);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://www.instagram.com/held_refill_%u", i);
      gint64 id = et_place (f->core, FOLLOWERS, f->client_id, link, 300);

      g_array_append_val (ids, id);
    }
  s->unaskable_id = place_like (f, "Unaskable");
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 7);
  relay_sim_advance (f->sim, 1e6);
  relay_sync_report_free (et_sync (f->core));
  /* Only a panel's finished order takes a refill: the first one. */
  for (guint i = 0; i < ids->len && s->order_id == 0; i++)
    {
      g_autoptr(RelayOrderRow) order = et_store_order (f->store, g_array_index (ids, gint64, i));

      if (order->status == RELAY_ORDER_COMPLETED || order->status == RELAY_ORDER_PARTIAL)
        s->order_id = order->id;
    }
  g_assert_cmpint (s->order_id, !=, 0);
  relay_core_refill_async (f->core, &s->order_id, 1, NULL, et_async_ready, &async);
  results = relay_core_refill_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  refill = refill_row (f, s->order_id);
  s->refill_id = refill->id;
  g_assert_cmpstr (refill->status, ==, "requested");
  relay_sim_advance (f->sim, 1e6);
  sql = g_strdup_printf ("UPDATE orders SET provider_order_id = 'not an id!', "
                         "status = 'in_progress' WHERE id = %" G_GINT64_FORMAT, s->unaskable_id);
  et_sql (f->store, sql);
}

static gboolean
refill_asked (gpointer data)
{
  Fixture *f = data;

  return relay_sim_get_n_requests (f->sim, "refill_status") > 0;
}

/* While the book is held for 2 s a sync runs: the main loop keeps ticking
 * (the old code wrote the refill's status and the unaskable order's error
 * on its own connection, waiting up to 5 s each), nothing is written; once
 * let go the run ends with both in the book, and the refill's order
 * announced. */
static void
test_sync_in_held_book (Fixture *f, gconstpointer data)
{
  SyncSetup s = { 0 };
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(RelayRefillRow) refill = NULL;
  g_autoptr(RelayOrderRow) unaskable = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  EtGap gap = { 0 };
  EtBookLock *lock;
  gint64 held_from, longest;

  sync_setup (f, &s);
  f->watched = s.order_id;
  lock = et_book_lock_take (f->book->db_path, 30000);
  held_from = g_get_monotonic_time ();
  et_gap_start (&gap, 1);
  relay_sync_run_async (relay_core_get_sync (f->core), NULL, et_async_ready, &async);
  et_wait_until (refill_asked, f, 10000);
  while (g_get_monotonic_time () - held_from < 2 * G_USEC_PER_SEC)
    et_spin (50);
  longest = et_gap_stop (&gap);
  g_test_message ("longest gap of the main loop while the book was held: %" G_GINT64_FORMAT
                  " ms", longest / 1000);
  g_assert_cmpint (longest, <, 250 * 1000);
  g_assert_false (async.done);
  refill = refill_row (f, s.order_id);
  g_assert_cmpstr (refill->status, ==, "requested");
  g_clear_pointer (&refill, relay_refill_row_free);
  unaskable = et_store_order (f->store, s.unaskable_id);
  g_assert_null (unaskable->error);
  g_clear_pointer (&unaskable, relay_order_row_free);
  f->n_announced = 0;

  et_book_lock_release (lock);
  report = relay_sync_run_finish (relay_core_get_sync (f->core), et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->n_not_updated, ==, 1);
  refill = refill_row (f, s.order_id);
  g_assert_cmpstr (refill->status, !=, "requested");
  g_assert_cmpuint (f->n_announced, >=, 1);
  unaskable = et_store_order (f->store, s.unaskable_id);
  g_assert_nonnull (unaskable->error);
  g_assert_nonnull (strstr (unaskable->error, "is not one a status can be asked for"));
}

/* The book held past the writers' waits (12 s): the sync's writes fail and
 * say so — the report counts the errors, the refill keeps its status —
 * and the next sync, with the book free, writes them. */
static void
test_sync_write_fails (Fixture *f, gconstpointer data)
{
  SyncSetup s = { 0 };
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(RelaySyncReport) again = NULL;
  g_autoptr(RelayRefillRow) refill = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  EtBookLock *lock;

  sync_setup (f, &s);
  lock = et_book_lock_take (f->book->db_path, 12000);
  catch_start ();
  relay_sync_run_async (relay_core_get_sync (f->core), NULL, et_async_ready, &async);
  report = relay_sync_run_finish (relay_core_get_sync (f->core), et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  catch_stop ("WARNING: Could not record the statuses*",
              "WARNING: Could not record the status of 1 refills*", NULL);
  g_assert_cmpuint (report->n_errors, >=, 2);
  refill = refill_row (f, s.order_id);
  g_assert_cmpstr (refill->status, ==, "requested");
  g_clear_pointer (&refill, relay_refill_row_free);
  et_book_lock_release (lock);

  again = et_sync (f->core);
  g_assert_cmpuint (again->n_errors, ==, 0);
  refill = refill_row (f, s.order_id);
  g_assert_cmpstr (refill->status, !=, "requested");
}

/* ---- a crash between the answer and its write ---- */

/* The child: sends @order_id through a core of its own; once the answer is
 * in and its write waits for the book (held by the parent), says
 * "pending" and waits to be killed (a minute at most). */
static int
child_main (const char *db_path, const char *keys_path, const char *order_arg)
{
  EtBook book = { NULL, (char *) db_path, (char *) keys_path };
  g_autoptr(RelayCore) core = et_core_new (&book);
  RelayClientPool *pool = relay_core_get_clients (core);
  gint64 order_id = g_ascii_strtoll (order_arg, NULL, 10);
  EtAsync async = { 0 };
  gboolean sending = FALSE;

  relay_dispatcher_send_async (relay_core_get_dispatcher (core), &order_id, 1, NULL,
                               et_async_ready, &async);
  for (;;)
    {
      g_autoptr(RelayOrderRow) order = NULL;

      g_main_context_iteration (NULL, TRUE);
      if (async.done)
        {
          fputs ("ended\n", stdout);
          fflush (stdout);
          return 1;
        }
      order = relay_store_get_order (relay_core_get_store (core), order_id, NULL);
      sending = sending || (order != NULL && order->status == RELAY_ORDER_SENDING);
      /* The balance write is over before the order is sending: a write
       * waiting now is the answer's. */
      if (sending && relay_client_pool_is_writing (pool))
        break;
    }
  fputs ("pending\n", stdout);
  fflush (stdout);
  /* Killed by the parent; should it fail first, not left behind for long. */
  g_usleep (60 * G_USEC_PER_SEC);
  return 2;
}

static void
line_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                      NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

static gboolean
line_in (gpointer data)
{
  return *(char **) data != NULL;
}

/* A process (a CLI run) gets the panel's answer while the book is held and
 * is killed before its write goes in: it says so within a second of the
 * answer (its main loop runs: the old code sat in the busy handler for 5 s
 * first), and afterwards the order is "sending", goes to review at the next
 * look for dead senders, and is not sent again — nothing lost, nothing
 * twice. */
static void
test_crash_before_write (Fixture *f, gconstpointer data)
{
  gint64 id = place_like (f, "Crash");
  g_autofree char *order_arg = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Watch watch = { f, id };
  RelayDispatchReport again;
  EtBookLock *lock;
  gint64 answered_at;

  relay_sim_set_latency (f->sim, LATENCY_MS, LATENCY_MS);
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_DROP_AFTER, 1);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/proc/self/exe", CHILD_ARG,
                            f->book->db_path, f->book->keys_path, order_arg, NULL);
  g_assert_no_error (error);
  et_wait_until (is_sending, &watch, 10000);
  lock = et_book_lock_take (f->book->db_path, 30000);
  et_wait_until (add_answered, f, 10000);
  answered_at = g_get_monotonic_time ();
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, line_read, &line);
  et_wait_until (line_in, &line, 10000);
  g_test_message ("the child said '%s' %" G_GINT64_FORMAT " ms after the answer", line,
                  (g_get_monotonic_time () - answered_at) / 1000);
  g_assert_cmpstr (line, ==, "pending");
  g_assert_cmpint (g_get_monotonic_time () - answered_at, <, 1500 * 1000);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  et_book_lock_release (lock);

  g_assert_cmpint (status_of (f, id), ==, RELAY_ORDER_SENDING);
  g_assert_cmpuint (relay_store_reap_dead_senders (f->store, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (status_of (f, id), ==, RELAY_ORDER_NEEDS_REVIEW);
  again = et_dispatch (f->core);
  g_assert_cmpuint (again.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
}

/* ---- a run stopped from a handler of ::order-sent ---- */

static void
stop_on_sent (RelayDispatcher *dispatcher, gint64 order_id, guint status, guint *n_told)
{
  (*n_told)++;
  relay_dispatcher_stop (dispatcher);
}

/* Two orders failed before sending are two outcomes of one job; telling
 * the first (::order-sent) runs a handler that stops the run, which
 * flushes there and then.  That flush must not take the second outcome,
 * written already and about to be told: the old flush gave it to the
 * writer again while it was told and freed here (heap-use-after-free under
 * ASan; in a plain build the pool's writes let go twice, a critical).
 * Each order is told once, failed, and the run counts both. */
static void
test_stopped_from_handler (Fixture *f, gconstpointer data)
{
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (f->core);
  gint64 ids[2] = { place_like (f, "BadExtrasA"), place_like (f, "BadExtrasB") };
  g_autofree char *sql = NULL;
  g_autofree RelayDispatchReport *report = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  guint n_told = 0;
  gulong handler;

  sql = g_strdup_printf ("UPDATE orders SET extra_json = '{not json' WHERE id IN (%"
                         G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", ids[0], ids[1]);
  et_sql (f->store, sql);
  handler = g_signal_connect (dispatcher, "order-sent", G_CALLBACK (stop_on_sent), &n_told);
  relay_dispatcher_send_async (dispatcher, ids, 2, NULL, et_async_ready, &async);
  report = relay_dispatcher_run_finish (dispatcher, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  /* Whatever a second job would do comes back by now. */
  et_spin (200);
  g_signal_handler_disconnect (dispatcher, handler);
  g_assert_cmpuint (n_told, ==, 2);
  g_assert_cmpuint (report->n_failed, ==, 2);
  g_assert_cmpint (status_of (f, ids[0]), ==, RELAY_ORDER_FAILED);
  g_assert_cmpint (status_of (f, ids[1]), ==, RELAY_ORDER_FAILED);
  g_assert_false (relay_client_pool_is_writing (relay_core_get_clients (f->core)));
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);
}

int
main (int argc, char **argv)
{
  if (argc == 5 && g_str_equal (argv[1], CHILD_ARG))
    return child_main (argv[2], argv[3], argv[4]);

  et_init (&argc, &argv);
  caught = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (test_log_writer, NULL, NULL);
#define ADD(name, func) \
  g_test_add ("/engine/held-book/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("refused", test_refused);
  ADD ("unknown-to-review", test_unknown_to_review);
  ADD ("sync", test_sync_in_held_book);
  ADD ("crash-before-write", test_crash_before_write);
  ADD ("sync-write-fails", test_sync_write_fails);
  ADD ("write-fails-then-lands", test_write_fails_then_lands);
  ADD ("stopped-from-handler", test_stopped_from_handler);
  ADD ("accepted-id-kept", test_accepted_id_kept);
  ADD ("stop-error", test_stop_error);
#undef ADD
  return g_test_run ();
}
