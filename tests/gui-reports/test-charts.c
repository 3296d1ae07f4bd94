/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page's charts: each draws where its data says (rendered to a
 * texture and read back), says the numbers under the pointer, describes
 * itself to assistive technologies and exports a valid PNG and SVG. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "manage-test-util.h"
#include "relay-delivery-chart.h"
#include "relay-format.h"
#include "relay-profit-chart.h"
#include "relay-status-chart.h"

/* The profit chart's plot margins (relay-profit-chart.c). */
#define P_LEFT   72.0
#define P_RIGHT  12.0
#define P_TOP    12.0
#define P_BOTTOM 26.0
#define CHART_W  600
#define CHART_H  240

typedef struct
{
  GtkWindow *window;
  GtkWidget *chart;
  guchar    *pixels;   /* RGBA of the last render */
  int        width;
  int        height;
  gsize      stride;
} ChartFixture;

static void
show_chart (ChartFixture *f, GtkWidget *chart)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, CHART_W, CHART_H);
  gtk_widget_set_size_request (chart, CHART_W, CHART_H);
  gtk_widget_set_halign (chart, GTK_ALIGN_START);
  gtk_widget_set_valign (chart, GTK_ALIGN_START);
  gtk_window_set_child (f->window, chart);
  f->chart = chart;
  gtk_window_present (f->window);
  mt_spin (300);
  g_assert_cmpint (gtk_widget_get_width (chart), ==, CHART_W);
  g_assert_cmpint (gtk_widget_get_height (chart), ==, CHART_H);
}

/* Renders the chart alone (no background: what it draws is opaque, the rest is clear). */
static void
render (ChartFixture *f)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (f->chart));

  GTK_WIDGET_GET_CLASS (f->chart)->snapshot (f->chart, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  f->width = gtk_widget_get_width (f->chart);
  f->height = gtk_widget_get_height (f->chart);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, f->width, f->height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, f->width);
  f->stride = (gsize) f->width * 4;
  g_free (f->pixels);
  f->pixels = g_malloc (f->stride * f->height);
  gdk_texture_download (texture, f->pixels, f->stride);
}

/* The alpha of the drawn pixel at (x, y) (cairo ARGB32, native endian). */
static guint
alpha_at (ChartFixture *f, int x, int y)
{
  guint32 pixel;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, f->width);
  g_assert_cmpint (y, <, f->height);
  memcpy (&pixel, f->pixels + y * f->stride + x * 4, 4);
  return pixel >> 24;
}

/* Whether anything is drawn in the column @x between rows @y0 and @y1. */
static gboolean
drawn_between (ChartFixture *f, int x, int y0, int y1)
{
  for (int y = y0; y <= y1; y++)
    if (alpha_at (f, x, y) > 0)
      return TRUE;
  return FALSE;
}

static void
chart_teardown (ChartFixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  g_free (f->pixels);
  mt_spin (20);
}

static void
chart_setup (ChartFixture *f, gconstpointer data)
{
  adw_init ();
}

/* The pointer moves to (@x, @y) through the chart's motion controller. */
static const char *
move_to (GtkWidget *chart, double x, double y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (chart);
  gboolean moved = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        {
          g_signal_emit_by_name (controller, "motion", x, y);
          moved = TRUE;
        }
    }
  g_assert_true (moved);
  return gtk_widget_get_tooltip_text (chart);
}

static RelayReportRow *
day_row (const char *day, gint64 profit, gint64 orders)
{
  RelayReportRow *row = g_new0 (RelayReportRow, 1);

  row->key = g_strdup (day);
  row->currency = g_strdup ("USD");
  row->profit = profit;
  row->orders = orders;
  return row;
}

/* Three local days: +5.00 USD, -2.00 USD, nothing. */
static RelayReport *
three_days (void)
{
  RelayReport *report = g_new0 (RelayReport, 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_report_parse_days ("2026-11-10", "2026-11-12", &report->from, &report->to, &error));
  g_assert_no_error (error);
  report->totals = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_report_row_free);
  report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_report_row_free);
  report->days = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_report_row_free);
  report->delivery = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_delivery_row_free);
  g_ptr_array_add (report->days, day_row ("2026-11-10", 5000000, 3));
  g_ptr_array_add (report->days, day_row ("2026-11-11", -2000000, 1));
  return report;
}

