/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's timing mode (SMM_RELAY_BENCH=SCENARIO): the real window, on the
 * real book, measures what a user feels and prints `bench NAME VALUE UNIT`
 * lines on stderr, then quits (exit 1 after `bench SCENARIO error TEXT`).
 *
 *   first-rows   ms from process start (/proc/self/stat) to the first frame
 *                painted with rows of the orders table (every scenario prints it)
 *   filter       ms from choosing the Active filter to the frame showing its rows
 *   sort         ms from sorting by Remains (as a header click) to its rows shown
 *   search       ms from the text set in the search entry (applied at once) to the found rows shown,
 *                for $SMM_RELAY_BENCH_SEARCH, else for the middle order's link
 *                segment, client, service and provider order id (search-link, …;
 *                `search` is the longest); NAME-counted: until every match is
 *                counted too (off the main loop for a search matching much of the book)
 *   memory       VmRSS in MiB once the table is scrolled to the middle and shown
 *   stall-sync   longest gap of a 1 ms main-loop timer while the refresh the window
 *                starts with (status of every active order, due orders sent) runs,
 *                from its start (the application starts it once the window has
 *                shown itself); stall-sync-startup: the longest gap from the first
 *                rows until then (the window's first frames), printed for the record
 *   stall-paste  the same while $SMM_RELAY_BENCH_PASTE is pasted into Mass Order,
 *                previewed, submitted (confirmed) and every line sent
 *   stall-catalog the same while a provider's catalog syncs
 *                ($SMM_RELAY_BENCH_PROVIDER, else the first provider)
 *   (each stall also prints NAME-worst-at, ms from the start of the measure
 *   to its longest gap; with $SMM_RELAY_BENCH_GAPS set, every gap over 8 ms
 *   is written on stderr as it ends)
 *
 * A frame counts once it is painted: the end of the frame clock's paint after
 * the change, with a row of the table mapped and the table's query the one
 * asked for. */
#include "config.h"

#include <execinfo.h>
#include <glib/gi18n.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "relay-bench-mode.h"
#include "relay-mass-order-page.h"

#define BENCH_TIMEOUT_S 600

typedef struct _Bench Bench;
typedef void (*BenchStep) (Bench *b);

typedef enum {
  WAIT_NONE,
  WAIT_ROWS,          /* measure at the first painted frame with the query's rows */
} WaitKind;

struct _Bench
{
  RelayApplication *app;
  RelayWindow      *window;
  RelayOrdersPage  *page;
  char             *scenario;

  /* The measurement waiting for a painted frame. */
  WaitKind          wait;
  char             *wait_name;      /* NULL: not printed */
  gint64            wait_t0;        /* monotonic µs; 0 for the process start */
  gint64            wait_cpu0;      /* the main thread's CPU time then, µs */
  RelayOrderQuery   wait_query;     /* what the table must show */
  char             *wait_search;
  BenchStep         then;

  /* The 1 ms timer. */
  guint             tick_id;
  gint64            last_tick;
  gint64            max_gap;
  gint64            max_gap_at;     /* when it began */
  gint64            stall_t0;
  gboolean          paste_sending;  /* Send activated, the page not done yet */
  gboolean          log_gaps;       /* $SMM_RELAY_BENCH_GAPS: each gap > 8 ms on stderr */

  /* search */
  GPtrArray        *terms;          /* "name\ttext" */
  guint             term;
  double            search_max;
  char             *search_name;    /* the search shown, until counted */
  gint64            search_t0;
  gulong            counted_id;

  /* stall-paste / stall-sync */
  guint             poll_id;
  gint64            phase_t0;
  gint64            quiet_t0;
  gboolean          seen_syncing;
  gint64            done_at;        /* monotonic µs the scenario's work was seen done */
  gint64            n_sent;         /* stall-paste: the orders the paste made */
  gint64            n_orders_before;
  guint             n_lines;
  double            preview_max;
  gint64            preview_frame;  /* Submit after this frame is painted */
  char             *paste_text;
  RelayMassOrderPage *mass_page;
};

static Bench *bench;

gboolean
relay_bench_mode_wanted (void)
{
  const char *scenario = g_getenv ("SMM_RELAY_BENCH");

  return scenario != NULL && *scenario != '\0';
}

static void
print_figure (const char *name,
              double      value,
              const char *unit)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_printerr ("bench %s %s %s\n", name, g_ascii_formatd (buffer, sizeof buffer, "%.1f", value), unit);
}

G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN static void
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("bench %s error %s\n", bench != NULL ? bench->scenario : "?", message);
  exit (1);
}

