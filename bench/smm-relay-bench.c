/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-bench: every row of the performance table (issue 10), one line
 * each — `NAME: FIGURE (target T; baseline B, ratio R) PASS|MISS` — then a
 * summary line; exits 0 only when every row passes.
 *
 *   smm-relay-bench [--orders N] [--skip-window] [--only ROW,ROW...] [--repeat N]
 *
 * --only runs the rows named (refresh parse submit first-rows filter sort
 * search memory stall-sync stall-paste stall-catalog report; the engine rows
 * always run, since the stall rows use their book, but the refresh's
 * one-request-per-order baseline only for `refresh`).  Each window row runs
 * three times and its figure is the median (each run is echoed on stderr):
 * the machines are shared, and one run's figure moves with what else ran
 * that second (the stall rows by 5-10 ms); --repeat N changes the count.
 *
 * The engine rows run here against the simulator in a thread of its own (a
 * panel is another machine).  The window rows run the real `smm-relay` under
 * the display it is given (build-aux/run-bench.sh uses xvfb-run) with
 * SMM_RELAY_BENCH=<scenario>: the app measures itself and prints
 * `bench NAME VALUE UNIT` on stderr.  Their baseline, a GtkFilterListModel /
 * GtkSortListModel over a GListStore of every row, runs in a child of this
 * program (`--list-baseline BOOK`) so that its memory is its own.  The big
 * book is generated once and cached next to this program. */
#include "bench-book.h"
#include "bench-common.h"

#include "relay-dispatcher.h"
#include "relay-money.h"
#include "relay-sim.h"
#include "relay-sync.h"

#include <gtk/gtk.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/resource.h>

#define N_LINES 10000
#define SYNC_LATENCY_MS 20
#define CATALOG_SERVICES 1000
#define APP_TIMEOUT_S 240

/* ---- rows --------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *unit;
  gboolean    at_least;     /* the target is a floor (orders/s), not a ceiling */
  double      target;
  double      min_ratio;    /* 0: no ratio target */
  double      figure;       /* NAN: not measured */
  double      baseline;     /* NAN: none */
  char       *why;          /* a MISS's reason, or a note */
  const char *key;          /* its name for --only */
} Row;

static GPtrArray *rows;
/* --only: the keys of the rows to run (NULL: all); --repeat: runs of each
 * window row (its figure is their median; each run is echoed on stderr). */
static char **only;
static guint repeat = 3;

static gboolean
wanted (const char *key)
{
  return only == NULL || g_strv_contains ((const char * const *) only, key);
}

static Row *
row_new (const char *key, const char *name, const char *unit, gboolean at_least, double target,
         double min_ratio)
{
  Row *row = g_new0 (Row, 1);

  row->key = key;
  row->name = name;
  row->unit = unit;
  row->at_least = at_least;
  row->target = target;
  row->min_ratio = min_ratio;
  row->figure = NAN;
  row->baseline = NAN;
  g_ptr_array_add (rows, row);
  return row;
}

static void
row_fail (Row *row, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
row_fail (Row *row, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_free (row->why);
  row->why = g_strdup_vprintf (format, args);
  va_end (args);
}

static double
row_ratio (const Row *row)
{
  if (isnan (row->baseline) || isnan (row->figure) || row->figure <= 0)
    return NAN;
  return row->at_least ? row->figure / row->baseline : row->baseline / row->figure;
}

static gboolean
row_passes (const Row *row)
{
  double ratio = row_ratio (row);

  if (isnan (row->figure) || row->why != NULL)
    return FALSE;
  if (row->at_least ? row->figure < row->target : row->figure > row->target)
    return FALSE;
  return row->min_ratio <= 0 || (!isnan (ratio) && ratio >= row->min_ratio);
}

static char *
format_value (double value, const char *unit)
{
  if (isnan (value))
    return g_strdup ("-");
  if (fabs (value) >= 100)
    return g_strdup_printf ("%.0f %s", value, unit);
  if (fabs (value) >= 10)
    return g_strdup_printf ("%.1f %s", value, unit);
  return g_strdup_printf ("%.2f %s", value, unit);
}

static void
row_print (const Row *row)
{
  g_autofree char *figure = format_value (row->figure, row->unit);
  g_autofree char *target = format_value (row->target, row->unit);
  g_autofree char *baseline = format_value (row->baseline, row->unit);
  g_autofree char *ratio_target = row->min_ratio > 0 ? g_strdup_printf (", ratio >= %.0fx", row->min_ratio)
                                                     : g_strdup ("");
  double ratio = row_ratio (row);
  g_autofree char *ratio_text = isnan (ratio) ? g_strdup ("-") : g_strdup_printf ("%.1fx", ratio);
  gboolean pass = row_passes (row);

  g_print ("%s: %s (target %s %s%s; baseline %s, ratio %s) %s%s%s\n", row->name, figure,
           row->at_least ? ">=" : "<=", target, ratio_target, baseline, ratio_text,
           pass ? "PASS" : "MISS", row->why ? " - " : "", row->why ? row->why : "");
}

/* ---- the simulator, in a thread of its own ------------------------------ */

typedef struct
{
  GMutex        lock;
  GCond         cond;
  GMainContext *context;
  GMainLoop    *loop;
  RelaySim     *sim;
  char         *url;
} SimThread;

static gpointer
sim_thread (gpointer data)
{
  SimThread *st = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  RelaySim *sim;

  g_main_context_push_thread_default (context);
  sim = relay_sim_new ();
  relay_sim_set_seed (sim, 7);
  relay_sim_set_balance (sim, 100000000 * RELAY_MICRO);
  if (!relay_sim_listen (sim, 0, &error))
    g_error ("%s", error->message);
  g_mutex_lock (&st->lock);
  st->context = context;
  st->loop = g_main_loop_new (context, FALSE);
  st->sim = sim;
  st->url = relay_sim_dup_url (sim);
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);
  g_main_loop_run (st->loop);
  g_object_unref (sim);
  g_main_context_pop_thread_default (context);
  return NULL;
}