static void
test_profit_bars (ChartFixture *f, gconstpointer data)
{
  g_autoptr(RelayReport) report = three_days ();
  GtkWidget *chart = relay_profit_chart_new ();
  double plot_w = CHART_W - P_LEFT - P_RIGHT;
  double plot_h = CHART_H - P_TOP - P_BOTTOM;
  double slot = plot_w / 3;
  int axis = (int) (P_TOP + plot_h * 5.0 / 7.0);
  int x1 = (int) (P_LEFT + slot * 0.5);
  int x2 = (int) (P_LEFT + slot * 1.5);
  int x3 = (int) (P_LEFT + slot * 2.5);
  const char *text;

  show_chart (f, chart);
  relay_profit_chart_set_report (RELAY_PROFIT_CHART (chart), report, "USD");
  g_assert_cmpuint (relay_profit_chart_get_n_days (RELAY_PROFIT_CHART (chart)), ==, 3);
  render (f);

  /* Day 1 made money: a bar above the axis up to the top, nothing below. */
  g_assert_true (drawn_between (f, x1, P_TOP + 2, P_TOP + 6));
  g_assert_true (drawn_between (f, x1, axis - 20, axis - 4));
  g_assert_false (drawn_between (f, x1, axis + 4, axis + 20));
  /* Day 2 lost money: below the axis down to the bottom, nothing above. */
  g_assert_true (drawn_between (f, x2, axis + 4, (int) (P_TOP + plot_h) - 3));
  g_assert_false (drawn_between (f, x2, axis - 20, axis - 4));
  /* Day 3 had nothing: no bar either side. */
  g_assert_false (drawn_between (f, x3, P_TOP + 4, axis - 4));
  g_assert_false (drawn_between (f, x3, axis + 4, (int) (P_TOP + plot_h) - 3));

  /* The numbers on hover. */
  text = move_to (chart, x2, axis + 10);
  g_assert_nonnull (text);
  g_test_message ("hover: %s", text);
  g_assert_nonnull (strstr (text, "2026-11-11"));
  g_assert_nonnull (strstr (text, "-2.00 USD"));
  g_assert_cmpint (relay_chart_get_hover_index (RELAY_CHART (chart)), ==, 1);
  text = move_to (chart, x1, axis - 10);
  g_assert_nonnull (strstr (text, "2026-11-10: profit 5.00 USD, 3 orders"));
  /* Off the plot: no tooltip. */
  g_assert_null (move_to (chart, 5, 5));
  g_assert_cmpint (relay_chart_get_hover_index (RELAY_CHART (chart)), ==, -1);

  /* In words, for a screen reader. */
  g_assert_nonnull (strstr (relay_chart_get_description (RELAY_CHART (chart)), "3.00 USD in all"));
  g_assert_nonnull (strstr (relay_chart_get_description (RELAY_CHART (chart)), "worst day -2.00 USD"));
}

static void
test_status_bar (ChartFixture *f, gconstpointer data)
{
  GtkWidget *chart = relay_status_chart_new ();
  gint64 counts[RELAY_ORDER_N_STATUSES] = { 0 };
  g_autofree char *expected = NULL;
  const char *text;

  counts[RELAY_ORDER_COMPLETED] = 3;
  counts[RELAY_ORDER_FAILED] = 1;
  show_chart (f, chart);
  relay_status_chart_set_counts (RELAY_STATUS_CHART (chart), counts);
  render (f);
  /* The bar (12..52 px high) is drawn across; below the legend nothing. */
  g_assert_cmpuint (alpha_at (f, 20, 30), >, 0);
  g_assert_cmpuint (alpha_at (f, CHART_W - 20, 30), >, 0);
  g_assert_cmpuint (alpha_at (f, CHART_W / 2, CHART_H - 5), ==, 0);

  /* Three quarters completed: the left 3/4 is that segment, the rest failed. */
  text = move_to (chart, 40, 30);
  expected = g_strdup_printf ("%s: 3 orders (75 %%)", relay_order_status_get_label (RELAY_ORDER_COMPLETED));
  g_assert_cmpstr (text, ==, expected);
  text = move_to (chart, CHART_W - 20, 30);
  g_assert_nonnull (strstr (text, relay_order_status_get_label (RELAY_ORDER_FAILED)));
  g_assert_nonnull (strstr (text, "1 order (25 %)"));
  g_assert_nonnull (strstr (relay_chart_get_description (RELAY_CHART (chart)), expected));

  /* No orders: nothing in the bar. */
  relay_status_chart_set_counts (RELAY_STATUS_CHART (chart), NULL);
  render (f);
  g_assert_cmpuint (alpha_at (f, 20, 30), ==, 0);
}