static void
finish (Bench *b)
{
  g_application_quit (G_APPLICATION (b->app));
}

/* Milliseconds since this process started, from its start time in
 * /proc/self/stat (clock ticks after boot) and CLOCK_BOOTTIME. */
static double
ms_since_process_start (void)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  struct timespec now;
  const char *end;
  guint64 start_ticks;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      (end = strrchr (stat, ')')) == NULL)
    fail ("cannot read /proc/self/stat");
  /* After "pid (comm)": field 3 (state) on; starttime is field 22. */
  fields = g_strsplit (end + 2, " ", -1);
  if (g_strv_length (fields) < 20 ||
      !g_ascii_string_to_unsigned (fields[19], 10, 0, G_MAXUINT64, &start_ticks, NULL))
    fail ("cannot parse /proc/self/stat");
  clock_gettime (CLOCK_BOOTTIME, &now);
  return (now.tv_sec * 1000.0 + now.tv_nsec / 1e6) - start_ticks * 1000.0 / sysconf (_SC_CLK_TCK);
}

/* CPU time of this (the main) thread in µs: on a loaded machine the wall
 * time of a change is mostly waiting for a core; this is its own work. */
static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static double
resident_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;
  guint64 kib = 0;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL ||
      sscanf (line, "VmRSS: %" G_GUINT64_FORMAT, &kib) != 1)
    fail ("cannot read VmRSS");
  return kib / 1024.0;
}

/* ---- painted rows ---- */

static gboolean
has_mapped_row (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (g_strcmp0 (gtk_widget_get_css_name (child), "row") == 0 &&
          gtk_widget_get_height (child) > 0)
        return TRUE;
      if (has_mapped_row (child))
        return TRUE;
    }
  return FALSE;
}

static gboolean
query_shown (Bench *b)
{
  RelayOrderListModel *model = relay_orders_page_get_model (b->page);
  GtkListView *view = relay_orders_page_get_list_view (b->page);
  const RelayOrderQuery *query;

  if (model == NULL || view == NULL || !gtk_widget_get_mapped (GTK_WIDGET (view)))
    return FALSE;
  query = relay_order_list_model_get_query (model);
  if (query->filter != b->wait_query.filter || query->sort != b->wait_query.sort ||
      query->ascending != b->wait_query.ascending ||
      g_strcmp0 (query->search, b->wait_search) != 0)
    return FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return TRUE;  /* the frame shows that nothing matches */
  return has_mapped_row (GTK_WIDGET (view));
}

static gboolean
run_then (gpointer data)
{
  Bench *b = data;
  BenchStep step = b->then;

  b->then = NULL;
  if (step != NULL)
    step (b);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *b)
{
  double ms;

  if (b->wait == WAIT_NONE || !query_shown (b))
    return;
  ms = b->wait_t0 == 0 ? ms_since_process_start ()
                       : (g_get_monotonic_time () - b->wait_t0) / 1000.0;
  if (b->wait_name != NULL)
    {
      g_autofree char *cpu = g_strconcat (b->wait_name, "-cpu", NULL);

      print_figure (b->wait_name, ms, "ms");
      if (b->wait_t0 != 0)
        print_figure (cpu, (thread_cpu_us () - b->wait_cpu0) / 1000.0, "ms");
    }
  if (b->terms != NULL && b->wait_name != NULL)
    b->search_max = MAX (b->search_max, ms);
  b->wait = WAIT_NONE;
  b->wait_cpu0 = 0;
  g_clear_pointer (&b->wait_name, g_free);
  /* Not inside the frame: the next step changes the table.  Not at idle
   * priority either: a window that animates on a slow renderer has a frame
   * due at every turn, and idles would never run. */
  g_idle_add_full (G_PRIORITY_DEFAULT, run_then, b, NULL);
}

/* Waits for the table to show its query's rows; @name (if any) is printed
 * with the time since @t0 (monotonic µs, 0 for the process start; for a
 * search, since the entry's search-changed). */
static void
wait_rows (Bench      *b,
           WaitKind    kind,
           const char *name,
           gint64      t0,
           BenchStep   then)
{
  const RelayOrderQuery *query = relay_order_list_model_get_query (relay_orders_page_get_model (b->page));

  b->wait_query = *query;
  b->wait_query.search = NULL;
  b->wait = kind;
  g_free (b->wait_name);
  b->wait_name = g_strdup (name);
  b->wait_t0 = t0;
  if (t0 != 0 && b->wait_cpu0 == 0)
    b->wait_cpu0 = thread_cpu_us ();
  b->then = then;
  gtk_widget_queue_draw (GTK_WIDGET (b->window));
}

