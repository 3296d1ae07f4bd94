/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayDeliveryChart: one row per provider service, on a shared time axis:
 * the whiskers from the fastest to the slowest completed order, the box from
 * the first to the third quartile, a line at the median. */
#include "config.h"

#include "relay-delivery-chart.h"
#include "relay-format.h"

#include <glib/gi18n-lib.h>

#define LEFT   170.0
#define RIGHT  16.0
#define TOP    8.0
#define BOTTOM 24.0
#define ROW_MAX 34.0
#define ROW_MIN 22.0

typedef struct
{
  char               *label;
  RelayDurationStats  stats;
  RelayDurationStats  start;
} Row;

struct _RelayDeliveryChart
{
  RelayChart parent_instance;

  GArray    *rows;   /* Row */
  gint64     max;    /* the slowest of all, seconds */
};

G_DEFINE_FINAL_TYPE (RelayDeliveryChart, relay_delivery_chart, RELAY_TYPE_CHART)

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->label);
}

char *
relay_delivery_chart_format_duration (gint64 seconds)
{
  if (seconds < 60)
    /* TRANSLATORS: a duration in seconds */
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    /* TRANSLATORS: a duration in minutes */
    return g_strdup_printf (_("%.0f min"), seconds / 60.0);
  if (seconds < 2 * 86400)
    /* TRANSLATORS: a duration in hours */
    return g_strdup_printf (_("%.1f h"), seconds / 3600.0);
  /* TRANSLATORS: a duration in days */
  return g_strdup_printf (_("%.1f d"), seconds / 86400.0);
}

static double
row_height (RelayDeliveryChart *self, int height)
{
  double plot_h = height - TOP - BOTTOM;

  return self->rows->len ? MIN (ROW_MAX, plot_h / self->rows->len) : 0;
}

static double
x_of (RelayDeliveryChart *self, gint64 seconds, int width)
{
  double plot_w = width - LEFT - RIGHT;

  return LEFT + plot_w * ((double) seconds / (double) MAX (self->max, 1));
}

static void
relay_delivery_chart_draw (RelayChart *chart,
                           cairo_t    *cr,
                           int         width,
                           int         height)
{
  RelayDeliveryChart *self = RELAY_DELIVERY_CHART (chart);
  double rh = row_height (self, height);
  int hover = relay_chart_get_hover_index (chart);
  double plot_bottom;

  if (self->rows->len == 0)
    {
      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.55);
      relay_chart_draw_text (chart, cr, _("No orders were sent"), width / 2.0, height / 2.0,
                             0.5, 0.5, FALSE);
      return;
    }
  plot_bottom = TOP + rh * self->rows->len;

  /* The time axis: 0, half and the slowest. */
  cairo_set_line_width (cr, 1);
  for (int i = 0; i <= 4; i++)
    {
      gint64 at = self->max * i / 4;
      double x = (int) x_of (self, at, width) + 0.5;

      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_GRID, 1.0);
      cairo_move_to (cr, x, TOP);
      cairo_line_to (cr, x, plot_bottom);
      cairo_stroke (cr);
      if (i % 2 == 0)
        {
          g_autofree char *text = relay_delivery_chart_format_duration (at);

          relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.7);
          relay_chart_draw_text (chart, cr, text, x, plot_bottom + 4, i == 0 ? 0.0 : i == 4 ? 1.0 : 0.5,
                                 0.0, TRUE);
        }
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);
      double cy = TOP + rh * (i + 0.5);
      double box_h = MIN (rh * 0.6, 18.0);
      double alpha = hover < 0 || hover == (int) i ? 1.0 : 0.5;

      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.85);
      relay_chart_draw_label (chart, cr, row->label, 0, cy, LEFT - 10);

      if (row->stats.n == 0)
        {
          relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.5);
          relay_chart_draw_text (chart, cr, _("none completed"), LEFT + 4, cy, 0.0, 0.5, TRUE);
          continue;
        }
      /* Whiskers. */
      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, 0.6 * alpha);
      cairo_move_to (cr, x_of (self, row->stats.min, width), cy);
      cairo_line_to (cr, x_of (self, row->stats.max, width), cy);
      cairo_move_to (cr, x_of (self, row->stats.min, width), cy - box_h / 3);
      cairo_line_to (cr, x_of (self, row->stats.min, width), cy + box_h / 3);
      cairo_move_to (cr, x_of (self, row->stats.max, width), cy - box_h / 3);
      cairo_line_to (cr, x_of (self, row->stats.max, width), cy + box_h / 3);
      cairo_stroke (cr);
      /* Box. */
      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_ACCENT, alpha);
      cairo_rectangle (cr, x_of (self, row->stats.q1, width), cy - box_h / 2,
                       MAX (x_of (self, row->stats.q3, width) - x_of (self, row->stats.q1, width), 2.0),
                       box_h);
      cairo_fill (cr);
      /* Median. */
      relay_chart_set_source (chart, cr, RELAY_CHART_COLOR_FG, alpha);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x_of (self, row->stats.median, width), cy - box_h / 2 - 2);
      cairo_line_to (cr, x_of (self, row->stats.median, width), cy + box_h / 2 + 2);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 1);
    }
}