static void
test_delivery_box (ChartFixture *f, gconstpointer data)
{
  GtkWidget *chart = relay_delivery_chart_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_delivery_row_free);
  RelayDeliveryRow *row = g_new0 (RelayDeliveryRow, 1);
  const char *text;
  double plot_w = CHART_W - 170.0 - 16.0;

  row->provider_name = g_strdup ("Sim");
  row->provider_service_id = g_strdup ("103");
  row->service_name = g_strdup ("Followers");
  row->orders = 4;
  row->to_complete = (RelayDurationStats) { 4, 600, 1200, 1800, 2400, 3600 };
  row->to_start = (RelayDurationStats) { 4, 60, 60, 120, 180, 300 };
  g_ptr_array_add (rows, row);
  show_chart (f, chart);
  relay_delivery_chart_set_rows (RELAY_DELIVERY_CHART (chart), rows);
  mt_spin (200);
  render (f);
  /* The row is 34 px high from 8 px: the box between q1 (1/3) and q3 (2/3). */
  g_assert_cmpuint (alpha_at (f, (int) (170 + plot_w * 0.5) + 4, 8 + 17 - 6), >, 0);
  /* Left of the fastest order (1/6) and right of the slowest: no whisker. */
  g_assert_cmpuint (alpha_at (f, (int) (170 + plot_w / 6) - 6, 8 + 17), ==, 0);
  text = move_to (chart, 300, 8 + 17);
  g_assert_nonnull (text);
  g_assert_cmpstr (text, ==, "Sim · Followers: completes in 30 min (4 orders; half within 20 min – 40 min), starts in 2 min");
  g_assert_nonnull (strstr (relay_chart_get_description (RELAY_CHART (chart)), "completes in 30 min"));
}

static void
test_export (ChartFixture *f, gconstpointer data)
{
  g_autoptr(RelayReport) report = three_days ();
  GtkWidget *chart = relay_profit_chart_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("smm-relay-chart-XXXXXX", &error);
  g_autofree char *png = g_build_filename (dir, "profit.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "profit.svg", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "profit.png", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GFile) file = NULL;

  g_assert_no_error (error);
  show_chart (f, chart);
  relay_profit_chart_set_report (RELAY_PROFIT_CHART (chart), report, "USD");

  g_assert_true (relay_chart_export (RELAY_CHART (chart), png, RELAY_CHART_FORMAT_PNG, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &contents, &length, &error));
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  file = g_file_new_for_path (png);
  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  /* Twice the widget's size, for sharp slides. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 2 * CHART_W);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 2 * CHART_H);
  g_clear_pointer (&contents, g_free);

  g_assert_true (relay_chart_export (RELAY_CHART (chart), svg, RELAY_CHART_FORMAT_SVG, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &contents, &length, &error));
  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "width=\"600"));

  /* A folder that does not exist: an error, no crash. */
  g_assert_false (relay_chart_export (RELAY_CHART (chart), bad, RELAY_CHART_FORMAT_PNG, &error));
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);

  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  g_test_add ("/reports/charts/profit-bars", ChartFixture, NULL, chart_setup, test_profit_bars, chart_teardown);
  g_test_add ("/reports/charts/status-bar", ChartFixture, NULL, chart_setup, test_status_bar, chart_teardown);
  g_test_add ("/reports/charts/delivery-box", ChartFixture, NULL, chart_setup, test_delivery_box, chart_teardown);
  g_test_add ("/reports/charts/export", ChartFixture, NULL, chart_setup, test_export, chart_teardown);
  return g_test_run ();
}
