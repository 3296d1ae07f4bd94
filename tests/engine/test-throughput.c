/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dispatcher in waves: many orders share a commit, yet every order is
 * marked sending (committed) before its request leaves and recorded once
 * after; a process killed in the middle of a wave sends nothing twice.
 * Speed itself is measured by `bench-mass submit`, not asserted here. */
#include "engine-test-util.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <unistd.h>

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

static char *
link_of (guint i)
{
  return g_strdup_printf ("https://www.instagram.com/p/Wave%u/", i);
}

static GArray *
place_many (Fixture *f, guint n)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GArray *ids;

  for (guint i = 0; i < n; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      g_ptr_array_add (links, link_of (i));
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

static int
count_commit (void *data)
{
  (*(guint *) data)++;
  return 0;
}

/* How many events of @order_id went from @from to @to. */
static guint
n_moves (RelayStore *store, gint64 order_id, RelayOrderStatus from, RelayOrderStatus to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = relay_store_list_order_events (store, order_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      RelayOrderEvent *event = g_ptr_array_index (events, i);

      if (event->has_old_status && event->old_status == from && event->new_status == to)
        n++;
    }
  return n;
}


/* 300 orders in waves: each recorded exactly once (one queued -> sending, one
 * sending -> pending, its own provider id, one order at the panel), with
 * far fewer commits than the two per order of one-at-a-time sending. */
static void
test_each_once_in_waves (Fixture *f, gconstpointer data)
{
  const guint n = 300;
  g_autoptr(GArray) ids = place_many (f, n);
  RelayStore *store = relay_core_get_store (f->core);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RelayDispatchReport report;
  guint commits = 0;
  EtGap gap = { 0 };

  relay_sim_set_latency (f->sim, 0, 2);
  sqlite3_commit_hook (relay_store_get_db (store), count_commit, &commits);
  et_gap_start (&gap, 1);
  report = et_dispatch (f->core);
  et_gap_stop (&gap);
  sqlite3_commit_hook (relay_store_get_db (store), NULL, NULL);
  g_test_message ("%u orders: %u commits, longest main-loop gap %.1f ms", n, commits,
                  gap.longest / 1000.0);

  g_assert_cmpuint (report.n_sent, ==, n);
  g_assert_cmpuint (report.n_failed + report.n_review + report.n_retry, ==, 0);
  /* One at a time takes 2 commits an order; waves share them. */
  g_assert_cmpuint (commits, <, n / 2);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, n);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, n);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));
      g_autoptr(RelaySimOrder) at_sim = NULL;

      g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
      g_assert_nonnull (order->provider_order_id);
      g_assert_true (g_hash_table_add (seen, g_strdup (order->provider_order_id)));
      at_sim = et_sim_find (f->sim, order->link);
      g_assert_nonnull (at_sim);
      g_assert_cmpint (g_ascii_strtoll (order->provider_order_id, NULL, 10), ==, at_sim->id);
      g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, order->link), ==, 1);
      g_assert_cmpuint (n_moves (store, order->id, RELAY_ORDER_QUEUED, RELAY_ORDER_SENDING), ==, 1);
      g_assert_cmpuint (n_moves (store, order->id, RELAY_ORDER_SENDING, RELAY_ORDER_PENDING), ==, 1);
    }

  /* Nothing left to send: a second run sends nothing. */
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, n);
}

/* A request is never on its way before its order is marked sending: every
 * `add` the panel receives finds its order already "sending" (or further)
 * in the book, read through a second connection. */