/* ---- the stall sampler ($SMM_RELAY_BENCH_GAPS=stacks) ---- */

/* A thread watches the 1 ms timer: while a gap lasts over 10 ms, it stops
 * the main thread every 4 ms to write the main thread's stack on stderr
 * ("stack N ms into a gap", then one frame a line, as backtrace_symbols_fd
 * writes them) — what the main loop was doing instead of ticking.  Frames of
 * smm-relay itself come as offsets: bench/stall-stacks.py resolves them. */
static pthread_t sampler_main;
static gpointer sampler_tick;        /* the last tick, µs (atomic; 64-bit) */

static void
on_sample_signal (int signum)
{
  void *frames[48];
  int n = backtrace (frames, G_N_ELEMENTS (frames));

  backtrace_symbols_fd (frames, n, STDERR_FILENO);
  (void) write (STDERR_FILENO, "end\n", 4);
}

static gpointer
sampler_thread (gpointer data)
{
  gint64 sampled_gap = 0, last_sample = 0;

  for (;;)
    {
      gint64 tick = (gint64) (gintptr) g_atomic_pointer_get (&sampler_tick);
      gint64 now = g_get_monotonic_time ();

      g_usleep (1000);
      if (tick == 0 || now - tick < 10000)
        continue;
      if (sampled_gap == tick && now - last_sample < 4000)
        continue;
      sampled_gap = tick;
      last_sample = now;
      fprintf (stderr, "stack %.1f ms into a gap at %.0f ms from process start\n",
               (now - tick) / 1000.0, ms_since_process_start () - (now - tick) / 1000.0);
      pthread_kill (sampler_main, SIGPROF);
    }
  return NULL;
}

/* And the phases of every frame over 8 ms: when GTK's update, layout and
 * paint were over (these handlers run after GTK's own). */
static gint64 phase_t[4];

static void
on_phase (GdkFrameClock *clock, gpointer phase)
{
  guint i = GPOINTER_TO_UINT (phase);

  phase_t[i] = g_get_monotonic_time ();
  if (i == 3 && phase_t[0] != 0 && phase_t[3] - phase_t[0] > 8000)
    fprintf (stderr, "frame %.1f ms at %.0f ms from process start: update %.1f, layout %.1f, paint %.1f\n",
             (phase_t[3] - phase_t[0]) / 1000.0,
             ms_since_process_start () - (phase_t[3] - phase_t[0]) / 1000.0,
             (phase_t[1] - phase_t[0]) / 1000.0, (phase_t[2] - phase_t[1]) / 1000.0,
             (phase_t[3] - phase_t[2]) / 1000.0);
}

static void
phases_start (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  static const char *signals[] = { "before-paint", "update", "layout", "paint" };

  for (guint i = 0; clock != NULL && i < G_N_ELEMENTS (signals); i++)
    g_signal_connect_after (clock, signals[i], G_CALLBACK (on_phase), GUINT_TO_POINTER (i));
}

static void
sampler_start (void)
{
  static gsize started;
  void *warm[1];

  if (!g_once_init_enter (&started))
    return;
  /* backtrace() loads libgcc the first time: not in a signal handler. */
  backtrace (warm, 1);
  sampler_main = pthread_self ();
  signal (SIGPROF, on_sample_signal);
  g_thread_unref (g_thread_new ("bench-sampler", sampler_thread, NULL));
  g_once_init_leave (&started, 1);
}

/* ---- the 1 ms timer ---- */

/* The stall rows go on this long after the work they time is done: the
 * frames that show its end belong to it (the header's "Updated just now"
 * comes 500 ms after a refresh, the table's footer 20 ms later; its toasts
 * 150 ms after it, animated in for 200-300 ms). */
#define TAIL_MS 700

static gboolean
on_tick (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();

  if (b->last_tick != 0 && now - b->last_tick > b->max_gap)
    {
      b->max_gap = now - b->last_tick;
      b->max_gap_at = b->last_tick;
    }
  if (b->log_gaps && b->last_tick != 0 && now - b->last_tick > 8000)
    g_printerr ("gap %.1f ms at %.0f ms from process start\n", (now - b->last_tick) / 1000.0,
                ms_since_process_start () - (now - b->last_tick) / 1000.0);
  b->last_tick = now;
  g_atomic_pointer_set (&sampler_tick, (gpointer) (gintptr) now);
  return G_SOURCE_CONTINUE;
}

/* With $SMM_RELAY_BENCH_GAPS set: what the scenario did when, on the gaps'
 * time line (which gap a step of a scenario brought). */
