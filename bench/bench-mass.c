/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bench: the mass-order path — planning a 10,000-line paste and recording it
 * in one transaction, against one transaction per order — and what
 * synchronous = FULL (every commit on the disk before it returns) costs there
 * and on the send path (queued -> sending -> pending, one commit each), with
 * NORMAL measured in the same run for comparison.
 *
 *   bench-mass [LINES [SENDS]]   (10000 and 1000 by default)
 *
 * And the whole submit path, paste to every order pending, against the
 * simulator (no latency, in a thread of its own like a panel elsewhere), with
 * the longest gap of a 1 ms timer on the main loop while it submits and then
 * while the same orders sync:
 *
 *   bench-mass submit [LINES [SYNC_LATENCY_MS]]   (10000 and 0 by default)
 *
 * prints one `bench NAME VALUE UNIT` line per figure (submit-rate orders/s,
 * submit-stall ms, sync-stall ms, …) and exits 1 when a line was not recorded
 * exactly once. */
#include <sqlite3.h>
#include <time.h>

#include "bench-common.h"

#include "relay-money.h"
#include "relay-sim.h"

static RelayProviderService *
fake_service (void)
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

/* The bench's own connection setting: the book always opens with FULL. */
static void
set_synchronous (RelayStore *store, const char *mode)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA synchronous = %s", mode);

  if (sqlite3_exec (relay_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (relay_store_get_db (store)));
}

/* Sends @n orders of @ids from @first the way the dispatcher records them:
 * mark_sending (the write-ahead step), then mark_sent.  Milliseconds. */
static double
send_path (RelayStore *store, GArray *ids, guint first, guint n, gint64 catalog_id)
{
  double t0 = bench_now ();

  for (guint i = first; i < first + n && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *provider_id = g_strdup_printf ("%" G_GINT64_FORMAT, 900000 + id);

      if (!relay_store_mark_sending (store, id, catalog_id, &error) ||
          !relay_store_mark_sent (store, id, provider_id, &error))
        g_error ("%s", error->message);
    }
  return (bench_now () - t0) * 1000;
}

/* ---- bench-mass submit ---- */

typedef struct
{
  GMutex    lock;
  GCond     cond;
  char     *url;         /* set once the simulator listens */
  GMainLoop *loop;       /* the simulator thread's */
  RelaySim *sim;         /* touched only in its thread */
  guint     latency;     /* to set there, see set_latency() */
  gboolean  latency_set;
  guint     n_orders;    /* what the simulator holds, when its thread ends */
} SimThread;

static gpointer
sim_thread (gpointer data)
{
  SimThread *st = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(RelaySim) sim = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  sim = relay_sim_new ();
  relay_sim_set_seed (sim, 7);
  relay_sim_set_balance (sim, 100000000 * RELAY_MICRO);
  if (!relay_sim_listen (sim, 0, &error))
    g_error ("%s", error->message);
  g_mutex_lock (&st->lock);
  st->loop = g_main_loop_new (context, FALSE);
  st->sim = sim;
  st->url = relay_sim_dup_url (sim);
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);
  g_main_loop_run (st->loop);
  st->n_orders = relay_sim_get_n_orders (sim);
  st->sim = NULL;
  g_clear_object (&sim);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
set_latency_cb (gpointer data)
{
  SimThread *st = data;

  relay_sim_set_latency (st->sim, st->latency, st->latency);
  g_mutex_lock (&st->lock);
  st->latency_set = TRUE;
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);
  return G_SOURCE_REMOVE;
}

/* Sets the simulator's latency in its own thread and waits until it is. */
static void
set_latency (SimThread *st, guint latency)
{
  st->latency = latency;
  st->latency_set = FALSE;
  g_main_context_invoke (g_main_loop_get_context (st->loop), set_latency_cb, st);
  g_mutex_lock (&st->lock);
  while (!st->latency_set)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);
}