static void
test_sending_before_request (Fixture *f, gconstpointer data)
{
  const guint n = 80;
  g_autoptr(GArray) ids = place_many (f, n);
  g_autoptr(RelayStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (f->core);
  g_autofree RelayDispatchReport *report = NULL;
  EtAsync async = { 0 };
  guint checked = 0, last_adds = 0;

  reader = relay_store_open (f->book->db_path, &error);
  g_assert_no_error (error);
  relay_sim_set_latency (f->sim, 5, 15);
  relay_dispatcher_run_async (dispatcher, NULL, et_async_ready, &async);
  while (!async.done)
    {
      guint adds;

      g_main_context_iteration (NULL, TRUE);
      adds = relay_sim_get_n_requests (f->sim, "add");
      if (adds == last_adds)
        continue;
      last_adds = adds;
      /* Every order the panel holds now is past "queued" in the book. */
      {
        g_autoptr(GPtrArray) at_sim = relay_sim_dup_orders (f->sim);

        for (guint i = 0; i < at_sim->len; i++)
          {
            RelaySimOrder *sim_order = g_ptr_array_index (at_sim, i);
            guint k = (guint) g_ascii_strtoull (sim_order->link + strlen ("https://www.instagram.com/p/Wave"),
                                                NULL, 10);
            g_autoptr(RelayOrderRow) order = et_store_order (reader, g_array_index (ids, gint64, k));

            g_assert_cmpint (order->status, !=, RELAY_ORDER_QUEUED);
            checked++;
          }
      }
    }
  report = relay_dispatcher_run_finish (dispatcher, async.result, &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_test_message ("%u checks while sending", checked);
  g_assert_cmpuint (checked, >, 0);
  g_assert_cmpuint (report->n_sent, ==, n);
}

/* ---- the status sync ---- */

typedef struct
{
  GThread *main_thread;
  guint    n_signals;
  guint    n_ids;
  guint    n_elsewhere;   /* emitted on another thread */
} Changed;

static void
on_orders_changed (RelayStore *store, GArray *ids, gpointer data)
{
  Changed *changed = data;

  changed->n_signals++;
  changed->n_ids += ids->len;
  if (g_thread_self () != changed->main_thread)
    changed->n_elsewhere++;
}

/* 450 active orders (more than two pages of them): every one is asked about,
 * 100 a request; the replies are written through the sync's own connection
 * on its thread (no commit on the main loop's connection), and
 * ::orders-changed still comes on the main thread with every order. */
static void
test_sync_off_main_loop (Fixture *f, gconstpointer data)
{
  const guint n = 450;
  g_autoptr(GArray) ids = place_many (f, n);
  RelayStore *store = relay_core_get_store (f->core);
  g_autoptr(RelaySyncReport) report = NULL;
  Changed changed = { g_thread_self (), 0, 0, 0 };
  RelayDispatchReport sent;
  guint commits = 0, n_active = 0;
  gulong handler;
  EtGap gap = { 0 };

  sent = et_dispatch (f->core);
  g_assert_cmpuint (sent.n_sent, ==, n);
  /* Every order moves on at the panel. */
  relay_sim_advance (f->sim, 3600);

  handler = g_signal_connect (store, "orders-changed", G_CALLBACK (on_orders_changed), &changed);
  sqlite3_commit_hook (relay_store_get_db (store), count_commit, &commits);
  et_gap_start (&gap, 1);
  report = et_sync (f->core);
  et_gap_stop (&gap);
  sqlite3_commit_hook (relay_store_get_db (store), NULL, NULL);
  g_signal_handler_disconnect (store, handler);
  g_test_message ("sync of %u: %u requests, %u changes, %u signals, %u commits on the main "
                  "connection, longest main-loop gap %.1f ms", n, report->n_requests,
                  report->changes->len, changed.n_signals, commits, gap.longest / 1000.0);

  g_assert_cmpuint (report->n_checked, ==, n);
  g_assert_cmpuint (report->n_requests, ==, (n + 99) / 100);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (commits, ==, 0);
  g_assert_cmpuint (changed.n_elsewhere, ==, 0);
  g_assert_cmpuint (changed.n_ids, >=, report->changes->len);
  g_assert_cmpuint (report->changes->len, ==, n);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));
      g_autoptr(RelaySimOrder) at_sim = et_sim_find (f->sim, order->link);
      RelayOrderStatus mapped;


      /* The panel's word as it said it, and what it means. */
      g_assert_nonnull (at_sim);
      g_assert_true (relay_order_status_from_provider (order->provider_status, &mapped));
      g_assert_true (relay_order_status_from_provider (at_sim->status, &mapped));
      g_assert_cmpint (order->status, ==, mapped);
      g_assert_cmpint (order->status, !=, RELAY_ORDER_PENDING);
      n_active += relay_order_status_is_active (order->status);
    }
  g_test_message ("%u still active", n_active);
}