static char *
row_text (Row *row)
{
  g_autofree char *median = NULL;
  g_autofree char *q1 = NULL;
  g_autofree char *q3 = NULL;
  g_autofree char *start = NULL;

  if (row->stats.n == 0)
    /* TRANSLATORS: a provider service in the delivery chart */
    return g_strdup_printf (_("%s: no order completed"), row->label);
  median = relay_delivery_chart_format_duration (row->stats.median);
  q1 = relay_delivery_chart_format_duration (row->stats.q1);
  q3 = relay_delivery_chart_format_duration (row->stats.q3);
  start = row->start.n ? relay_delivery_chart_format_duration (row->start.median) : g_strdup ("—");
  /* TRANSLATORS: a provider service in the delivery chart: its label, the
   * median time to complete, the orders, the quartiles and the median time to start */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s: completes in %s (%lld order; half within %s – %s), starts in %s",
                                       "%s: completes in %s (%lld orders; half within %s – %s), starts in %s",
                                       (gulong) row->stats.n),
                          row->label, median, (long long) row->stats.n, q1, q3, start);
}

static char *
relay_delivery_chart_query (RelayChart *chart,
                            double      x,
                            double      y,
                            int         width,
                            int         height)
{
  RelayDeliveryChart *self = RELAY_DELIVERY_CHART (chart);
  double rh = row_height (self, height);
  int i;

  if (rh <= 0 || y < TOP || x < 0 || x > width)
    {
      relay_chart_set_hover_index (chart, -1);
      return NULL;
    }
  i = (int) ((y - TOP) / rh);
  if (i >= (int) self->rows->len)
    {
      relay_chart_set_hover_index (chart, -1);
      return NULL;
    }
  relay_chart_set_hover_index (chart, i);
  return row_text (&g_array_index (self->rows, Row, i));
}

void
relay_delivery_chart_set_rows (RelayDeliveryChart *self,
                               GPtrArray          *delivery)
{
  g_autoptr(GString) description = g_string_new (NULL);
  int width;

  g_return_if_fail (RELAY_IS_DELIVERY_CHART (self));

  g_array_set_size (self->rows, 0);
  self->max = 0;
  for (guint i = 0; delivery != NULL && i < delivery->len; i++)
    {
      RelayDeliveryRow *d = g_ptr_array_index (delivery, i);
      const char *service = d->service_name && *d->service_name ? d->service_name
                                                                : d->provider_service_id;
      Row row = { NULL, d->to_complete, d->to_start };

      row.label = g_strdup_printf ("%s · %s", d->provider_name && *d->provider_name
                                              ? d->provider_name : _("Removed provider"),
                                   service ? service : "");
      self->max = MAX (self->max, d->to_complete.max);
      g_array_append_val (self->rows, row);
    }
  if (self->rows->len == 0)
    g_string_append (description, _("Delivery time: no orders were sent."));
  else
    {
      g_string_append (description, _("Time to complete per provider service:"));
      for (guint i = 0; i < self->rows->len; i++)
        {
          g_autofree char *text = row_text (&g_array_index (self->rows, Row, i));

          g_string_append_printf (description, " %s.", text);
        }
    }
  /* Room for every row. */
  gtk_widget_get_size_request (GTK_WIDGET (self), &width, NULL);
  gtk_widget_set_size_request (GTK_WIDGET (self), width,
                               MAX (150, (int) (TOP + BOTTOM + ROW_MIN * self->rows->len)));
  relay_chart_changed (RELAY_CHART (self), description->str);
}

GtkWidget *
relay_delivery_chart_new (void)
{
  return g_object_new (RELAY_TYPE_DELIVERY_CHART, NULL);
}

static void
relay_delivery_chart_finalize (GObject *object)
{
  RelayDeliveryChart *self = RELAY_DELIVERY_CHART (object);

  g_array_unref (self->rows);
  G_OBJECT_CLASS (relay_delivery_chart_parent_class)->finalize (object);
}

static void
relay_delivery_chart_class_init (RelayDeliveryChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RelayChartClass *chart_class = RELAY_CHART_CLASS (klass);

  object_class->finalize = relay_delivery_chart_finalize;
  chart_class->draw = relay_delivery_chart_draw;
  chart_class->query = relay_delivery_chart_query;
}

static void
relay_delivery_chart_init (RelayDeliveryChart *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, row_clear);
  relay_chart_changed (RELAY_CHART (self), _("Delivery time: no report yet."));
}
