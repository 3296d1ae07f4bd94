/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page on a book the engine built against the simulator: the
 * totals it shows are the core's report, changing the grouping or the period
 * asks again, a period without orders shows the empty state. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "manage-test-util.h"
#include "relay-format.h"
#include "relay-profit-chart.h"
#include "relay-reports-page.h"

#define SERVICE 1

typedef struct
{
  gint64 provider_id;
  gint64 acme;
  gint64 bolt;
} Book;

/* Four orders for two clients, sent, and a status sync after the simulator
 * delivered some of them. */
static Book
build_book (MtFixture *f)
{
  Book book = { 0 };

  book.provider_id = mt_add_provider (f, "Sim");
  mt_sync_services (f, book.provider_id);
  mt_refresh_balance (f, book.provider_id);
  mt_map (f, SERVICE, book.provider_id, "103", 2500000, FALSE);
  book.acme = relay_store_add_client (f->store, "Acme Agency", NULL);
  book.bolt = relay_store_add_client (f->store, "Bolt Media", NULL);
  mt_place (f, SERVICE, book.acme, "https://www.instagram.com/p/CwReport001/", 1000);
  mt_place (f, SERVICE, book.acme, "https://www.instagram.com/p/CwReport002/", 2000);
  mt_place (f, SERVICE, book.bolt, "https://www.instagram.com/p/CwReport003/", 4000);
  mt_place (f, SERVICE, 0, "https://www.instagram.com/p/CwReport004/", 500);
  mt_dispatch (f);
  relay_sim_advance (f->sim, 6 * 3600);
  mt_sync_orders (f);
  return book;
}

static gboolean
loaded (gpointer data)
{
  RelayReportsPage *page = data;

  return !relay_reports_page_get_loading (page) && relay_reports_page_get_report (page) != NULL;
}

static gboolean
idle_page (gpointer data)
{
  return !relay_reports_page_get_loading (RELAY_REPORTS_PAGE (data));
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Async;

static void
async_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Async *async = user_data;

  async->result = g_object_ref (result);
  async->done = TRUE;
}

static gboolean
async_done (gpointer data)
{
  return ((Async *) data)->done;
}