/* 300 orders sent: the waves are recorded through the dispatcher's own
 * connection on its thread (no commit on the main loop's connection: each
 * synced commit held the window 4-13 ms), yet each order is marked sending
 * before its request and recorded once after, and ::orders-changed comes on
 * the main thread with every order. */
static void
test_dispatch_off_main_loop (Fixture *f, gconstpointer data)
{
  const guint n = 300;
  g_autoptr(GArray) ids = place_many (f, n);
  RelayStore *store = relay_core_get_store (f->core);
  Changed changed = { g_thread_self (), 0, 0, 0 };
  RelayDispatchReport report;
  guint commits = 0;
  gulong handler;
  EtGap gap = { 0 };

  relay_sim_set_latency (f->sim, 0, 2);
  handler = g_signal_connect (store, "orders-changed", G_CALLBACK (on_orders_changed), &changed);
  sqlite3_commit_hook (relay_store_get_db (store), count_commit, &commits);
  et_gap_start (&gap, 1);
  report = et_dispatch (f->core);
  et_gap_stop (&gap);
  sqlite3_commit_hook (relay_store_get_db (store), NULL, NULL);
  g_signal_handler_disconnect (store, handler);
  g_test_message ("%u orders: %u commits on the main connection, %u signals (%u ids), longest "
                  "main-loop gap %.1f ms", n, commits, changed.n_signals, changed.n_ids,
                  gap.longest / 1000.0);

  g_assert_cmpuint (report.n_sent, ==, n);
  g_assert_cmpuint (report.n_failed + report.n_review + report.n_retry, ==, 0);
  g_assert_cmpuint (commits, ==, 0);
  g_assert_cmpuint (changed.n_elsewhere, ==, 0);
  g_assert_cmpuint (changed.n_ids, >=, n);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, n);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, n);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));
      g_autoptr(RelaySimOrder) at_sim = et_sim_find (f->sim, order->link);

      g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
      g_assert_nonnull (at_sim);
      g_assert_cmpint (g_ascii_strtoll (order->provider_order_id, NULL, 10), ==, at_sim->id);
      g_assert_cmpuint (n_moves (store, order->id, RELAY_ORDER_QUEUED, RELAY_ORDER_SENDING), ==, 1);
      g_assert_cmpuint (n_moves (store, order->id, RELAY_ORDER_SENDING, RELAY_ORDER_PENDING), ==, 1);
    }
}

/* A status refresh writes only the columns that change: SQLite rewrites the
 * entry of every index over a column named in SET, whether its value moved
 * or not.  Triggers "AFTER UPDATE OF currency / error" (which fire for a
 * column named in SET, like those index writes) count the writes of two
 * columns a reply leaves as they were; the old UPDATE named every column. */