typedef struct
{
  SimThread *st;
  guint      latency;
  guint      extra;
  guint      n_orders;
  gboolean   done;
} SimCall;

static gboolean
sim_call_cb (gpointer data)
{
  SimCall *call = data;

  g_mutex_lock (&call->st->lock);
  relay_sim_set_latency (call->st->sim, call->latency, call->latency);
  if (call->extra > 0)
    relay_sim_set_extra_services (call->st->sim, call->extra);
  call->n_orders = relay_sim_get_n_orders (call->st->sim);
  call->done = TRUE;
  g_cond_signal (&call->st->cond);
  g_mutex_unlock (&call->st->lock);
  return G_SOURCE_REMOVE;
}

/* Sets the latency (and extra services) in the simulator's thread; returns
 * the orders it holds. */
static guint
sim_set (SimThread *st, guint latency, guint extra)
{
  SimCall call = { st, latency, extra, 0, FALSE };

  g_main_context_invoke (st->context, sim_call_cb, &call);
  g_mutex_lock (&st->lock);
  while (!call.done)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);
  return call.n_orders;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* ---- engine rows -------------------------------------------------------- */

static gboolean done;

static void
services_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GPtrArray) changes = relay_core_sync_services_finish (RELAY_CORE (source), result,
                                                                  user_data);
  done = TRUE;
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree RelayDispatchReport *report =
    relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, NULL);

  *(guint *) user_data = report != NULL ? report->n_sent : 0;
  done = TRUE;
}

static void
sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(RelaySyncReport **) user_data = relay_sync_run_finish (RELAY_SYNC (source), result, NULL);
  done = TRUE;
}

/* Pending orders, and whether each has its own provider id. */
static guint
count_pending_once (RelayStore *store, guint *n_all)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  if (sqlite3_prepare_v2 (relay_store_get_db (store),
                          "SELECT count(*), count(DISTINCT provider_order_id), "
                          "(SELECT count(*) FROM orders) FROM orders WHERE status = 'pending'",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (relay_store_get_db (store)));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      n = sqlite3_column_int (stmt, 0);
      if (sqlite3_column_int (stmt, 1) != (int) n)
        n = 0;
      *n_all = sqlite3_column_int (stmt, 2);
    }
  sqlite3_finalize (stmt);
  return n;
}

/* The one-request-per-order baseline: every active order asked about through
 * the same client, fed as answers come (the client refuses beyond its
 * waiting bound, as it should). */
typedef struct
{
  RelayProviderClient *client;
  GPtrArray           *active;
  guint                next;
  guint                pending;
  guint                n_failed;
} Poller;

static void poll_more (Poller *poller);

static void
one_status_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Poller *poller = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderStatus) status =
    relay_provider_client_status_finish (RELAY_PROVIDER_CLIENT (source), result, &error);

  if (status == NULL)
    poller->n_failed++;
  poller->pending--;
  poll_more (poller);
  if (poller->pending == 0 && poller->next == poller->active->len)
    done = TRUE;
}

static void
poll_more (Poller *poller)
{
  while (poller->pending < 512 && poller->next < poller->active->len)
    {
      RelayOrderRow *row = g_ptr_array_index (poller->active, poller->next++);

      poller->pending++;
      relay_provider_client_status_async (poller->client, row->provider_order_id, NULL,
                                          one_status_done, poller);
    }
}

