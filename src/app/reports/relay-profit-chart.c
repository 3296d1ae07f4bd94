/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayProfitChart: one bar per day of the period; the axis at zero, profit
 * above it in the success colour, losses below in the error colour. */
#include "config.h"

#include "relay-profit-chart.h"
#include "relay-format.h"
#include "relay-money.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#define LEFT   72.0
#define RIGHT  12.0
#define TOP    12.0
#define BOTTOM 26.0
/* More days than this are not read out one by one. */
#define MAX_SPOKEN_DAYS 7

typedef struct
{
  char   *day;      /* "YYYY-MM-DD" */
  gint64  profit;
  gint64  orders;
} Day;

struct _RelayProfitChart
{
  RelayChart  parent_instance;

  GArray     *days;  /* Day */
  char       *currency;
};

G_DEFINE_FINAL_TYPE (RelayProfitChart, relay_profit_chart, RELAY_TYPE_CHART)

static void
day_clear (gpointer data)
{
  Day *day = data;

  g_free (day->day);
}

static char *
money (RelayProfitChart *self, gint64 micro)
{
  return relay_format_money (micro, self->currency, RELAY_MONEY_STYLE_TOTAL);
}

/* The extent of the bars: lo <= 0 <= hi, never equal. */
static void
range (RelayProfitChart *self, gint64 *lo, gint64 *hi)
{
  *lo = 0;
  *hi = 0;
  for (guint i = 0; i < self->days->len; i++)
    {
      Day *day = &g_array_index (self->days, Day, i);

      *lo = MIN (*lo, day->profit);
      *hi = MAX (*hi, day->profit);
    }
  if (*lo == *hi)
    *hi = 1000000;
}

/* "2026-12-03" as the axis shows it: "12-03" in English, "03.12" in Russian. */
static char *
short_day_text (const char *iso_day)
{
  unsigned int year, month, day;
  g_autoptr(GDateTime) when = NULL;

  if (strlen (iso_day) != 10 || sscanf (iso_day, "%4u-%2u-%2u", &year, &month, &day) != 3 ||
      (when = g_date_time_new_local ((int) year, (int) month, (int) day, 12, 0, 0)) == NULL)
    return g_strdup (iso_day);
  /* TRANSLATORS: a day under the profit chart's bars, as a g_date_time_format()
   * format: "12-03"; day first where that is usual, e.g. "%d.%m" */
  return g_date_time_format (when, C_("chart day", "%m-%d"));
}

static void
relay_profit_chart_draw (RelayChart *chart,
                         cairo_t    *cr,
                         int         width,
                         int         height)
{
  RelayProfitChart *self = RELAY_PROFIT_CHART (chart);
  double plot_w = width - LEFT - RIGHT;
  double plot_h = height - TOP - BOTTOM;
  gint64 lo;
  gint64 hi;
  double span;
  double axis;
  double slot;
  int hover = relay_chart_get_hover_index (chart);
  g_autofree char *hi_text = NULL;
  g_autofree char *lo_text = NULL;
  guint label_every;

  if (plot_w <= 0 || plot_h <= 0)
    return;
  if (self->days->len == 0)
    {
      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.55);
      relay_chart_draw_text (chart, cr, _("No days to show"), width / 2.0, height / 2.0, 0.5, 0.5, FALSE);
      return;
    }
  range (self, &lo, &hi);
  /* Geometry only: pixels need no exact money. */
  span = (double) hi - (double) lo;
  axis = TOP + plot_h * ((double) hi / span);
  slot = plot_w / self->days->len;

  /* The top and bottom lines with their amounts, and the axis. */
  cairo_set_line_width (cr, 1);
  relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_GRID, 1.0);
  cairo_move_to (cr, LEFT, TOP + 0.5);
  cairo_line_to (cr, LEFT + plot_w, TOP + 0.5);
  cairo_move_to (cr, LEFT, TOP + plot_h - 0.5);
  cairo_line_to (cr, LEFT + plot_w, TOP + plot_h - 0.5);
  cairo_stroke (cr);
  relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.7);
  hi_text = money (self, hi);
  relay_chart_draw_text (chart, cr, hi_text, LEFT - 6, TOP, 1.0, 0.0, TRUE);
  if (lo < 0)
    {
      lo_text = money (self, lo);
      relay_chart_draw_text (chart, cr, lo_text, LEFT - 6, TOP + plot_h, 1.0, 1.0, TRUE);
    }
  relay_chart_draw_text (chart, cr, "0", LEFT - 6, axis, 1.0, 0.5, TRUE);

  for (guint i = 0; i < self->days->len; i++)
    {
      Day *day = &g_array_index (self->days, Day, i);
      double w = CLAMP (slot * 0.7, 1.0, 48.0);
      double x = LEFT + (i + 0.5) * slot - w / 2;
      double y = TOP + plot_h * (((double) hi - (double) day->profit) / span);
      double alpha = hover < 0 || hover == (int) i ? 1.0 : 0.55;

      if (day->profit == 0)
        continue;
      relay_chart_set_source (chart, cr, day->profit > 0 ? RELAY_CHART_COLOR_SUCCESS
                                                         : RELAY_CHART_COLOR_ERROR, alpha);
      if (day->profit > 0)
        cairo_rectangle (cr, x, y, w, MAX (axis - y, 1.0));
      else
        cairo_rectangle (cr, x, axis, w, MAX (y - axis, 1.0));
      cairo_fill (cr);
    }

  relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.6);
  cairo_move_to (cr, LEFT, (int) axis + 0.5);
  cairo_line_to (cr, LEFT + plot_w, (int) axis + 0.5);
  cairo_stroke (cr);

  /* Day labels ("12-03") where they fit. */
  label_every = MAX (1u, (guint) (48.0 / slot) + 1);
  relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.7);
  for (guint i = 0; i < self->days->len; i += label_every)
    {
      Day *day = &g_array_index (self->days, Day, i);
      g_autofree char *short_day = short_day_text (day->day);

      relay_chart_draw_text (chart, cr, short_day, LEFT + (i + 0.5) * slot,
                             TOP + plot_h + 4, 0.5, 0.0, TRUE);
    }
}

