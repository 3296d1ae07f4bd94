/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayChart: the base of the Reports page's charts.  A subclass draws with
 * cairo (so the same code paints the widget, a PNG and an SVG) and says what
 * is under the pointer; the base takes the colours from the widget's style,
 * shows the hover text as a tooltip, keeps the accessible description and
 * exports the chart. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RELAY_TYPE_CHART (relay_chart_get_type ())
G_DECLARE_DERIVABLE_TYPE (RelayChart, relay_chart, RELAY, CHART, GtkWidget)

typedef enum
{
  RELAY_CHART_COLOR_FG,        /* the text colour */
  RELAY_CHART_COLOR_BG,        /* the window's background (exports fill with it) */
  RELAY_CHART_COLOR_GRID,      /* the text colour, faint */
  RELAY_CHART_COLOR_ACCENT,
  RELAY_CHART_COLOR_SUCCESS,
  RELAY_CHART_COLOR_WARNING,
  RELAY_CHART_COLOR_ERROR,
} RelayChartColor;

typedef enum
{
  RELAY_CHART_FORMAT_PNG,
  RELAY_CHART_FORMAT_SVG,
} RelayChartFormat;

struct _RelayChartClass
{
  GtkWidgetClass parent_class;

  /* Paints the chart in a @width × @height area of @cr. */
  void   (*draw)  (RelayChart *self, cairo_t *cr, int width, int height);
  /* What is at (@x, @y) of that area, for people; NULL for nothing.  New string. */
  char  *(*query) (RelayChart *self, double x, double y, int width, int height);
};

/* A colour of the widget's style (libadwaita's named colours). */
void        relay_chart_get_color       (RelayChart *self, RelayChartColor which, GdkRGBA *out);
void        relay_chart_set_source      (RelayChart *self, cairo_t *cr, RelayChartColor which,
                                         double alpha);
/* Draws @text with its (@xalign, @yalign) point at (@x, @y), in the widget's
 * font (@small: a smaller one); returns the text's width. */
double      relay_chart_draw_text       (RelayChart *self, cairo_t *cr, const char *text,
                                         double x, double y, double xalign, double yalign,
                                         gboolean small);
/* Draws @text from (@x, @y) (its left, vertically centred), cut with "…" at @max_width. */
void        relay_chart_draw_label      (RelayChart *self, cairo_t *cr, const char *text,
                                         double x, double y, double max_width);
/* The data changed: redraw, forget the hover, say @description to assistive
 * technologies (what the chart shows, in words). */
void        relay_chart_changed         (RelayChart *self, const char *description);
const char *relay_chart_get_description (RelayChart *self);
/* The pointer is at (@x, @y): the tooltip shows what is there.  The motion
 * controller calls it.  -> the text (owned by the chart) or NULL. */
const char *relay_chart_hover           (RelayChart *self, double x, double y);
/* Which element the pointer is on, for a subclass to highlight (-1 = none). */
int         relay_chart_get_hover_index (RelayChart *self);
void        relay_chart_set_hover_index (RelayChart *self, int index);
/* Writes the chart as it is drawn now (the widget's size, or 800 × 400 when
 * it has none) to @path, on the window's background. */
gboolean    relay_chart_export          (RelayChart *self, const char *path,
                                         RelayChartFormat format, GError **error);
/* Asks where to save the chart (GtkFileChooserNative) and writes it; errors
 * go to ::message of @page. */
void        relay_chart_export_ask      (RelayChart *self, RelayChartFormat format,
                                         const char *base_name, GtkWidget *page);

G_END_DECLS
