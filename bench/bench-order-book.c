/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bench: a book of a million orders — what the lazy table asks of it (count,
 * a window of rows, another sort) against loading every row. */
#include "bench-common.h"

#include "relay-money.h"

#include <sqlite3.h>
#include <time.h>

#define WINDOW 200

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

static double
time_page (RelayStore *store, const RelayOrderQuery *query, gint64 offset)
{
  g_autoptr(GError) error = NULL;
  double t0 = bench_now ();
  g_autoptr(GPtrArray) rows = relay_store_list_orders (store, query, offset, WINDOW, &error);

  if (rows == NULL)
    g_error ("%s", error->message);
  return (bench_now () - t0) * 1000;
}

static double
time_count (RelayStore *store, const RelayOrderQuery *query, gint64 *out)
{
  g_autoptr(GError) error = NULL;
  double t0 = bench_now ();

  *out = relay_store_count_orders (store, query, &error);
  if (*out < 0)
    g_error ("%s", error->message);
  return (bench_now () - t0) * 1000;
}

/* What the table asks when the view changes: the count and the first window,
 * for every sort, the filter groups and searches of every kind. */
static void
time_view_changes (RelayStore *store)
{
  static const char * const sort_names[] = {
    "id", "client", "service", "link", "quantity", "progress", "start count", "remains",
    "charge", "status", "updated"
  };
  static const struct { const char *label; const char *text; } searches[] = {
    { "link, rare", "post500000" }, { "link, 4 found", "post77777" },
    { "provider order id", "123456" }, { "client name", "Acme" }, { "service name", "likes" },
    { "short (LIKE)", "po" }, { "LIKE specials", "50%_\"'" }, { "in every link", "instagram" },
  };
  G_STATIC_ASSERT (G_N_ELEMENTS (sort_names) == RELAY_ORDER_SORT_UPDATED + 1);
  gint64 count;

  for (guint sort = 0; sort < G_N_ELEMENTS (sort_names); sort++)
    for (int ascending = 0; ascending <= 1; ascending++)
      {
        RelayOrderQuery query = { .sort = sort, .ascending = ascending };

        g_print ("  sort by %-12s %-4s first window:  %8.2f ms\n", sort_names[sort],
                 ascending ? "asc" : "desc", time_page (store, &query, 0));
      }
  for (RelayOrderFilter filter = RELAY_ORDER_FILTER_ACTIVE; filter <= RELAY_ORDER_FILTER_FAILED; filter++)
    {
      RelayOrderQuery query = { .filter = filter };
      double count_ms = time_count (store, &query, &count);

      g_print ("  filter %u: count %8.2f ms (%" G_GINT64_FORMAT "), first window %8.2f ms\n",
               filter, count_ms, count, time_page (store, &query, 0));
    }
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      RelayOrderQuery query = { .search = searches[i].text };
      double count_ms = time_count (store, &query, &count);

      g_print ("  search %-18s count %8.2f ms (%" G_GINT64_FORMAT "), first window %8.2f ms\n",
               searches[i].label, count_ms, count, time_page (store, &query, 0));
    }
}