static void
mark (Bench      *b,
      const char *what)
{
  if (b->log_gaps)
    g_printerr ("mark %s at %.0f ms from process start\n", what, ms_since_process_start ());
}

static void
stall_start (Bench *b)
{
  b->max_gap = 0;
  b->last_tick = g_get_monotonic_time ();
  b->max_gap_at = b->last_tick;
  b->stall_t0 = b->last_tick;
  b->log_gaps = g_getenv ("SMM_RELAY_BENCH_GAPS") != NULL;
  if (g_strcmp0 (g_getenv ("SMM_RELAY_BENCH_GAPS"), "stacks") == 0)
    {
      if (sampler_main == 0)
        phases_start (GTK_WIDGET (b->window));
      sampler_start ();
    }
  if (b->tick_id == 0)
    b->tick_id = g_timeout_add (1, on_tick, b);
}

/* The longest gap so far, in ms (the time since the last tick included). */
static double
stall_max_ms (Bench *b)
{
  gint64 now = g_get_monotonic_time ();

  return MAX (b->max_gap, now - b->last_tick) / 1000.0;
}

static void
stall_stop (Bench      *b,
            const char *name)
{
  g_autofree char *duration = g_strconcat (name, "-duration", NULL);
  g_autofree char *at = g_strconcat (name, "-worst-at", NULL);
  gint64 now = g_get_monotonic_time ();

  /* -worst-at: ms from the start of the measure to the start of its longest gap. */
  print_figure (at, ((now - b->last_tick > b->max_gap ? b->last_tick : b->max_gap_at) - b->stall_t0)
                    / 1000.0, "ms");
  print_figure (name, stall_max_ms (b), "ms");
  print_figure (duration, (now - b->stall_t0) / 1000.0, "ms");
  g_clear_handle_id (&b->tick_id, g_source_remove);
}

/* ---- filter, sort ---- */

static void
do_filter (Bench *b)
{
  RelayOrderFilter filter = relay_order_list_model_get_query (relay_orders_page_get_model (b->page))->filter;
  gint64 t0 = g_get_monotonic_time ();

  b->wait_cpu0 = thread_cpu_us ();
  relay_orders_page_set_filter (b->page, filter == RELAY_ORDER_FILTER_ACTIVE ? RELAY_ORDER_FILTER_COMPLETED
                                                                             : RELAY_ORDER_FILTER_ACTIVE);
  print_figure ("filter-change", (g_get_monotonic_time () - t0) / 1000.0, "ms");
  wait_rows (b, WAIT_ROWS, "filter", t0, finish);
}

static void
do_sort (Bench *b)
{
  GtkColumnView *view = relay_orders_page_get_column_view (b->page);
  GListModel *columns = gtk_column_view_get_columns (view);
  const RelayOrderQuery *query = relay_order_list_model_get_query (relay_orders_page_get_model (b->page));
  GtkColumnViewColumn *remains = NULL;
  gboolean ascending;
  gint64 t0;

  for (guint i = 0; i < g_list_model_get_n_items (columns) && remains == NULL; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), _("Remains")) == 0)
        remains = column;
    }
  if (remains == NULL)
    fail ("no Remains column");
  /* As a header click: the other way round if it is sorted so already. */
  ascending = query->sort == RELAY_ORDER_SORT_REMAINS && !query->ascending;
  t0 = g_get_monotonic_time ();
  b->wait_cpu0 = thread_cpu_us ();
  gtk_column_view_sort_by_column (view, remains, ascending ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
  print_figure ("sort-change", (g_get_monotonic_time () - t0) / 1000.0, "ms");
  wait_rows (b, WAIT_ROWS, "sort", t0, finish);
  b->wait_query.sort = RELAY_ORDER_SORT_REMAINS;
  b->wait_query.ascending = ascending;
}

/* ---- search ---- */

static void search_next (Bench *b);

static void
search_cleared (Bench *b)
{
  b->term++;
  search_next (b);
}

static void search_shown (Bench *b);

static void
on_search_counted (Bench *b)
{
  RelayOrderListModel *model = relay_orders_page_get_model (b->page);

  if (!relay_order_list_model_get_counted (model))
    return;
  g_clear_signal_handler (&b->counted_id, model);
  search_shown (b);
}

/* A search's rows shown; once they are counted too (a search matching much
 * of the book counts them off the main loop), `NAME-counted` says when. */