static double
minimum (const double *values, guint n)
{
  double least = values[0];

  for (guint i = 1; i < n; i++)
    least = MIN (least, values[i]);
  return least;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median of @values (sorted in place). */
static double
median (double *values, guint n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

typedef struct
{
  SimThread  sim;
  char      *dir;       /* the engine rows' book and keys */
  char      *db;
  char      *paste;     /* the 10,000-line paste, as a file */
} Engine;

static void
engine_rows (Engine *engine, Row *parse_row, Row *submit_row, Row *sync_row)
{
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RelayMassPlan) plan = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  RelayCatalogRow *service;
  RelayStore *store;
  Poller poller = { 0 };
  double plan_ms[21], t0, submit_s;
  guint n_sent = 0, n_pending, n_all = 0, at_sim, rounds = 0;
  gint64 provider_id;

  core = relay_core_new (engine->db, NULL, &error);
  if (core == NULL)
    g_error ("%s", error->message);
  store = relay_core_get_store (core);
  provider_id = relay_core_add_provider (core, "bench", engine->sim.url, "demo-key", &error);
  if (provider_id == 0)
    g_error ("%s", error->message);
  done = FALSE;
  relay_core_sync_services_async (core, provider_id, NULL, services_done, NULL);
  bench_wait (&done);
  catalog = relay_store_list_catalog (store, provider_id, "Instagram Likes", FALSE, &error);
  service = catalog != NULL && catalog->len > 0 ? g_ptr_array_index (catalog, 0) : NULL;
  if (service == NULL ||
      !relay_core_map_service (core, 1, "likes", service->rate * 2, provider_id,
                               service->service_id, 0, NULL, FALSE, &error))
    g_error ("no Instagram Likes service to map: %s", error ? error->message : "");

  for (guint i = 0; i < N_LINES; i++)
    g_string_append_printf (text, "1 | https://www.instagram.com/p/Bench%u/ | %" G_GINT64_FORMAT "\n",
                            i, MAX (service->min, 1000) + i % 100);
  if (!g_file_set_contents (engine->paste, text->str, text->len, &error))
    g_error ("%s", error->message);

  /* Parse + validate: the best of 21 (the least disturbed by the other
   * processes of a shared machine; the work is the same each time). */
  for (guint i = 0; i < G_N_ELEMENTS (plan_ms); i++)
    {
      g_clear_pointer (&plan, relay_mass_plan_free);
      t0 = bench_now ();
      plan = relay_core_plan_mass_order (core, text->str, &error);
      plan_ms[i] = (bench_now () - t0) * 1000;
      if (plan == NULL)
        g_error ("%s", error->message);
    }
  parse_row->figure = minimum (plan_ms, G_N_ELEMENTS (plan_ms));
  if (plan->n_good != N_LINES)
    row_fail (parse_row, "%u of %u lines good", plan->n_good, N_LINES);

  /* Submit: recorded, then sent until every one is pending. */
  t0 = bench_now ();
  ids = relay_core_submit_mass_order (core, plan, 0, &error);
  if (ids == NULL)
    g_error ("%s", error->message);
  for (guint sent = 0; sent < N_LINES && rounds < 50; rounds++)
    {
      done = FALSE;
      relay_dispatcher_run_async (relay_core_get_dispatcher (core), NULL, run_done, &n_sent);
      bench_wait (&done);
      if (n_sent == 0)
        break;
      sent += n_sent;
    }
  submit_s = bench_now () - t0;
  submit_row->figure = N_LINES / submit_s;
  n_pending = count_pending_once (store, &n_all);
  at_sim = sim_set (&engine->sim, 0, 0);
  if (n_pending != N_LINES || n_all != N_LINES || at_sim != N_LINES)
    row_fail (submit_row, "%u of %u lines pending with their own provider id, %u recorded, "
              "%u at the panel", n_pending, N_LINES, n_all, at_sim);

  /* Status refresh at 20 ms a request: batched, then one request per order. */
  sim_set (&engine->sim, SYNC_LATENCY_MS, 0);
  active = relay_store_list_active (store, &error);
  if (active == NULL)
    g_error ("%s", error->message);
  done = FALSE;
  t0 = bench_now ();
  relay_sync_run_async (relay_core_get_sync (core), NULL, sync_done, &report);
  bench_wait (&done);
  sync_row->figure = bench_now () - t0;
  if (report == NULL || report->n_requests == 0)
    row_fail (sync_row, "the sync failed");
  else if (active->len < N_LINES)
    row_fail (sync_row, "only %u active orders", active->len);

  if (!wanted ("refresh"))
    return;
  poller.client = relay_core_get_client (core, provider_id, &error);
  poller.active = active;
  done = active->len == 0;
  t0 = bench_now ();
  poll_more (&poller);
  bench_wait (&done);
  sync_row->baseline = bench_now () - t0;
  if (poller.n_failed > 0)
    row_fail (sync_row, "%u of the baseline's requests failed", poller.n_failed);
  g_printerr ("  parse %.2f ms; submit %.0f orders/s; sync %.3f s (%u requests), "
              "baseline %.1f s (%u requests)\n", parse_row->figure, submit_row->figure,
              sync_row->figure, report ? report->n_requests : 0, sync_row->baseline, active->len);
}

/* ---- the app's own timings ---------------------------------------------- */

static char *build_root;

typedef struct
{
  GHashTable  *values;   /* name -> double * */
  char        *error;
  gboolean     finished;
  GSubprocess *process;
  guint        timeout_id;
  gboolean     timed_out;
} AppRun;

static void
app_run_clear (AppRun *run)
{
  g_clear_pointer (&run->values, g_hash_table_unref);
  g_clear_pointer (&run->error, g_free);
}

static void
app_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AppRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, &err, &error))
    run->error = g_strdup (error->message);
  lines = g_strsplit (err ? err : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;

      if (g_str_has_prefix (lines[i], "bench-error"))
        {
          g_free (run->error);
          run->error = g_strdup (lines[i]);
          continue;
        }
      if (!g_str_has_prefix (lines[i], "bench "))
        {
          /* SMM_RELAY_BENCH_GAPS: the app's gaps (and their stacks) go on. */
          if (g_getenv ("SMM_RELAY_BENCH_GAPS") != NULL && lines[i][0] != '\0')
            g_printerr ("  | %s\n", lines[i]);
          continue;
        }
      words = g_strsplit (lines[i], " ", 4);
      if (g_strv_length (words) >= 3 && g_str_equal (words[2], "error"))
        {
          g_free (run->error);
          run->error = g_strdup (lines[i] + strlen ("bench "));
        }
      else if (g_strv_length (words) >= 3)
        {
          double *value = g_new (double, 1);

          *value = g_ascii_strtod (words[2], NULL);
          g_hash_table_replace (run->values, g_strdup (words[1]), value);
        }
    }
  if (run->error == NULL && g_subprocess_get_if_exited (G_SUBPROCESS (source)) &&
      g_subprocess_get_exit_status (G_SUBPROCESS (source)) != 0)
    {
      const char *last = "";

      for (guint i = 0; lines[i] != NULL; i++)
        if (*g_strstrip (lines[i]) != '\0')
          last = lines[i];
      run->error = g_strdup_printf ("smm-relay exited with %d: %.200s",
                                    g_subprocess_get_exit_status (G_SUBPROCESS (source)), last);
    }
  run->finished = TRUE;
}