static int
day_at (RelayProfitChart *self, double x, double y, int width, int height)
{
  double plot_w = width - LEFT - RIGHT;
  int i;

  if (self->days->len == 0 || x < LEFT || x >= LEFT + plot_w || y < 0 || y > height)
    return -1;
  i = (int) ((x - LEFT) / (plot_w / self->days->len));
  return i < (int) self->days->len ? i : -1;
}

static char *
day_text (RelayProfitChart *self, Day *day)
{
  g_autofree char *amount = money (self, day->profit);
  g_autofree char *orders = relay_format_count (day->orders);

  /* TRANSLATORS: a day of the profit chart: "2026-12-03: profit 12.40 USD, 5 orders" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: profit %s, %s order",
                                       "%s: profit %s, %s orders", (gulong) day->orders),
                          day->day, amount, orders);
}

static char *
relay_profit_chart_query (RelayChart *chart,
                          double      x,
                          double      y,
                          int         width,
                          int         height)
{
  RelayProfitChart *self = RELAY_PROFIT_CHART (chart);
  int i = day_at (self, x, y, width, height);

  relay_chart_set_hover_index (chart, i);
  if (i < 0)
    return NULL;
  return day_text (self, &g_array_index (self->days, Day, i));
}

void
relay_profit_chart_set_report (RelayProfitChart  *self,
                               const RelayReport *report,
                               const char        *currency)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  gint64 total = 0;
  gint64 best = G_MININT64;
  gint64 worst = G_MAXINT64;

  g_return_if_fail (RELAY_IS_PROFIT_CHART (self));

  g_array_set_size (self->days, 0);
  g_free (self->currency);
  self->currency = g_strdup (currency);
  if (report != NULL)
    {
      g_autoptr(GDateTime) day = g_date_time_new_from_unix_local (report->from);

      /* Every local day of [from, to): the days with orders from the report. */
      for (guint n = 0; day != NULL && g_date_time_to_unix (day) < report->to && n < 3660; n++)
        {
          Day entry = { g_date_time_format (day, "%Y-%m-%d"), 0, 0 };
          GDateTime *next = g_date_time_add_days (day, 1);

          for (guint i = 0; i < report->days->len; i++)
            {
              RelayReportRow *row = g_ptr_array_index (report->days, i);

              if (g_strcmp0 (row->key, entry.day) == 0 &&
                  g_strcmp0 (row->currency, currency ? currency : "") == 0)
                {
                  entry.profit = row->profit;
                  entry.orders = row->orders;
                }
            }
          g_array_append_val (self->days, entry);
          g_date_time_unref (day);
          day = next;
        }
    }

  for (guint i = 0; i < self->days->len; i++)
    {
      Day *day = &g_array_index (self->days, Day, i);

      if (!relay_money_add (total, day->profit, &total, NULL))
        total = G_MAXINT64;
      best = MAX (best, day->profit);
      worst = MIN (worst, day->profit);
    }
  if (self->days->len == 0)
    g_string_append (description, _("Profit per day: no days in the period."));
  else
    {
      g_autofree char *total_text = money (self, total);
      g_autofree char *best_text = money (self, best);
      g_autofree char *worst_text = money (self, worst);

      /* TRANSLATORS: the accessible description of the profit chart */
      g_string_append_printf (description,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Profit per day over %u day: %s in all, best day %s, worst day %s.",
                                           "Profit per day over %u days: %s in all, best day %s, worst day %s.",
                                           self->days->len),
                              self->days->len, total_text, best_text, worst_text);
      if (self->days->len <= MAX_SPOKEN_DAYS)
        for (guint i = 0; i < self->days->len; i++)
          {
            g_autofree char *text = day_text (self, &g_array_index (self->days, Day, i));

            g_string_append_printf (description, " %s.", text);
          }
    }
  relay_chart_changed (RELAY_CHART (self), description->str);
}

guint
relay_profit_chart_get_n_days (RelayProfitChart *self)
{
  g_return_val_if_fail (RELAY_IS_PROFIT_CHART (self), 0);
  return self->days->len;
}

GtkWidget *
relay_profit_chart_new (void)
{
  return g_object_new (RELAY_TYPE_PROFIT_CHART, NULL);
}

static void
relay_profit_chart_finalize (GObject *object)
{
  RelayProfitChart *self = RELAY_PROFIT_CHART (object);

  g_array_unref (self->days);
  g_free (self->currency);
  G_OBJECT_CLASS (relay_profit_chart_parent_class)->finalize (object);
}

static void
relay_profit_chart_class_init (RelayProfitChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RelayChartClass *chart_class = RELAY_CHART_CLASS (klass);

  object_class->finalize = relay_profit_chart_finalize;
  chart_class->draw = relay_profit_chart_draw;
  chart_class->query = relay_profit_chart_query;
}

static void
relay_profit_chart_init (RelayProfitChart *self)
{
  self->days = g_array_new (FALSE, TRUE, sizeof (Day));
  g_array_set_clear_func (self->days, day_clear);
  relay_chart_changed (RELAY_CHART (self), _("Profit per day: no report yet."));
}