static void
search_shown (Bench *b)
{
  RelayOrderListModel *model = relay_orders_page_get_model (b->page);

  if (!relay_order_list_model_get_counted (model))
    {
      b->counted_id = g_signal_connect_swapped (model, "notify::counted",
                                                G_CALLBACK (on_search_counted), b);
      return;
    }
  if (b->search_name != NULL)
    {
      g_autofree char *name = g_strconcat (b->search_name, "-counted", NULL);

      print_figure (name, (g_get_monotonic_time () - b->search_t0) / 1000.0, "ms");
      g_clear_pointer (&b->search_name, g_free);
    }
  /* Back to the whole book before the next text. */
  g_clear_pointer (&b->wait_search, g_free);
  wait_rows (b, WAIT_ROWS, NULL, 0, search_cleared);
  relay_orders_page_set_search (b->page, NULL);
}

static void
search_next (Bench *b)
{
  g_auto(GStrv) parts = NULL;

  if (b->term >= b->terms->len)
    {
      if (b->terms->len > 1)
        print_figure ("search", b->search_max, "ms");
      finish (b);
      return;
    }
  parts = g_strsplit (g_ptr_array_index (b->terms, b->term), "\t", 2);
  /* From the text set (the page applies it at once, as it does when the
   * entry's typing delay is over) to the frame showing its rows.  Timed
   * from the entry's search-changed instead, a page quicker than that delay
   * had already painted its rows, and the figure waited for an unrelated
   * frame (seconds on a quiet window). */
  b->search_t0 = g_get_monotonic_time ();
  g_free (b->search_name);
  b->search_name = g_strdup (parts[0]);
  wait_rows (b, WAIT_ROWS, parts[0], b->search_t0, search_shown);
  g_free (b->wait_search);
  b->wait_search = g_strstrip (g_strdup (parts[1]));
  relay_orders_page_set_search (b->page, parts[1]);
}

/* The longest '/'-separated piece of @link: what a user pastes to find it. */
static char *
link_piece (const char *link)
{
  g_auto(GStrv) pieces = g_strsplit (link, "/", -1);
  const char *best = "";

  for (guint i = 0; pieces[i] != NULL; i++)
    if (strlen (pieces[i]) > strlen (best))
      best = pieces[i];
  return g_strdup (best);
}

static void
add_term (Bench      *b,
          const char *name,
          const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (*trimmed != '\0' && strchr (trimmed, '\t') == NULL)
    g_ptr_array_add (b->terms, g_strdup_printf ("%s\t%s", name, trimmed));
}

static void
do_search (Bench *b)
{
  RelayOrderListModel *model = relay_orders_page_get_model (b->page);
  const char *forced = g_getenv ("SMM_RELAY_BENCH_SEARCH");

  b->terms = g_ptr_array_new_with_free_func (g_free);
  if (forced != NULL && *forced != '\0')
    add_term (b, "search", forced);
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
      g_autoptr(RelayOrderItem) item = n > 0 ? g_list_model_get_item (G_LIST_MODEL (model), n / 2) : NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayOrderRow) row = NULL;
      g_autofree char *piece = NULL;

      if (item == NULL)
        fail ("the book has no orders");
      row = relay_store_get_order (relay_order_list_model_get_store (model),
                                   relay_order_item_get_id (item), &error);
      if (row == NULL)
        fail ("cannot read the middle order: %s", error ? error->message : "gone");
      piece = link_piece (row->link != NULL ? row->link : "");
      add_term (b, "search-link", piece);
      add_term (b, "search-client", row->client_name);
      add_term (b, "search-service", row->service_name);
      add_term (b, "search-provider-id", row->provider_order_id);
    }
  if (b->terms->len == 0)
    fail ("nothing to search for");
  b->term = 0;
  search_next (b);
}

/* ---- memory ---- */

static gboolean
read_memory (gpointer data)
{
  Bench *b = data;
  RelayOrderListModel *model = relay_orders_page_get_model (b->page);

  print_figure ("memory", resident_mib (), "MB");
  print_figure ("memory-live-items", relay_order_list_model_get_n_live_items (model), "items");
  finish (b);
  return G_SOURCE_REMOVE;
}

static void
memory_shown (Bench *b)
{
  /* Let the view settle (it may fetch the rows around the middle). */
  g_timeout_add (500, read_memory, b);
}

static void
do_memory (Bench *b)
{
  GtkAdjustment *adjustment =
    gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (relay_orders_page_get_list_view (b->page)));

  if (adjustment == NULL)
    fail ("the table does not scroll");
  gtk_adjustment_set_value (adjustment, (gtk_adjustment_get_upper (adjustment) -
                                         gtk_adjustment_get_page_size (adjustment)) / 2);
  wait_rows (b, WAIT_ROWS, "memory-scroll", g_get_monotonic_time (), memory_shown);
}