static gboolean
app_timeout (gpointer data)
{
  AppRun *run = data;

  run->timeout_id = 0;
  run->timed_out = TRUE;
  g_subprocess_force_exit (run->process);
  return G_SOURCE_REMOVE;
}

/* Runs `smm-relay` with SMM_RELAY_BENCH=@scenario on @db, running this
 * thread's main loop meanwhile; the figures it printed, or NULL with a
 * reason in @why. */
static GHashTable *
app_run (const char *scenario, const char *db, const char * const *extra_env, char **why)
{
  g_autofree char *app = g_build_filename (build_root, "src", "app", "smm-relay", NULL);
  g_autofree char *home = g_build_filename (build_root, "bench", "home", NULL);
  g_autofree char *schemas = g_build_filename (build_root, "data", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  AppRun run = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free), NULL, FALSE,
                 NULL, 0, FALSE };

  if (!g_file_test (app, G_FILE_TEST_IS_EXECUTABLE))
    {
      *why = g_strdup_printf ("%s not built (meson -Dgui)", app);
      app_run_clear (&run);
      return NULL;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      *why = g_strdup ("no display (run under xvfb-run -a, as build-aux/run-bench.sh does)");
      app_run_clear (&run);
      return NULL;
    }
  g_mkdir_with_parents (home, 0700);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "SMM_RELAY_BENCH", scenario, TRUE);
  g_subprocess_launcher_setenv (launcher, "SMM_RELAY_DB", db, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  /* The API keys in a file, not a keyring: the rows time the book and the
   * window, whatever keyring service the run's session bus could start. */
  g_subprocess_launcher_setenv (launcher, "SMM_RELAY_KEYS", g_getenv ("SMM_RELAY_KEYS"), TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", FALSE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, app, NULL);
  if (process == NULL)
    {
      *why = g_strdup (error->message);
      app_run_clear (&run);
      return NULL;
    }
  run.process = process;
  run.timeout_id = g_timeout_add_seconds (APP_TIMEOUT_S, app_timeout, &run);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, app_exited, &run);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);
  if (run.timeout_id != 0)
    g_source_remove (run.timeout_id);
  if (run.timed_out && g_hash_table_lookup (run.values, scenario) == NULL)
    {
      g_free (run.error);
      run.error = g_strdup_printf ("smm-relay gave no figure within %d s", APP_TIMEOUT_S);
    }
  if (run.error != NULL || g_hash_table_size (run.values) == 0)
    {
      *why = run.error ? g_strdup (run.error)
                       : g_strdup_printf ("smm-relay printed no `bench` line for %s "
                                          "(SMM_RELAY_BENCH mode missing?)", scenario);
      app_run_clear (&run);
      return NULL;
    }
  return g_steal_pointer (&run.values);
}