static void
test_sync_writes_changed_columns (Fixture *f, gconstpointer data)
{
  const guint n = 250;
  g_autoptr(GArray) ids = place_many (f, n);
  RelayStore *store = relay_core_get_store (f->core);
  sqlite3 *db = relay_store_get_db (store);
  g_autoptr(RelaySyncReport) first = NULL;
  g_autoptr(RelaySyncReport) second = NULL;
  RelayDispatchReport sent;
  sqlite3_stmt *stmt = NULL;
  guint n_currency = 0, n_error = 0, n_moved = 0;

  sent = et_dispatch (f->core);
  g_assert_cmpuint (sent.n_sent, ==, n);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));

      g_assert_nonnull (order->currency);
      g_assert_null (order->error);
    }
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE test_writes (col TEXT NOT NULL);"
                                 "CREATE TRIGGER test_currency AFTER UPDATE OF currency ON orders"
                                 "  BEGIN INSERT INTO test_writes VALUES ('currency'); END;"
                                 "CREATE TRIGGER test_error AFTER UPDATE OF error ON orders"
                                 "  BEGIN INSERT INTO test_writes VALUES ('error'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  /* Two refreshes (several requests, applied on the sync's thread): the
   * panel's words and numbers move, the currency and the error do not. */
  relay_sim_advance (f->sim, 60);
  first = et_sync (f->core);
  relay_sim_advance (f->sim, 3600);
  second = et_sync (f->core);
  g_assert_cmpuint (first->n_errors, ==, 0);
  g_assert_cmpuint (second->n_errors, ==, 0);
  g_assert_cmpuint (first->n_checked, ==, n);
  n_moved = first->changes->len + second->changes->len;
  g_assert_cmpuint (n_moved, >=, n);
  for (guint i = 0; i < second->changes->len; i++)
    {
      RelayStatusChange *change = &g_array_index (second->changes, RelayStatusChange, i);
      g_autoptr(RelayOrderRow) order = et_order (f->core, change->order_id);

      g_assert_cmpint (change->new_status, !=, change->old_status);
      g_assert_cmpint (order->status, ==, change->new_status);
    }

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT col, count(*) FROM test_writes GROUP BY col",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *col = (const char *) sqlite3_column_text (stmt, 0);

      if (g_str_equal (col, "currency"))
        n_currency = sqlite3_column_int (stmt, 1);
      else
        n_error = sqlite3_column_int (stmt, 1);
    }
  sqlite3_finalize (stmt);
  g_test_message ("%u status changes in two refreshes; currency written %u times, error %u",
                  n_moved, n_currency, n_error);
  g_assert_cmpuint (n_currency, ==, 0);
  g_assert_cmpuint (n_error, ==, 0);
}

/* ---- the mass order, recorded off the main loop ---- */

static void
on_clients_changed (RelayStore *store, gpointer data)
{
  (*(guint *) data)++;
}

/* 300 lines recorded by relay_core_submit_mass_order_async(): one
 * transaction on the thread's own connection (no commit on the main loop's),
 * ::orders-changed with every id and ::clients-changed on the main thread
 * before the callback; then every line is sent once. */
static void
test_mass_submit_async (Fixture *f, gconstpointer data)
{
  const guint n = 300;
  RelayStore *store = relay_core_get_store (f->core);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RelayMassPlan) plan = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  Changed changed = { g_thread_self (), 0, 0, 0 };
  guint clients = 0, commits = 0;
  gulong h1, h2;
  EtAsync async = { 0 };
  RelayDispatchReport report;
  gint64 charged_before = et_ledger_sum (store, f->client_id);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *link = link_of (i);

      g_string_append_printf (text, "%d | %s | %u\n", SERVICE, link, 100 + i);
    }
  plan = relay_core_plan_mass_order (f->core, text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->n_good, ==, n);

  h1 = g_signal_connect (store, "orders-changed", G_CALLBACK (on_orders_changed), &changed);
  h2 = g_signal_connect (store, "clients-changed", G_CALLBACK (on_clients_changed), &clients);
  sqlite3_commit_hook (relay_store_get_db (store), count_commit, &commits);
  relay_core_submit_mass_order_async (f->core, plan, f->client_id, NULL, et_async_ready, &async);
  /* The caller may drop the plan at once. */
  g_clear_pointer (&plan, relay_mass_plan_free);
  ids = relay_core_submit_mass_order_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  sqlite3_commit_hook (relay_store_get_db (store), NULL, NULL);
  g_signal_handler_disconnect (store, h1);
  g_signal_handler_disconnect (store, h2);

  g_assert_cmpuint (ids->len, ==, n);
  g_assert_cmpuint (commits, ==, 0);
  g_assert_cmpuint (changed.n_elsewhere, ==, 0);
  g_assert_cmpuint (changed.n_ids, ==, n);
  g_assert_cmpuint (clients, ==, 1);
  g_assert_cmpint (et_ledger_sum (store, f->client_id), !=, charged_before);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, g_array_index (ids, gint64, i));
      g_autofree char *link = link_of (i);

      g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
      g_assert_cmpstr (order->link, ==, link);
      g_assert_cmpint (order->client_id, ==, f->client_id);
    }

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, n);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, n);
}