/* ---- stalls ---- */

static gboolean
sync_poll (gpointer data)
{
  Bench *b = data;
  gboolean syncing = relay_application_get_syncing (b->app);

  b->seen_syncing |= syncing;
  /* The refresh done, what it leaves for the frames after it (the header's
   * "Updated just now", the table's footer) is measured too. */
  if (b->seen_syncing && !syncing && b->done_at == 0)
    {
      mark (b, "synced");
      b->done_at = g_get_monotonic_time ();
    }
  if (b->done_at != 0 && g_get_monotonic_time () - b->done_at >= TAIL_MS * 1000)
    {
      b->poll_id = 0;
      stall_stop (b, "stall-sync");
      finish (b);
      return G_SOURCE_REMOVE;
    }
  if (!b->seen_syncing && g_get_monotonic_time () - b->phase_t0 > 5 * G_USEC_PER_SEC)
    fail ("the refresh did not start");
  return G_SOURCE_CONTINUE;
}

/* The refresh the window starts with (the statuses of every active order),
 * from its start: the application starts it once the window has shown
 * itself; the gaps from the first rows until then (the window's first
 * frames) are printed as stall-sync-startup. */
static gboolean
sync_wait_start (gpointer data)
{
  Bench *b = data;

  if (!relay_application_get_syncing (b->app))
    {
      if (g_get_monotonic_time () - b->phase_t0 > 5 * G_USEC_PER_SEC)
        fail ("the start-up refresh did not start");
      return G_SOURCE_CONTINUE;
    }
  print_figure ("stall-sync-startup", stall_max_ms (b), "ms");
  b->phase_t0 = g_get_monotonic_time ();
  stall_start (b);
  b->seen_syncing = TRUE;
  b->poll_id = g_timeout_add (5, sync_poll, b);
  return G_SOURCE_REMOVE;
}

static void
do_stall_sync (Bench *b)
{
  b->phase_t0 = g_get_monotonic_time ();
  stall_start (b);
  b->poll_id = g_timeout_add (1, sync_wait_start, b);
}

static void
on_catalog_synced (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Bench *b = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = relay_core_sync_services_finish (RELAY_CORE (source), result, &error);

  if (changes == NULL)
    fail ("catalog sync: %s", error ? error->message : "failed");
  stall_stop (b, "stall-catalog");
  finish (b);
}

static void
do_stall_catalog (Bench *b)
{
  RelayCore *core = relay_application_get_core (b->app);
  const char *forced = g_getenv ("SMM_RELAY_BENCH_PROVIDER");
  g_autoptr(GError) error = NULL;
  gint64 provider_id = 0;

  if (forced != NULL && *forced != '\0')
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (forced, 10, 1, G_MAXINT64, &value, NULL))
        fail ("SMM_RELAY_BENCH_PROVIDER is not a provider id");
      provider_id = (gint64) value;
    }
  else
    {
      g_autoptr(GPtrArray) providers = relay_store_list_providers (relay_core_get_store (core), &error);

      if (providers == NULL || providers->len == 0)
        fail ("the book has no provider%s%s", error ? ": " : "", error ? error->message : "");
      provider_id = ((RelayProviderRow *) g_ptr_array_index (providers, 0))->id;
    }
  stall_start (b);
  relay_core_sync_services_async (core, provider_id, NULL, on_catalog_synced, b);
}

static GtkWidget *
find_buildable (GtkWidget  *widget,
                GType       type,
                const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (child)), id) == 0)
        return child;
      if ((found = find_buildable (child, type, id)) != NULL)
        return found;
    }
  return NULL;
}

static gint64
count_status (RelayStore       *store,
              RelayOrderStatus  status)
{
  RelayOrderQuery query = { .filter = RELAY_ORDER_FILTER_STATUS, .status = status };

  return relay_store_count_orders (store, &query, NULL);
}