/* Fills @row from the app's figure @name of @scenario. */
/* @also: more of the app's figures to echo on stderr (the parts of a row). */
/* The stall rows change their book (a refresh moves its orders on, a paste
 * adds 10,000): each run starts from a copy of it as the engine rows left
 * it, so that every run of a row times the same work.  Returns the copy's
 * path (next to @db). */
static char *
book_copy (const char *db)
{
  g_autofree char *copy = g_strconcat (db, ".run", NULL);
  char *sql;
  sqlite3 *conn = NULL;
  char *message = NULL;

  for (guint i = 0; i < 3; i++)
    {
      const char *suffix[] = { "", "-wal", "-shm" };
      g_autofree char *path = g_strconcat (copy, suffix[i], NULL);

      g_remove (path);
    }
  sql = sqlite3_mprintf ("VACUUM INTO %Q", copy);
  if (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_exec (conn, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("cannot copy %s: %s", db, message ? message : sqlite3_errmsg (conn));
  sqlite3_free (sql);
  sqlite3_close (conn);
  return g_steal_pointer (&copy);
}

static void
app_row_with (Row *row, const char *scenario, const char *name, const char *db,
              const char * const *extra_env, const char * const *also)
{
  g_autofree char *why = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (double));
  double *value;
  gboolean copy = g_str_has_prefix (scenario, "stall-");
  g_autofree char *run_db = NULL;

  if (!wanted (row->key))
    return;
  /* --repeat: every run but the last only gives its figure to the median. */
  for (guint i = 0; i + 1 < repeat; i++)
    {
      g_autoptr(GHashTable) earlier = NULL;

      g_free (run_db);
      run_db = copy ? book_copy (db) : g_strdup (db);
      earlier = app_run (scenario, run_db, extra_env, &why);

      value = earlier ? g_hash_table_lookup (earlier, name) : NULL;
      if (value == NULL)
        break;
      g_printerr ("  %s run %u: %.1f %s\n", name, i + 1, *value, row->unit);
      g_array_append_val (runs, *value);
    }
  g_clear_pointer (&why, g_free);
  g_free (run_db);
  run_db = copy ? book_copy (db) : g_strdup (db);
  values = app_run (scenario, run_db, extra_env, &why);
  if (values == NULL)
    {
      row_fail (row, "not measured: %s", why);
      return;
    }
  for (guint i = 0; also != NULL && also[i] != NULL; i++)
    {
      double *part = g_hash_table_lookup (values, also[i]);

      if (part == NULL)
        row_fail (row, "not measured: smm-relay printed no `bench %s` line", also[i]);
      else
        g_printerr ("  %s: %.1f %s\n", also[i], *part, row->unit);
    }
  if (row->why != NULL)
    return;
  {
    g_autofree char *at = g_strconcat (name, "-worst-at", NULL);
    double *worst_at = g_hash_table_lookup (values, at);

    if (worst_at != NULL)
      g_printerr ("  %s: %.0f ms into the measure\n", at, *worst_at);
  }
  value = g_hash_table_lookup (values, name);
  if (value == NULL)
    row_fail (row, "not measured: smm-relay printed no `bench %s` line", name);
  else if (runs->len == 0)
    row->figure = *value;
  else
    {
      g_printerr ("  %s run %u: %.1f %s\n", name, runs->len + 1, *value, row->unit);
      g_array_append_val (runs, *value);
      row->figure = median ((double *) runs->data, runs->len);
    }
}

static void
app_row (Row *row, const char *scenario, const char *name, const char *db,
         const char * const *extra_env)
{
  app_row_with (row, scenario, name, db, extra_env, NULL);
}

/* ---- the GListStore baseline (a child process) -------------------------- */

#define BENCH_TYPE_ITEM (bench_item_get_type ())
G_DECLARE_FINAL_TYPE (BenchItem, bench_item, BENCH, ITEM, GObject)

struct _BenchItem
{
  GObject        parent_instance;
  RelayOrderRow *row;
};

G_DEFINE_FINAL_TYPE (BenchItem, bench_item, G_TYPE_OBJECT)

static void
bench_item_finalize (GObject *object)
{
  g_clear_pointer (&BENCH_ITEM (object)->row, relay_order_row_free);
  G_OBJECT_CLASS (bench_item_parent_class)->finalize (object);
}

static void
bench_item_class_init (BenchItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_item_finalize;
}

static void
bench_item_init (BenchItem *self)
{
}

/* The app's status filter "Active" (RELAY_ORDER_FILTER_ACTIVE). */
static gboolean
item_is_active (gpointer item, gpointer data)
{
  return BENCH_ITEM (item)->row->status <= RELAY_ORDER_IN_PROGRESS;
}

static gboolean
item_matches (gpointer item, gpointer data)
{
  const RelayOrderRow *row = BENCH_ITEM (item)->row;
  const char *text = data;

  return strstr (row->link, text) != NULL ||
         (row->client_name != NULL && strstr (row->client_name, text) != NULL) ||
         (row->service_name != NULL && strstr (row->service_name, text) != NULL) ||
         (row->provider_order_id != NULL && strstr (row->provider_order_id, text) != NULL);
}

static int
item_by_remains (gconstpointer a, gconstpointer b, gpointer data)
{
  gint64 ra = BENCH_ITEM ((gpointer) a)->row->remains;
  gint64 rb = BENCH_ITEM ((gpointer) b)->row->remains;

  return ra < rb ? 1 : ra > rb ? -1 : 0;
}

/* Loads every row of @db into a GListStore and times what a model over it
 * pays for a status filter, a sort and a search; prints `baseline NAME V`. */
static int
list_baseline (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = relay_store_open (db, &error);
  g_autoptr(GListStore) list = NULL;
  g_autoptr(GPtrArray) all = NULL;
  RelayOrderQuery query = { 0 };
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  gint64 n;
  double t0;

  if (store == NULL)
    g_error ("%s", error->message);
  t0 = bench_now ();
  n = relay_store_count_orders (store, &query, &error);
  all = relay_store_list_orders (store, &query, 0, n, &error);
  if (all == NULL)
    g_error ("%s", error->message);
  list = g_list_store_new (BENCH_TYPE_ITEM);
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_full (all->len, g_object_unref);
    gsize len = 0;
    RelayOrderRow **taken = (RelayOrderRow **) g_ptr_array_steal (all, &len);

    for (gsize i = 0; i < len; i++)
      {
        BenchItem *item = g_object_new (BENCH_TYPE_ITEM, NULL);

        item->row = taken[i];
        g_ptr_array_add (items, item);
      }
    g_free (taken);
    g_list_store_splice (list, 0, 0, items->pdata, items->len);
  }
  g_clear_object (&store);
  g_print ("baseline first-rows %.1f\n", (bench_now () - t0) * 1000);

  t0 = bench_now ();
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (list)),
                                        GTK_FILTER (gtk_custom_filter_new (item_is_active,
                                                                           NULL, NULL)));
  g_list_model_get_n_items (G_LIST_MODEL (filtered));
  g_print ("baseline filter %.1f\n", (bench_now () - t0) * 1000);
  g_object_unref (filtered);

  t0 = bench_now ();
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (list)),
                                    GTK_SORTER (gtk_custom_sorter_new (item_by_remains, NULL, NULL)));
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (sorted), 0));
  g_print ("baseline sort %.1f\n", (bench_now () - t0) * 1000);

  /* Scrolled to the middle of the sorted list: what it holds. */
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (sorted),
                                         g_list_model_get_n_items (G_LIST_MODEL (sorted)) / 2));
  g_print ("baseline memory %.0f\n", bench_rss_mib ());
  g_object_unref (sorted);

  /* The app's four searches (its bench mode: the middle order's longest
   * link piece, client, service, provider order id); the longest counts. */
  {
    g_autoptr(BenchItem) middle = g_list_model_get_item (G_LIST_MODEL (list),
                                                          g_list_model_get_n_items (G_LIST_MODEL (list)) / 2);
    g_auto(GStrv) pieces = g_strsplit (middle->row->link != NULL ? middle->row->link : "", "/", -1);
    const char *terms[4] = { "", middle->row->client_name, middle->row->service_name,
                             middle->row->provider_order_id };
    double longest = 0;

    for (guint i = 0; pieces[i] != NULL; i++)
      if (strlen (pieces[i]) > strlen (terms[0]))
        terms[0] = pieces[i];
    for (guint i = 0; i < G_N_ELEMENTS (terms); i++)
      {
        if (terms[i] == NULL || *terms[i] == '\0')
          continue;
        t0 = bench_now ();
        filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (list)),
                                              GTK_FILTER (gtk_custom_filter_new (item_matches,
                                                                                 (gpointer) terms[i], NULL)));
        g_list_model_get_n_items (G_LIST_MODEL (filtered));
        longest = MAX (longest, (bench_now () - t0) * 1000);
        g_object_unref (filtered);
      }
    g_print ("baseline search %.1f\n", longest);
  }
  return 0;
}