int
main (int argc, char **argv)
{
  guint n_orders = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autofree char *dir = bench_tmpdir ();
  /* A second argument keeps the book there (for the window's timing mode). */
  g_autofree char *db = argc > 2 ? g_strdup (argv[2]) : g_build_filename (dir, "orders.db", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(RelayCatalogRow) row = NULL;
  RelayOrderQuery all = { 0 };
  RelayOrderQuery active = { .filter = RELAY_ORDER_FILTER_ACTIVE };
  RelayOrderQuery by_remains = { .sort = RELAY_ORDER_SORT_REMAINS };
  RelayOrderQuery search = { .search = "post77777" };
  gint64 provider_id, client_id, count;
  double t0, insert_s, rss0, all_ms, rss_all, page_ms;

  if (argc > 2 && g_file_test (db, G_FILE_TEST_EXISTS))
    {
      /* A book kept by an earlier run: open it (timing any migration) and
       * time what the table asks of it. */
      t0 = bench_now ();
      store = relay_store_open (db, &error);
      if (store == NULL)
        g_error ("%s", error->message);
      g_print ("  open (and migrate) %s:  %8.2f s\n", db, bench_now () - t0);
      time_view_changes (store);
      g_clear_object (&store);
      bench_cleanup (dir);
      return 0;
    }

  store = relay_store_open (db, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  provider_id = relay_store_add_provider (store, "bench", "https://panel.example/api/v2", "ref", &error);
  g_ptr_array_add (services, fake_service ());
  if (provider_id == 0 || !relay_store_replace_catalog (store, provider_id, services, NULL, &error))
    g_error ("%s", error ? error->message : "");
  row = relay_store_find_catalog_service (store, provider_id, "101", &error);
  client_id = relay_store_add_client (store, "Acme", &error);
  if (row == NULL || client_id == 0 ||
      !relay_store_map_service (store, 1, "likes", 400000, row->id, 0, FALSE, &error))
    g_error ("%s", error ? error->message : "");

  g_print ("order book of %u orders\n", n_orders);
  t0 = bench_now ();
  for (guint done = 0; done < n_orders;)
    {
      g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) ids = NULL;
      guint batch = MIN (50000, n_orders - done);

      for (guint i = 0; i < batch; i++)
        {
          RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
          char *link = g_strdup_printf ("https://www.instagram.com/p/post%u/", done + i);
          g_ptr_array_add (links, link);
          draft->service_id = 1;
          draft->client_id = client_id;
          draft->link = link;
          draft->quantity = 100 + (done + i) % 5000;
          g_ptr_array_add (drafts, draft);
        }
      ids = relay_store_insert_orders (store, drafts, "bench", &error);
      if (ids == NULL)
        g_error ("%s", error->message);
      done += batch;
    }
  insert_s = bench_now () - t0;
  /* Spread statuses and progress as a real book has them (bench hook). */
  if (sqlite3_exec (relay_store_get_db (store),
                    "UPDATE orders SET status = CASE id % 10 WHEN 0 THEN 'in_progress' WHEN 1 THEN 'pending' "
                    "WHEN 2 THEN 'partial' WHEN 3 THEN 'canceled' ELSE 'completed' END, "
                    "remains = (id * 7919) % quantity, start_count = id % 1000, provider_order_id = id",
                    NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (relay_store_get_db (store)));
  g_print ("  insert (50,000 a transaction):        %8.2f s  (%.0f orders/s)\n",
           insert_s, n_orders / insert_s);
  /* For the report: the orders spread over a year (about 1 in 12 in the last
   * 30 days), sent, with what the provider kept and, for those that began,
   * the events of their delivery (bench hook). */
  t0 = bench_now ();
  if (sqlite3_exec (relay_store_get_db (store),
                    "BEGIN;"
                    "UPDATE orders SET created_at = created_at - (id * 7919) % (365 * 86400),"
                    "  sent_at = created_at - (id * 7919) % (365 * 86400) + 5, cost = price / 2, currency = 'USD',"
                    "  charge = CASE WHEN status IN ('partial', 'canceled') THEN price / 4 ELSE NULL END;"
                    "INSERT INTO order_events (order_id, at, old_status, new_status, source)"
                    "  SELECT id, sent_at + 60 + id % 600, 'pending', 'in_progress', 'sync' FROM orders"
                    "  WHERE status <> 'pending';"
                    "INSERT INTO order_events (order_id, at, old_status, new_status, source)"
                    "  SELECT id, sent_at + 600 + id % 7200, 'in_progress', status, 'sync' FROM orders"
                    "  WHERE status IN ('completed', 'partial', 'canceled');"
                    "COMMIT;",
                    NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (relay_store_get_db (store)));
  g_print ("  spread over a year, events added:     %8.2f s\n", bench_now () - t0);

  g_print ("  count, all:                           %8.2f ms", time_count (store, &all, &count));
  g_print ("  (%" G_GINT64_FORMAT ")\n", count);
  g_print ("  count, active filter:                 %8.2f ms", time_count (store, &active, &count));
  g_print ("  (%" G_GINT64_FORMAT ")\n", count);
  g_print ("  count, search link:                   %8.2f ms", time_count (store, &search, &count));
  g_print ("  (%" G_GINT64_FORMAT ")\n", count);
  page_ms = time_page (store, &all, 0);
  g_print ("  first window of %d, newest first:     %8.2f ms\n", WINDOW, page_ms);
  g_print ("  window at the middle (offset %u):  %8.2f ms\n", n_orders / 2,
           time_page (store, &all, n_orders / 2));
  g_print ("  window at the end:                    %8.2f ms\n", time_page (store, &all, n_orders - WINDOW));
  g_print ("  first window sorted by remains:       %8.2f ms\n", time_page (store, &by_remains, 0));
  g_print ("  first window of the active filter:    %8.2f ms\n", time_page (store, &active, 0));
  time_view_changes (store);

  /* The Reports page and `report`: the last 30 days, by client and by day,
   * against the baseline of adding up every order of the period in C. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(RelayReport) report = NULL;
    gint64 from, to, n = 0, sum = 0;
    double report_ms, day_ms, scan_ms, cpu_ms;
    clock_t cpu0;
    sqlite3_stmt *stmt = NULL;

    /* A book at rest: the year-long UPDATE above left hundreds of MB of WAL
     * that every read would look pages up in; an app checkpoints as it goes. */
    if (sqlite3_exec (relay_store_get_db (store), "PRAGMA wal_checkpoint (TRUNCATE)",
                      NULL, NULL, NULL) != SQLITE_OK)
      g_error ("%s", sqlite3_errmsg (relay_store_get_db (store)));
    relay_report_period_range (RELAY_REPORT_PERIOD_30_DAYS, now, &from, &to);
    t0 = bench_now ();
    cpu0 = clock ();
    report = relay_store_report (store, from, to, RELAY_REPORT_BY_CLIENT, &error);
    report_ms = (bench_now () - t0) * 1000;
    cpu_ms = (clock () - cpu0) * 1000.0 / CLOCKS_PER_SEC;
    if (report == NULL)
      g_error ("%s", error->message);
    g_clear_pointer (&report, relay_report_free);
    t0 = bench_now ();
    report = relay_store_report (store, from, to, RELAY_REPORT_BY_DAY, &error);
    day_ms = (bench_now () - t0) * 1000;
    if (report == NULL)
      g_error ("%s", error->message);
    g_print ("  report, 30 days by client:            %8.2f ms  (CPU %.0f ms; %" G_GINT64_FORMAT
             " orders, %u delivery rows; target <= 300 ms)\n", report_ms, cpu_ms, report->orders,
             report->delivery->len);
    g_print ("  report, 30 days by day:               %8.2f ms  (%u days)\n", day_ms, report->rows->len);
    /* Baseline: every order of the book read and filtered in C. */
    t0 = bench_now ();
    if (sqlite3_prepare_v2 (relay_store_get_db (store),
                            "SELECT created_at, price FROM orders", -1, &stmt, NULL) != SQLITE_OK)
      g_error ("%s", sqlite3_errmsg (relay_store_get_db (store)));
    while (sqlite3_step (stmt) == SQLITE_ROW)
      if (sqlite3_column_int64 (stmt, 0) >= from && sqlite3_column_int64 (stmt, 0) < to)
        {
          n++;
          sum += sqlite3_column_int64 (stmt, 1);
        }
    sqlite3_finalize (stmt);
    scan_ms = (bench_now () - t0) * 1000;
    g_print ("  baseline, scan every order in C:      %8.2f ms  (%" G_GINT64_FORMAT " orders, "
             "charged only)\n", scan_ms, n);
    if (n != report->orders)
      g_error ("the report counts %" G_GINT64_FORMAT " orders, the scan %" G_GINT64_FORMAT,
               report->orders, n);
    /* The scan adds up one column; the report every figure of every group. */
    g_print ("  ratio: the report takes %.2fx the time of the scan\n", report_ms / MAX (scan_ms, 0.001));
  }

  /* Baseline: what a model that loads everything (GListStore) pays. */
  rss0 = bench_rss_mib ();
  t0 = bench_now ();
  {
    g_autoptr(GPtrArray) rows = relay_store_list_orders (store, &all, 0, n_orders, &error);
    all_ms = (bench_now () - t0) * 1000;
    rss_all = bench_rss_mib () - rss0;
    if (rows == NULL)
      g_error ("%s", error->message);
  }
  g_print ("  baseline, load every row:             %8.2f ms  +%.0f MiB\n", all_ms, rss_all);
  g_print ("  ratio: the first window is %.0fx faster than loading all\n", all_ms / MAX (page_ms, 0.001));

  g_clear_object (&store);
  bench_cleanup (dir);
  return 0;
}