static gboolean
paste_poll_sent (gpointer data)
{
  Bench *b = data;
  RelayStore *store = relay_core_get_store (relay_application_get_core (b->app));
  RelayOrderQuery all = { 0 };
  gint64 n_orders, waiting;

  /* Looked up once: a walk of the page's widgets every 10 ms would be
   * main-loop time of its own. */
  static GtkWidget *send;

  if (send == NULL &&
      (send = find_buildable (GTK_WIDGET (b->mass_page), GTK_TYPE_BUTTON, "confirm_send_button")) == NULL)
    fail ("no Send button in the Mass Order page's question");
  /* The question in the page first, when Preferences ask for one: Send,
   * activated as a user does from the keyboard. */
  if (gtk_widget_get_mapped (send) && gtk_widget_get_sensitive (send))
    {
      /* A button activated from the keyboard is clicked 250 ms later
       * (shown pressed meanwhile): marked once. */
      if (!b->paste_sending)
        mark (b, "send");
      gtk_widget_activate (send);
      b->paste_sending = TRUE;
    }
  else if (b->paste_sending && !relay_mass_order_page_get_busy (b->mass_page))
    {
      mark (b, "sent");
      b->paste_sending = FALSE;
    }

  /* The book is counted only once the page is done (four counts every
   * 10 ms while it sends were main-loop time of the bench's own). */
  if (relay_mass_order_page_get_busy (b->mass_page) || gtk_widget_get_mapped (send))
    return G_SOURCE_CONTINUE;
  if (b->done_at == 0)
    {
      n_orders = relay_store_count_orders (store, &all, NULL);
      waiting = count_status (store, RELAY_ORDER_QUEUED) + count_status (store, RELAY_ORDER_SENDING) +
                count_status (store, RELAY_ORDER_SCHEDULED);
      if (n_orders - b->n_orders_before < (gint64) b->n_lines || waiting != 0)
        return G_SOURCE_CONTINUE;
      /* Every line an order, sent: the frames that show the outcome are
       * timed too (TAIL_MS more). */
      b->n_sent = n_orders - b->n_orders_before;
      b->done_at = g_get_monotonic_time ();
      mark (b, "all sent");
    }
  if (g_get_monotonic_time () - b->done_at >= TAIL_MS * 1000)
    {
      double submit_max = stall_max_ms (b);

      b->poll_id = 0;
      print_figure ("stall-paste-submit", submit_max, "ms");
      print_figure ("stall-paste-submit-duration", (b->done_at - b->phase_t0) / 1000.0, "ms");
      print_figure ("paste-sent", b->n_sent, "orders");
      print_figure ("stall-paste", MAX (submit_max, b->preview_max), "ms");
      print_figure ("stall-paste-duration", (g_get_monotonic_time () - b->stall_t0) / 1000.0, "ms");
      g_clear_handle_id (&b->tick_id, g_source_remove);
      finish (b);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static GdkFrameClock *
frame_clock (Bench *b)
{
  return gtk_widget_get_frame_clock (GTK_WIDGET (b->window));
}

static gboolean
paste_poll_preview (gpointer data)
{
  Bench *b = data;
  GtkWidget *submit = find_buildable (GTK_WIDGET (b->mass_page), GTK_TYPE_BUTTON, "submit_button");

  if (submit == NULL)
    fail ("no submit button on the Mass Order page");
  if (!gtk_widget_get_sensitive (submit) || relay_mass_order_page_get_busy (b->mass_page))
    return G_SOURCE_CONTINUE;
  /* Submit is pressed once the frame with the preview is painted (a user
   * reads it first), not in the frame that brings it. */
  if (b->preview_frame == 0)
    {
      b->preview_frame = gdk_frame_clock_get_frame_counter (frame_clock (b));
      gtk_widget_queue_draw (GTK_WIDGET (b->window));
      return G_SOURCE_CONTINUE;
    }
  if (gdk_frame_clock_get_frame_counter (frame_clock (b)) <= b->preview_frame)
    return G_SOURCE_CONTINUE;
  b->preview_max = stall_max_ms (b);
  print_figure ("stall-paste-preview", b->preview_max, "ms");
  print_figure ("stall-paste-preview-duration", (g_get_monotonic_time () - b->phase_t0) / 1000.0, "ms");
  b->phase_t0 = g_get_monotonic_time ();
  b->max_gap = 0;
  mark (b, "submit");
  g_signal_emit_by_name (submit, "clicked");
  b->poll_id = g_timeout_add (10, paste_poll_sent, b);
  return G_SOURCE_REMOVE;
}

static gboolean
paste_page_shown (gpointer data)
{
  Bench *b = data;

  if (!gtk_widget_get_mapped (GTK_WIDGET (b->mass_page)) ||
      g_get_monotonic_time () - b->phase_t0 < 300 * 1000)
    return G_SOURCE_CONTINUE;
  print_figure ("stall-paste-page", stall_max_ms (b), "ms");
  b->phase_t0 = g_get_monotonic_time ();
  stall_start (b);
  mark (b, "paste");
  relay_mass_order_page_set_text (b->mass_page, b->paste_text);
  g_clear_pointer (&b->paste_text, g_free);
  b->poll_id = g_timeout_add (10, paste_poll_preview, b);
  return G_SOURCE_REMOVE;
}

static void
do_stall_paste (Bench *b)
{
  const char *path = g_getenv ("SMM_RELAY_BENCH_PASTE");
  RelayStore *store = relay_core_get_store (relay_application_get_core (b->app));
  RelayOrderQuery all = { 0 };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL || !g_file_get_contents (path, &text, NULL, &error))
    fail ("SMM_RELAY_BENCH_PASTE: %s", error ? error->message : "not set");
  for (const char *p = text; *p != '\0'; p++)
    b->n_lines += *p == '\n';
  if (*text != '\0' && text[strlen (text) - 1] != '\n')
    b->n_lines++;
  b->paste_text = g_steal_pointer (&text);
  b->n_orders_before = relay_store_count_orders (store, &all, NULL);
  /* The page first, as a user opens it before pasting: its first frames
   * (printed as stall-paste-page) and 300 ms of quiet, then the paste. */
  relay_window_show_page (b->window, "mass-order");
  b->mass_page = RELAY_MASS_ORDER_PAGE (gtk_stack_get_child_by_name (relay_window_get_stack (b->window),
                                                                     "mass-order"));
  b->phase_t0 = g_get_monotonic_time ();
  stall_start (b);
  b->poll_id = g_timeout_add (20, paste_page_shown, b);
}

/* ---- start ---- */

static gboolean
on_timeout (gpointer data)
{
  fail ("not done after %d s", BENCH_TIMEOUT_S);
}

static void run_scenario (Bench *b);

/* The refresh the window starts with (statuses of the active orders) runs on
 * its own: a view change is measured once it is over (or has run 5 s), on a
 * quiet window. */
static gboolean
wait_quiet (gpointer data)
{
  Bench *b = data;

  /* At most 5 s: a book with many active orders pages through them for
   * minutes (at idle priority, between frames). */
  if (relay_application_get_syncing (b->app) &&
      g_get_monotonic_time () - b->quiet_t0 < 5 * G_USEC_PER_SEC)
    {
      b->phase_t0 = 0;
      return G_SOURCE_CONTINUE;
    }
  if (b->phase_t0 == 0)
    b->phase_t0 = g_get_monotonic_time ();
  if (g_get_monotonic_time () - b->phase_t0 < 300 * 1000)
    return G_SOURCE_CONTINUE;
  b->poll_id = 0;
  b->phase_t0 = 0;
  run_scenario (b);
  return G_SOURCE_REMOVE;
}

static void
after_first_rows (Bench *b)
{
  if (g_strcmp0 (b->scenario, "first-rows") == 0)
    finish (b);
  else if (g_strcmp0 (b->scenario, "stall-sync") == 0)
    do_stall_sync (b);
  else
    {
      b->quiet_t0 = g_get_monotonic_time ();
      b->poll_id = g_timeout_add (20, wait_quiet, b);
    }
}

static void
run_scenario (Bench *b)
{
  static const struct { const char *name; BenchStep step; } scenarios[] = {
    { "first-rows", finish }, { "filter", do_filter }, { "sort", do_sort }, { "search", do_search },
    { "memory", do_memory }, { "stall-sync", do_stall_sync }, { "stall-paste", do_stall_paste },
    { "stall-catalog", do_stall_catalog },
  };

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (g_strcmp0 (b->scenario, scenarios[i].name) == 0)
      {
        scenarios[i].step (b);
        return;
      }
  fail ("unknown scenario (first-rows, filter, sort, search, memory, stall-sync, stall-paste, "
        "stall-catalog)");
}

void
relay_bench_mode_start (RelayApplication *app,
                        RelayWindow      *window)
{
  GdkFrameClock *clock;

  g_return_if_fail (bench == NULL);

  bench = g_new0 (Bench, 1);
  bench->app = app;
  bench->window = window;
  bench->scenario = g_strdup (g_getenv ("SMM_RELAY_BENCH"));
  bench->page = relay_window_get_orders_page (window);
  if (relay_application_get_core (app) == NULL)
    fail ("the book did not open");
  if (relay_orders_page_get_model (bench->page) == NULL)
    fail ("the orders page has no book");
  g_timeout_add_seconds (BENCH_TIMEOUT_S, on_timeout, bench);

  relay_window_show_page (window, "orders");
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    fail ("the window has no frame clock");
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), bench);
  wait_rows (bench, WAIT_ROWS, "first-rows", 0, after_first_rows);
}