/* The core's own report of [@from, @to) by @group. */
static RelayReport *
core_report (MtFixture *f, gint64 from, gint64 to, RelayReportGroup group)
{
  Async async = { 0 };
  g_autoptr(GError) error = NULL;
  RelayReport *report;

  relay_core_report_async (f->core, from, to, group, NULL, async_ready, &async);
  mt_wait_until (async_done, &async, 0);
  report = relay_core_report_finish (f->core, async.result, &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  return report;
}

static void
assert_shows_money (GtkWidget *root, gint64 micro, const char *currency)
{
  g_autofree char *text = relay_format_money (micro, currency, RELAY_MONEY_STYLE_TOTAL);

  g_test_message ("looking for %s", text);
  g_assert_true (mt_tree_has_text (root, text));
}

static void
test_totals (MtFixture *f, gconstpointer data)
{
  Book book = build_book (f);
  GtkWidget *page = relay_reports_page_new (f->core);
  const RelayReport *shown;
  g_autoptr(RelayReport) expected = NULL;
  RelayReportRow *total;
  RelayReportRow *shown_total;
  GtkWidget *view;
  g_autofree char *path = NULL;

  mt_show_page (f, page);
  mt_wait_until (loaded, page, 0);
  shown = relay_reports_page_get_report (RELAY_REPORTS_PAGE (page));
  g_assert_cmpint (shown->group, ==, RELAY_REPORT_BY_CLIENT);
  expected = core_report (f, shown->from, shown->to, RELAY_REPORT_BY_CLIENT);

  /* 7 days by default, ending today: whole local days. */
  g_assert_cmpint (shown->to - shown->from, >=, 7 * 86400 - 3600);
  g_assert_cmpint (shown->to - shown->from, <=, 7 * 86400 + 3600);
  g_assert_cmpint (shown->orders, ==, 4);
  g_assert_cmpint (expected->orders, ==, 4);
  g_assert_cmpuint (shown->totals->len, ==, 1);
  g_assert_cmpuint (expected->totals->len, ==, 1);
  total = g_ptr_array_index (expected->totals, 0);
  shown_total = g_ptr_array_index (shown->totals, 0);
  g_assert_cmpstr (total->currency, ==, "USD");
  g_assert_cmpint (shown_total->charged, ==, total->charged);
  g_assert_cmpint (shown_total->cost, ==, total->cost);
  g_assert_cmpint (shown_total->profit, ==, total->profit);
  /* 7,500 × 2.50 per 1,000. */
  g_assert_cmpint (total->charged, ==, 18750000);
  g_assert_cmpint (total->profit, !=, 0);

  /* The cards say the same numbers, with the one money formatter. */
  g_assert_true (gtk_widget_get_visible (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "content_stack"))),
                   ==, "report");
  assert_shows_money (page, total->charged, "USD");
  assert_shows_money (page, total->cost, "USD");
  assert_shows_money (page, total->profit, "USD");
  g_assert_true (mt_tree_has_text (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "totals_box"), "4"));

  /* One table row per client (and the orders without one). */
  view = mt_child (page, RELAY_TYPE_REPORTS_PAGE, "rows_view");
  g_assert_cmpuint (mt_view_n_items (view), ==, expected->rows->len);
  g_assert_cmpuint (expected->rows->len, ==, 3);
  mt_wait_tree_text (view, "Acme Agency");
  mt_wait_tree_text (view, "Bolt Media");
  mt_wait_tree_text (view, "No client");

  /* The charts got the report: a bar per day of the period. */
  g_assert_cmpuint (relay_profit_chart_get_n_days (RELAY_PROFIT_CHART (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "profit_chart"))),
                    ==, 7);
  /* The delivery figures name the provider service. */
  g_assert_true (mt_tree_has_text (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "delivery_grid"), "Sim · "));
  path = mt_save_png (page, "reports-page.png");
  (void) book;
}

static void
test_requery (MtFixture *f, gconstpointer data)
{
  Book book = build_book (f);
  GtkWidget *page = relay_reports_page_new (f->core);
  GtkDropDown *group;
  GtkDropDown *period;
  const RelayReport *shown;
  gint64 week_from;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 today_from;
  gint64 today_to;
  GtkCalendar *from_calendar;
  GtkCalendar *to_calendar;
  g_autoptr(GDateTime) old_day = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  mt_show_page (f, page);
  mt_wait_until (loaded, page, 0);
  week_from = relay_reports_page_get_report (RELAY_REPORTS_PAGE (page))->from;

  /* By provider: one row, the provider. */
  group = GTK_DROP_DOWN (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "group_dropdown"));
  gtk_drop_down_set_selected (group, 1);
  g_assert_true (relay_reports_page_get_loading (RELAY_REPORTS_PAGE (page)));
  mt_wait_until (loaded, page, 0);
  shown = relay_reports_page_get_report (RELAY_REPORTS_PAGE (page));
  g_assert_cmpint (shown->group, ==, RELAY_REPORT_BY_PROVIDER);
  g_assert_cmpuint (shown->rows->len, ==, 1);
  g_assert_cmpstr (((RelayReportRow *) g_ptr_array_index (shown->rows, 0))->key, ==, "Sim");
  mt_wait_tree_text (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "rows_view"), "Sim");
  g_assert_false (mt_tree_has_text (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "rows_view"), "Acme Agency"));

  /* By day: today's row. */
  gtk_drop_down_set_selected (group, 3);
  mt_wait_until (loaded, page, 0);
  shown = relay_reports_page_get_report (RELAY_REPORTS_PAGE (page));
  g_assert_cmpint (shown->group, ==, RELAY_REPORT_BY_DAY);
  {
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

    mt_wait_tree_text (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "rows_view"), today);
  }

  /* Today: the period is asked again. */
  period = GTK_DROP_DOWN (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "period_dropdown"));
  gtk_drop_down_set_selected (period, 0);
  mt_wait_until (loaded, page, 0);
  shown = relay_reports_page_get_report (RELAY_REPORTS_PAGE (page));
  relay_report_period_range (RELAY_REPORT_PERIOD_TODAY, now, &today_from, &today_to);
  g_assert_cmpint (shown->from, ==, today_from);
  g_assert_cmpint (shown->from, >, week_from);
  g_assert_cmpint (shown->orders, ==, 4);

  /* Custom, two days in 2020: no orders, the empty state. */
  gtk_drop_down_set_selected (period, 4);
  g_assert_true (gtk_widget_get_visible (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "dates_box")));
  from_calendar = GTK_CALENDAR (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "from_calendar"));
  to_calendar = GTK_CALENDAR (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "to_calendar"));
  old_day = g_date_time_new (tz, 2020, 3, 1, 12, 0, 0);
  gtk_calendar_select_day (to_calendar, old_day);
  gtk_calendar_select_day (from_calendar, old_day);
  g_signal_emit_by_name (from_calendar, "day-selected");
  mt_wait_until (idle_page, page, 0);
  mt_spin (50);
  mt_wait_until (loaded, page, 0);
  shown = relay_reports_page_get_report (RELAY_REPORTS_PAGE (page));
  g_assert_cmpint (shown->orders, ==, 0);
  g_assert_cmpint (shown->to - shown->from, >=, 86400 - 3600);
  g_assert_cmpint (shown->to - shown->from, <=, 86400 + 3600);
  g_assert_true (mt_has_status_page (page, "No Orders in This Period"));
  (void) book;
}