static GHashTable *
run_list_baseline (const char *self_exe, const char *db, char **why)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GSubprocess) process =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_exe, "--list-baseline", db, NULL);
  GHashTable *values;

  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    {
      *why = g_strdup (error->message);
      return NULL;
    }
  if (!g_subprocess_get_successful (process))
    {
      *why = g_strdup ("the GListStore baseline failed");
      return NULL;
    }
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (lines[i], " ", 3);

      if (g_strv_length (words) == 3 && g_str_equal (words[0], "baseline"))
        {
          double *value = g_new (double, 1);

          *value = g_ascii_strtod (words[2], NULL);
          g_hash_table_replace (values, g_strdup (words[1]), value);
        }
    }
  return values;
}

static void
set_baseline (Row *row, GHashTable *baseline, const char *name)
{
  double *value = baseline ? g_hash_table_lookup (baseline, name) : NULL;

  if (value != NULL)
    row->baseline = *value;
}

/* ---- the 30-day report -------------------------------------------------- */

static void
report_row (Row *row, const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = relay_store_open (db, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  double ms[3];
  gint64 from, to;

  if (store == NULL)
    {
      row_fail (row, "%s", error->message);
      return;
    }
  relay_report_period_range (RELAY_REPORT_PERIOD_30_DAYS, now, &from, &to);
  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    {
      double t0 = bench_now ();
      RelayReport *report = relay_store_report (store, from, to, RELAY_REPORT_BY_CLIENT, &error);

      ms[i] = (bench_now () - t0) * 1000;
      if (report == NULL)
        {
          row_fail (row, "%s", error->message);
          return;
        }
      if (report->orders == 0)
        row_fail (row, "the report found no order in the last 30 days");
      relay_report_free (report);
    }
  row->figure = minimum (ms, G_N_ELEMENTS (ms));
}

/* ---- main --------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  guint n_orders = 1000000;
  gboolean skip_window = FALSE;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bench_dir = g_path_get_dirname (self_exe);
  g_autofree char *cache_dir = g_build_filename (bench_dir, "cache", NULL);
  g_autofree char *book = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) baseline = NULL;
  g_autofree char *baseline_why = NULL;
  Engine engine = { 0 };
  GThread *thread;
  struct rlimit limit;
  Row *sync_row, *parse_row, *submit_row, *first_row, *filter_row, *sort_row, *search_row;
  Row *memory_row, *stall_sync, *stall_paste, *stall_catalog, *report;
  guint n_pass = 0, n_rows = 0;

  if (argc == 3 && g_str_equal (argv[1], "--list-baseline"))
    return list_baseline (argv[2]);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--orders") && i + 1 < argc)
        n_orders = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--skip-window"))
        skip_window = TRUE;
      else if (g_str_equal (argv[i], "--only") && i + 1 < argc)
        only = g_strsplit (argv[++i], ",", -1);
      else if (g_str_equal (argv[i], "--repeat") && i + 1 < argc)
        {
          repeat = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
          repeat = MAX (repeat, 1);
        }
      else
        {
          g_printerr ("usage: smm-relay-bench [--orders N] [--skip-window] [--only ROW,ROW...] "
                      "[--repeat N]\n"
                      "  rows: refresh parse submit first-rows filter sort search memory "
                      "stall-sync stall-paste stall-catalog report\n");
          return 2;
        }
    }
  build_root = g_path_get_dirname (bench_dir);
  /* The books this run makes and the apps it starts keep their API keys in
   * one file, never in a desktop keyring (see app_run). */
  {
    g_autofree char *home = g_build_filename (build_root, "bench", "home", NULL);
    g_autofree char *keys = g_build_filename (home, "keys", NULL);

    g_mkdir_with_parents (home, 0700);
    g_setenv ("SMM_RELAY_KEYS", keys, TRUE);
  }
  /* The simulator shares this process: give it every descriptor allowed. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }

  rows = g_ptr_array_new ();
  sync_row = row_new ("refresh", "status refresh of 10,000 active orders, 20 ms a request", "s", FALSE, 0.6, 50);
  parse_row = row_new ("parse", "parse + validate a 10,000-line paste", "ms", FALSE, 10, 0);
  submit_row = row_new ("submit", "submit 10,000 lines until every one is sent", "orders/s", TRUE, 1000, 0);
  first_row = row_new ("first-rows", "first rows of the big book from process start", "ms", FALSE, 1000, 0);
  filter_row = row_new ("filter", "status filter on the big book", "ms", FALSE, 50, 0);
  sort_row = row_new ("sort", "sort by a column on the big book", "ms", FALSE, 50, 0);
  search_row = row_new ("search", "search on the big book (slowest of link, client, service, provider id)", "ms", FALSE, 50, 0);
  memory_row = row_new ("memory", "resident memory, big book scrolled to the middle", "MB", FALSE, 150, 0);
  stall_sync = row_new ("stall-sync", "longest main-loop stall, 10,000-order sync", "ms", FALSE, 16, 0);
  stall_paste = row_new ("stall-paste", "longest main-loop stall, 10,000-line paste preview + submit", "ms", FALSE, 16, 0);
  stall_catalog = row_new ("stall-catalog", "longest main-loop stall, 1,000-service catalog sync", "ms", FALSE, 16, 0);
  report = row_new ("report", "30-day report over the big book", "ms", FALSE, 300, 0);

  /* The engine rows, then the stall rows on the same book and simulator. */
  engine.dir = bench_tmpdir ();
  engine.db = g_build_filename (engine.dir, "orders.db", NULL);
  engine.paste = g_build_filename (engine.dir, "paste.txt", NULL);
  g_mutex_init (&engine.sim.lock);
  g_cond_init (&engine.sim.cond);
  thread = g_thread_new ("bench-sim", sim_thread, &engine.sim);
  g_mutex_lock (&engine.sim.lock);
  while (engine.sim.url == NULL)
    g_cond_wait (&engine.sim.cond, &engine.sim.lock);
  g_mutex_unlock (&engine.sim.lock);

  g_printerr ("engine rows (simulator at %s) ...\n", engine.sim.url);
  engine_rows (&engine, parse_row, submit_row, sync_row);

  if (!skip_window)
    {
      const char *paste_env[] = { "SMM_RELAY_BENCH_PASTE", engine.paste, NULL };

      g_printerr ("stall rows (the real smm-relay) ...\n");
      sim_set (&engine.sim, SYNC_LATENCY_MS, 0);
      {
        /* The row is the window's start-up refresh, from its start; the
         * window's first frames before it and its length are echoed. */
        const char *startup[] = { "stall-sync-startup", "stall-sync-duration", NULL };

        app_row_with (stall_sync, "stall-sync", "stall-sync", engine.db, NULL, startup);
      }
      sim_set (&engine.sim, 0, 0);
      {
        /* The page's first frames come before the paste (a user opens the
         * page first) and are echoed apart, with the row's two parts. */
        const char *parts[] = { "stall-paste-page", "stall-paste-preview", "stall-paste-submit", NULL };

        app_row_with (stall_paste, "stall-paste", "stall-paste", engine.db, paste_env, parts);
      }
      sim_set (&engine.sim, 0, CATALOG_SERVICES);
      app_row (stall_catalog, "stall-catalog", "stall-catalog", engine.db, NULL);
    }
  g_main_context_invoke (engine.sim.context, quit_loop, engine.sim.loop);
  g_thread_join (thread);

  /* The big book: the report, the window and its baseline. */
  if (!wanted ("report") && !wanted ("first-rows") && !wanted ("filter") && !wanted ("sort") &&
      !wanted ("search") && !wanted ("memory"))
    goto print;
  book = bench_book_ensure (cache_dir, n_orders, &error);
  if (book == NULL)
    g_error ("%s", error->message);
  g_printerr ("report row on %s ...\n", book);
  if (wanted ("report"))
    report_row (report, book);
  if (!skip_window)
    {
      g_printerr ("window rows (the real smm-relay) ...\n");
      app_row (first_row, "first-rows", "first-rows", book, NULL);
      app_row (filter_row, "filter", "filter", book, NULL);
      app_row (sort_row, "sort", "sort", book, NULL);
      {
        /* No term forced: the app searches for the middle order's link piece,
         * client, service and provider order id; the row is the longest. */
        const char *kinds[] = { "search-link", "search-client", "search-service",
                                "search-provider-id", NULL };

        app_row_with (search_row, "search", "search", book, NULL, kinds);
      }
      app_row (memory_row, "memory", "memory", book, NULL);
      if (wanted ("filter") || wanted ("sort") || wanted ("search") || wanted ("memory"))
        {
          g_printerr ("GListStore baseline ...\n");
          baseline = run_list_baseline (self_exe, book, &baseline_why);
          if (baseline == NULL)
            g_printerr ("  baseline failed: %s\n", baseline_why);
        }
      set_baseline (filter_row, baseline, "filter");
      set_baseline (sort_row, baseline, "sort");
      set_baseline (search_row, baseline, "search");
      set_baseline (memory_row, baseline, "memory");
    }
  else
    {
      Row *window[] = { first_row, filter_row, sort_row, search_row, memory_row, stall_sync,
                        stall_paste, stall_catalog };

      for (guint i = 0; i < G_N_ELEMENTS (window); i++)
        row_fail (window[i], "not measured: --skip-window");
    }

print:
  g_print ("\n");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);

      if (!wanted (row->key))
        continue;
      row_print (row);
      n_pass += row_passes (row);
      n_rows++;
    }
  g_print ("%u rows: %u PASS, %u MISS\n", n_rows, n_pass, n_rows - n_pass);

  bench_cleanup (engine.dir);
  g_strfreev (only);
  return n_pass == n_rows ? 0 : 1;
}