/* CPU seconds this thread has used (user + system). */
static double
thread_cpu (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* CPU seconds the whole process has used (every thread: the simulator's,
 * the writers'). */
static double
process_cpu (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* The longest time the main loop went without running a 1 ms timer, and the
 * most CPU time the main thread spent between two runs of it (the part of a
 * gap that is our own work, not the machine's other load or a disk wait). */
typedef struct
{
  gint64 last;
  gint64 longest;
  double last_cpu;
  double longest_cpu;
  guint  id;
} Gap;

static gboolean
gap_tick (gpointer data)
{
  Gap *gap = data;
  gint64 now = g_get_monotonic_time ();

  double cpu = thread_cpu ();

  gap->longest = MAX (gap->longest, now - gap->last);
  gap->longest_cpu = MAX (gap->longest_cpu, cpu - gap->last_cpu);
  gap->last = now;
  gap->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
gap_start (Gap *gap)
{
  gap->last = g_get_monotonic_time ();
  gap->longest = 0;
  gap->last_cpu = thread_cpu ();
  gap->longest_cpu = 0;
  gap->id = g_timeout_add (1, gap_tick, gap);
}

static double
gap_stop (Gap *gap)
{
  gap_tick (gap);
  g_source_remove (gap->id);
  return gap->longest / 1000.0;
}

static gboolean done;


static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree RelayDispatchReport *report =
    relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, NULL);

  if (report != NULL)
    *(guint *) user_data += report->n_sent;
  done = TRUE;
}

static void
submitted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  *(GArray **) user_data = relay_core_submit_mass_order_finish (RELAY_CORE (source), result,
                                                                &error);
  if (error != NULL)
    g_printerr ("%s\n", error->message);
  done = TRUE;
}

static void
sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(RelaySyncReport **) user_data = relay_sync_run_finish (RELAY_SYNC (source), result, NULL);
  done = TRUE;
}

static void
services_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GPtrArray) changes = relay_core_sync_services_finish (RELAY_CORE (source), result,
                                                                  NULL);
  done = TRUE;
}

static guint
count_status (RelayStore *store, const char *status)
{
  const char *sql = "SELECT count(*), count(DISTINCT provider_order_id) "
                    "FROM orders WHERE status = ?";
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  if (sqlite3_prepare_v2 (relay_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (relay_store_get_db (store)));
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      n = sqlite3_column_int (stmt, 0);
      if (sqlite3_column_int (stmt, 1) != (int) n && g_str_equal (status, "pending"))
        n = 0;   /* two orders with one provider id: not each once */
    }
  sqlite3_finalize (stmt);
  return n;
}

/* Plans, records and sends @n_lines lines; prints the figures and returns
 * whether every line was recorded and sent exactly once. */