static void
test_empty (MtFixture *f, gconstpointer data)
{
  GtkWidget *page;

  mt_add_provider (f, "Sim");
  page = relay_reports_page_new (f->core);
  mt_show_page (f, page);
  mt_wait_until (loaded, page, 0);
  g_assert_cmpint (relay_reports_page_get_report (RELAY_REPORTS_PAGE (page))->orders, ==, 0);
  g_assert_true (mt_has_status_page (page, "No Orders in This Period"));
  g_assert_false (gtk_widget_get_visible (mt_child (page, RELAY_TYPE_REPORTS_PAGE, "spinner")));
}

/* An order placed while the page shows is in the next report by itself. */
static void
test_follows_book (MtFixture *f, gconstpointer data)
{
  Book book = build_book (f);
  GtkWidget *page = relay_reports_page_new (f->core);

  mt_show_page (f, page);
  mt_wait_until (loaded, page, 0);
  g_assert_cmpint (relay_reports_page_get_report (RELAY_REPORTS_PAGE (page))->orders, ==, 4);
  mt_place (f, SERVICE, book.bolt, "https://www.instagram.com/p/CwReport005/", 1000);
  for (int i = 0; i < 400; i++)
    {
      const RelayReport *report = relay_reports_page_get_report (RELAY_REPORTS_PAGE (page));

      if (report != NULL && report->orders == 5)
        break;
      mt_spin (25);
    }
  g_assert_cmpint (relay_reports_page_get_report (RELAY_REPORTS_PAGE (page))->orders, ==, 5);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  g_test_add ("/reports/page/totals", MtFixture, NULL, mt_fixture_setup, test_totals, mt_fixture_teardown);
  g_test_add ("/reports/page/requery", MtFixture, NULL, mt_fixture_setup, test_requery, mt_fixture_teardown);
  g_test_add ("/reports/page/empty", MtFixture, NULL, mt_fixture_setup, test_empty, mt_fixture_teardown);
  g_test_add ("/reports/page/follows-book", MtFixture, NULL, mt_fixture_setup, test_follows_book, mt_fixture_teardown);
  return g_test_run ();
}