/* ---- killed in the middle of a wave ---- */

static gboolean
give_up (gpointer data)
{
  g_printerr ("child: not killed in time\n");
  exit (3);
  return G_SOURCE_REMOVE;
}

/* The child: sends every due order of the book, until it is killed (and
 * never outlives the test). */
static int
child_main (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayCore) core = NULL;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () == 1)
    return 3;
  g_timeout_add_seconds (30, give_up, NULL);
  core = relay_core_new (db_path, NULL, &error);

  if (core == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 2;
    }
  relay_core_set_timeout_ms (core, 10000);
  relay_dispatcher_run_async (relay_core_get_dispatcher (core), NULL, NULL, NULL);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static gboolean
enough_adds (gpointer data)
{
  return relay_sim_get_n_requests (data, "add") >= 6;
}

/* SIGKILL while a wave is on the wire: every order is, after a run of
 * another process, either pending with the panel's id or in review — none
 * sent twice, none lost, none still queued or sending. */
static void
test_kill_mid_wave (Fixture *f, gconstpointer data)
{
  const guint n = 120;
  g_autoptr(GArray) ids = place_many (f, n);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayCore) after = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  RelayDispatchReport report;
  guint n_pending = 0, n_review = 0, n_review_at_sim = 0;

  /* Slow answers: the child has a wave marked sending and on the wire. */
  relay_sim_set_latency (f->sim, 150, 250);
  g_subprocess_launcher_setenv (launcher, "THROUGHPUT_CHILD_DB", f->book->db_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "SMM_RELAY_KEYS", f->book->keys_path, TRUE);
  g_assert_nonnull (self_exe);
  child = g_subprocess_launcher_spawn (launcher, &error, self_exe, NULL);
  g_assert_no_error (error);
  et_wait_until (enough_adds, f->sim, 0);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("killed after %u adds", relay_sim_get_n_requests (f->sim, "add"));

  /* Another process finishes the job. */
  relay_sim_set_latency (f->sim, 0, 0);
  after = et_core_new (f->book);
  report = et_dispatch (after);
  g_test_message ("then: %u sent, %u review", report.n_sent, report.n_review);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (after, g_array_index (ids, gint64, i));
      guint at_sim = relay_sim_count_orders_with_link (f->sim, order->link);

      /* Never twice. */
      g_assert_cmpuint (at_sim, <=, 1);
      if (order->status == RELAY_ORDER_PENDING)
        {
          g_autoptr(RelaySimOrder) sim_order = et_sim_find (f->sim, order->link);

          g_assert_nonnull (sim_order);
          g_assert_cmpint (g_ascii_strtoll (order->provider_order_id, NULL, 10), ==, sim_order->id);
          n_pending++;
        }
      else
        {
          /* Sending when the process died: a person settles it. */
          g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
          n_review++;
          n_review_at_sim += at_sim;
        }
    }
  g_test_message ("%u pending, %u in review (%u of them at the panel)", n_pending, n_review,
                  n_review_at_sim);
  g_assert_cmpuint (n_review, >, 0);
  g_assert_cmpuint (n_pending + n_review, ==, n);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, n_pending + n_review_at_sim);
}

int
main (int argc, char **argv)
{
  const char *child_db = g_getenv ("THROUGHPUT_CHILD_DB");

  if (child_db != NULL)
    return child_main (child_db);
  et_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/engine/throughput/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("each-once-in-waves", test_each_once_in_waves);
  ADD ("sending-before-request", test_sending_before_request);
  ADD ("kill-mid-wave", test_kill_mid_wave);
  ADD ("sync-off-main-loop", test_sync_off_main_loop);
  ADD ("dispatch-off-main-loop", test_dispatch_off_main_loop);
  ADD ("sync-writes-changed-columns", test_sync_writes_changed_columns);
  ADD ("mass-submit-async", test_mass_submit_async);
#undef ADD

  return g_test_run ();
}