static gboolean
bench_submit (guint n_lines, guint sync_latency)
{
  SimThread st = { 0 };
  GThread *thread;
  g_autofree char *dir = bench_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "orders.db", NULL);
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RelayMassPlan) plan = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RelaySyncReport) sync_report = NULL;
  RelayStore *store;
  gint64 provider_id;
  guint n_sent = 0, n_pending, runs = 0;
  double t0, submit_s, record_ms, record_stall, submit_stall, sync_s, sync_stall;
  double submit_stall_cpu, sync_stall_cpu;
  double send_t0, send_s, send_cpu, sync_cpu, sync_process_cpu;
  gboolean ok;
  Gap gap;

  g_mutex_init (&st.lock);
  g_cond_init (&st.cond);
  thread = g_thread_new ("sim", sim_thread, &st);
  g_mutex_lock (&st.lock);
  while (st.url == NULL)
    g_cond_wait (&st.cond, &st.lock);
  g_mutex_unlock (&st.lock);

  core = relay_core_new (db, NULL, &error);
  if (core == NULL)
    g_error ("%s", error->message);
  store = relay_core_get_store (core);
  provider_id = relay_core_add_provider (core, "bench", st.url, "demo-key", &error);
  if (provider_id == 0)
    g_error ("%s", error->message);
  done = FALSE;
  relay_core_sync_services_async (core, provider_id, NULL, services_done, NULL);
  bench_wait (&done);
  {
    g_autoptr(GPtrArray) catalog = relay_store_list_catalog (store, provider_id, "Instagram Likes",
                                                             FALSE, &error);
    RelayCatalogRow *row = catalog && catalog->len ? g_ptr_array_index (catalog, 0) : NULL;

    if (row == NULL || !relay_core_map_service (core, 1, "likes", row->rate * 2, provider_id,
                                                row->service_id, 0, NULL, FALSE, &error))
      g_error ("no Instagram Likes service to map: %s", error ? error->message : "");
  }
  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (text, "1 | https://www.instagram.com/p/post%u/ | %u\n", i,
                            100 + i % 900);
  plan = relay_core_plan_mass_order (core, text->str, &error);
  if (plan == NULL || plan->n_good != n_lines)
    g_error ("the plan has %u good lines of %u", plan ? plan->n_good : 0, n_lines);

  /* Submit: record the lines, then send until none is left queued. */
  gap_start (&gap);
  t0 = bench_now ();
  /* As the window does it: recorded on a thread, the main loop running. */
  done = FALSE;
  relay_core_submit_mass_order_async (core, plan, 0, NULL, submitted, &ids);
  bench_wait (&done);
  if (ids == NULL)
    g_error ("the lines could not be recorded");
  record_ms = (bench_now () - t0) * 1000;
  record_stall = gap_stop (&gap);
  gap_start (&gap);
  send_t0 = bench_now ();
  send_cpu = thread_cpu ();
  do
    {
      done = FALSE;
      relay_dispatcher_run_async (relay_core_get_dispatcher (core), NULL, run_done, &n_sent);
      bench_wait (&done);
    }
  while (n_sent < n_lines && ++runs < 5);
  submit_s = bench_now () - t0;
  send_s = bench_now () - send_t0;
  send_cpu = thread_cpu () - send_cpu;
  submit_stall = gap_stop (&gap);
  submit_stall_cpu = gap.longest_cpu * 1000;
  n_pending = count_status (store, "pending");

  /* Sync the same orders, now all active (SYNC_LATENCY_MS a request: 20
   * is smm-relay-bench's sync row). */
  set_latency (&st, sync_latency);
  gap_start (&gap);
  t0 = bench_now ();
  sync_cpu = thread_cpu ();
  sync_process_cpu = process_cpu ();
  done = FALSE;
  relay_sync_run_async (relay_core_get_sync (core), NULL, sync_done, &sync_report);
  bench_wait (&done);
  sync_s = bench_now () - t0;
  sync_cpu = thread_cpu () - sync_cpu;
  sync_process_cpu = process_cpu () - sync_process_cpu;
  sync_stall = gap_stop (&gap);
  sync_stall_cpu = gap.longest_cpu * 1000;

  g_clear_object (&core);
  g_main_context_invoke (g_main_loop_get_context (st.loop), quit_loop, st.loop);
  g_thread_join (thread);
  g_main_loop_unref (st.loop);
  g_free (st.url);

  ok = n_pending == n_lines && st.n_orders == n_lines;
  g_print ("bench submit-lines %u lines\n", n_lines);
  g_print ("bench submit-record %.1f ms\n", record_ms);
  g_print ("bench submit-duration %.1f ms\n", submit_s * 1000);
  g_print ("bench submit-rate %.0f orders/s\n", n_lines / submit_s);
  /* The sending alone, after the lines are recorded, and how much of the
   * main thread it took (the rest of the machine's load shows as the gap). */
  g_print ("bench send-rate %.0f orders/s\n", n_lines / send_s);
  g_print ("bench send-main-thread-cpu %.1f ms (%.0f orders per CPU second)\n", send_cpu * 1000,
           n_lines / MAX (send_cpu, 0.001));
  /* Recording the paste is one transaction (relay_core_submit_mass_order()):
   * its stall is shown apart from the sending's. */
  g_print ("bench submit-record-stall %.1f ms\n", record_stall);
  g_print ("bench submit-stall %.1f ms\n", submit_stall);
  g_print ("bench submit-stall-cpu %.1f ms\n", submit_stall_cpu);
  g_print ("bench submit-pending %u orders\n", n_pending);
  g_print ("bench submit-at-sim %u orders\n", st.n_orders);
  g_print ("bench sync-latency %u ms a request\n", sync_latency);
  g_print ("bench sync-duration %.1f ms\n", sync_s * 1000);
  g_print ("bench sync-main-thread-cpu %.1f ms\n", sync_cpu * 1000);
  g_print ("bench sync-process-cpu %.1f ms (main thread, writer, simulator)\n",
           sync_process_cpu * 1000);
  g_print ("bench sync-checked %u orders\n", sync_report ? sync_report->n_checked : 0);
  g_print ("bench sync-stall %.1f ms\n", sync_stall);
  g_print ("bench sync-stall-cpu %.1f ms\n", sync_stall_cpu);
  if (!ok)
    g_printerr ("bench submit: %u of %u lines pending with distinct provider ids, "
                "%u orders at the simulator\n", n_pending, n_lines, st.n_orders);
  bench_cleanup (dir);
  return ok;
}

