/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStatusChart: a bar across the chart split by status in proportion to
 * the orders, in the status colours the order list uses (finished well:
 * success, partly: warning, refused or canceled: error, on its way: accent,
 * waiting: the text colour), and a legend with the counts. */
#include "config.h"

#include "relay-status-chart.h"
#include "relay-format.h"
#include "relay-money.h"

#include <glib/gi18n-lib.h>

#define PAD      12.0
#define BAR_TOP  12.0
#define BAR_H    40.0
#define LEGEND_ROW 22.0
#define LEGEND_COL 170.0

struct _RelayStatusChart
{
  RelayChart parent_instance;

  gint64     counts[RELAY_ORDER_N_STATUSES];
  gint64     total;
};

G_DEFINE_FINAL_TYPE (RelayStatusChart, relay_status_chart, RELAY_TYPE_CHART)

static void
status_color (RelayOrderStatus status, RelayChartColor *color, double *alpha)
{
  *alpha = 1.0;
  switch (status)
    {
    case RELAY_ORDER_COMPLETED:
      *color = RELAY_CHART_COLOR_SUCCESS;
      break;
    case RELAY_ORDER_PARTIAL:
      *color = RELAY_CHART_COLOR_WARNING;
      break;
    case RELAY_ORDER_NEEDS_REVIEW:
      *color = RELAY_CHART_COLOR_WARNING;
      *alpha = 0.6;
      break;
    case RELAY_ORDER_FAILED:
      *color = RELAY_CHART_COLOR_ERROR;
      break;
    case RELAY_ORDER_CANCELED:
      *color = RELAY_CHART_COLOR_ERROR;
      *alpha = 0.6;
      break;
    case RELAY_ORDER_IN_PROGRESS:
      *color = RELAY_CHART_COLOR_ACCENT;
      break;
    case RELAY_ORDER_PROCESSING:
      *color = RELAY_CHART_COLOR_ACCENT;
      *alpha = 0.7;
      break;
    case RELAY_ORDER_PENDING:
      *color = RELAY_CHART_COLOR_ACCENT;
      *alpha = 0.45;
      break;
    default:
      *color = RELAY_CHART_COLOR_FG;
      *alpha = 0.25 + 0.1 * (status % 3);
      break;
    }
}

static char *
status_text (RelayStatusChart *self, RelayOrderStatus status)
{
  g_autofree char *count = relay_format_count (self->counts[status]);
  double percent = self->total > 0 ? 100.0 * self->counts[status] / self->total : 0;

  /* TRANSLATORS: a status in the status chart: "Completed: 12 orders (40 %)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %s order (%.0f %%)",
                                       "%s: %s orders (%.0f %%)", (gulong) self->counts[status]),
                          relay_order_status_get_label (status), count, percent);
}

/* The segment of @status: [*x0, *x1). */
static void
segment (RelayStatusChart *self, int status, int width, double *x0, double *x1)
{
  double bar_w = width - 2 * PAD;
  gint64 before = 0;

  for (int s = 0; s < status; s++)
    before += self->counts[s];
  *x0 = PAD + bar_w * ((double) before / self->total);
  *x1 = PAD + bar_w * ((double) (before + self->counts[status]) / self->total);
}

static void
relay_status_chart_draw (RelayChart *chart,
                         cairo_t    *cr,
                         int         width,
                         int         height)
{
  RelayStatusChart *self = RELAY_STATUS_CHART (chart);
  int hover = relay_chart_get_hover_index (chart);
  guint per_row = MAX (1, (int) ((width - 2 * PAD) / LEGEND_COL));
  guint n = 0;

  if (self->total <= 0)
    {
      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.55);
      relay_chart_draw_text (chart, cr, _("No orders"), width / 2.0, height / 2.0, 0.5, 0.5, FALSE);
      return;
    }
  for (int s = 0; s < RELAY_ORDER_N_STATUSES; s++)
    {
      RelayChartColor color;
      double alpha;
      double x0;
      double x1;
      double lx;
      double ly;
      g_autofree char *count = NULL;
      g_autofree char *label = NULL;

      if (self->counts[s] <= 0)
        continue;
      status_color (s, &color, &alpha);
      segment (self, s, width, &x0, &x1);
      relay_chart_set_source (chart, cr, color, hover < 0 || hover == s ? alpha : alpha * 0.5);
      cairo_rectangle (cr, x0, BAR_TOP, MAX (x1 - x0 - 1, 1.0), BAR_H);
      cairo_fill (cr);

      /* The legend: a swatch, the status and its count. */
      lx = PAD + (n % per_row) * LEGEND_COL;
      ly = BAR_TOP + BAR_H + 14 + (n / per_row) * LEGEND_ROW;
      relay_chart_set_source (chart, cr, color, alpha);
      cairo_rectangle (cr, lx, ly + 3, 12, 12);
      cairo_fill (cr);
      count = relay_format_count (self->counts[s]);
      label = g_strdup_printf ("%s %s", relay_order_status_get_label (s), count);
      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.85);
      relay_chart_draw_text (chart, cr, label, lx + 18, ly, 0.0, 0.0, TRUE);
      n++;
    }
}

static char *
relay_status_chart_query (RelayChart *chart,
                          double      x,
                          double      y,
                          int         width,
                          int         height)
{
  RelayStatusChart *self = RELAY_STATUS_CHART (chart);

  if (self->total <= 0 || y < BAR_TOP || y >= BAR_TOP + BAR_H)
    {
      relay_chart_set_hover_index (chart, -1);
      return NULL;
    }
  for (int s = 0; s < RELAY_ORDER_N_STATUSES; s++)
    {
      double x0;
      double x1;

      if (self->counts[s] <= 0)
        continue;
      segment (self, s, width, &x0, &x1);
      if (x >= x0 && x < x1)
        {
          relay_chart_set_hover_index (chart, s);
          return status_text (self, s);
        }
    }
  relay_chart_set_hover_index (chart, -1);
  return NULL;
}

void
relay_status_chart_set_counts (RelayStatusChart *self,
                               const gint64     *by_status)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (RELAY_IS_STATUS_CHART (self));

  self->total = 0;
  for (int s = 0; s < RELAY_ORDER_N_STATUSES; s++)
    {
      self->counts[s] = by_status != NULL ? MAX (by_status[s], 0) : 0;
      if (!relay_money_add (self->total, self->counts[s], &self->total, NULL))
        self->total = G_MAXINT64;
    }
  if (self->total == 0)
    g_string_append (description, _("Orders by status: no orders."));
  else
    {
      g_string_append (description, _("Orders by status:"));
      for (int s = 0; s < RELAY_ORDER_N_STATUSES; s++)
        if (self->counts[s] > 0)
          {
            g_autofree char *text = status_text (self, s);

            g_string_append_printf (description, " %s.", text);
          }
    }
  relay_chart_changed (RELAY_CHART (self), description->str);
}

GtkWidget *
relay_status_chart_new (void)
{
  return g_object_new (RELAY_TYPE_STATUS_CHART, NULL);
}

static void
relay_status_chart_class_init (RelayStatusChartClass *klass)
{
  RelayChartClass *chart_class = RELAY_CHART_CLASS (klass);

  chart_class->draw = relay_status_chart_draw;
  chart_class->query = relay_status_chart_query;
}

static void
relay_status_chart_init (RelayStatusChart *self)
{
  relay_chart_changed (RELAY_CHART (self), _("Orders by status: no report yet."));
}