int
main (int argc, char **argv)
{
  guint n_lines;
  guint n_sends = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1000;
  g_autoptr(GArray) normal_ids = NULL;
  double normal_submit_ms, send_full_ms, send_normal_ms;
  g_autofree char *dir = bench_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "orders.db", NULL);
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(RelayCatalogRow) row = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RelayMassPlan) plan = NULL;
  g_autoptr(GArray) ids = NULL;
  RelayStore *store;
  gint64 provider_id;
  double t0, plan_ms, submit_ms, single_ms;

  if (argc > 1 && g_str_equal (argv[1], "submit"))
    return bench_submit (argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 10000,
                         argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 0) ? 0 : 1;
  n_lines = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  core = relay_core_new (db, NULL, &error);
  if (core == NULL)
    g_error ("%s", error->message);
  store = relay_core_get_store (core);
  provider_id = relay_store_add_provider (store, "bench", "https://panel.example/api/v2", "ref", &error);
  g_ptr_array_add (services, fake_service ());
  if (provider_id == 0 || !relay_store_replace_catalog (store, provider_id, services, NULL, &error))
    g_error ("%s", error ? error->message : "");
  row = relay_store_find_catalog_service (store, provider_id, "101", &error);
  if (row == NULL || !relay_store_map_service (store, 1, "likes", 400000, row->id, 0, FALSE, &error))
    g_error ("%s", error ? error->message : "");

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (text, "1 | https://www.instagram.com/p/post%u/ | %u\n", i, 100 + i % 900);

  g_print ("mass order of %u lines\n", n_lines);
  t0 = bench_now ();
  plan = relay_core_plan_mass_order (core, text->str, &error);
  plan_ms = (bench_now () - t0) * 1000;
  g_print ("  plan (parse + check every line):      %8.2f ms  (%u good, %u bad)\n",
           plan_ms, plan->n_good, plan->n_bad);

  t0 = bench_now ();
  ids = relay_core_submit_mass_order (core, plan, 0, &error);
  submit_ms = (bench_now () - t0) * 1000;
  if (ids == NULL)
    g_error ("%s", error->message);
  g_print ("  record all, one transaction:          %8.2f ms\n", submit_ms);

  /* The same with synchronous = NORMAL (what the book used before). */
  set_synchronous (store, "NORMAL");
  t0 = bench_now ();
  normal_ids = relay_core_submit_mass_order (core, plan, 0, &error);
  normal_submit_ms = (bench_now () - t0) * 1000;
  if (normal_ids == NULL)
    g_error ("%s", error->message);
  set_synchronous (store, "FULL");
  g_print ("    the same with synchronous=NORMAL:   %8.2f ms\n", normal_submit_ms);

  /* The send path, one commit per step: what FULL costs per order sent. */
  n_sends = MIN (n_sends, ids->len / 2);
  send_full_ms = send_path (store, ids, 0, n_sends, row->id);
  set_synchronous (store, "NORMAL");
  send_normal_ms = send_path (store, ids, n_sends, n_sends, row->id);
  set_synchronous (store, "FULL");
  g_print ("  send path of %u orders (queued -> sending -> pending, 2 commits each):\n", n_sends);
  g_print ("    synchronous=FULL:                   %8.2f ms  (%.3f ms an order)\n",
           send_full_ms, send_full_ms / MAX (n_sends, 1));
  g_print ("    synchronous=NORMAL:                 %8.2f ms  (%.3f ms an order)\n",
           send_normal_ms, send_normal_ms / MAX (n_sends, 1));
  g_print ("    cost of FULL:                       %+8.3f ms an order\n",
           (send_full_ms - send_normal_ms) / MAX (n_sends, 1));

  /* Baseline: one transaction per order, as a naive loop would do. */
  t0 = bench_now ();
  for (guint i = 0; i < plan->items->len; i++)
    {
      RelayMassItem *item = g_ptr_array_index (plan->items, i);
      RelayOrderDraft draft = { .service_id = 1, .link = item->line->link,
                                .quantity = item->line->quantity };
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      g_autoptr(GArray) id = NULL;

      g_ptr_array_add (one, &draft);
      id = relay_store_insert_orders (store, one, "bench", &error);
      if (id == NULL)
        g_error ("%s", error->message);
    }
  single_ms = (bench_now () - t0) * 1000;
  g_print ("  baseline, one transaction per order:  %8.2f ms\n", single_ms);
  g_print ("  ratio: one transaction is %.1fx faster\n", single_ms / MAX (submit_ms, 0.001));

  g_clear_object (&core);
  bench_cleanup (dir);
  return 0;
}
