/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayChart: colours, text, hover, accessible description and export for the charts. */
#include "config.h"

#include "relay-chart.h"

#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

typedef struct
{
  char *hover_text;
  int   hover_index;
  char *description;
} RelayChartPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RelayChart, relay_chart, GTK_TYPE_WIDGET)

void
relay_chart_get_color (RelayChart      *self,
                       RelayChartColor  which,
                       GdkRGBA         *out)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  const char *name = NULL;
  const char *fallback = NULL;

  switch (which)
    {
    case RELAY_CHART_COLOR_FG:
    case RELAY_CHART_COLOR_GRID:
      gtk_style_context_get_color (context, out);
      if (which == RELAY_CHART_COLOR_GRID)
        out->alpha *= 0.18f;
      return;
    case RELAY_CHART_COLOR_BG:
      name = "window_bg_color";
      fallback = "#fafafa";
      break;
    case RELAY_CHART_COLOR_ACCENT:
      name = "accent_color";
      fallback = "#1c71d8";
      break;
    case RELAY_CHART_COLOR_SUCCESS:
      name = "success_color";
      fallback = "#26a269";
      break;
    case RELAY_CHART_COLOR_WARNING:
      name = "warning_color";
      fallback = "#cd9309";
      break;
    case RELAY_CHART_COLOR_ERROR:
    default:
      name = "error_color";
      fallback = "#c01c28";
      break;
    }
  if (!gtk_style_context_lookup_color (context, name, out))
    gdk_rgba_parse (out, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

void
relay_chart_set_source (RelayChart      *self,
                        cairo_t         *cr,
                        RelayChartColor  which,
                        double           alpha)
{
  GdkRGBA color;

  relay_chart_get_color (self, which, &color);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * alpha);
}

double
relay_chart_draw_text (RelayChart *self,
                       cairo_t    *cr,
                       const char *text,
                       double      x,
                       double      y,
                       double      xalign,
                       double      yalign,
                       gboolean    small)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width;
  int height;

  if (small)
    {
      g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
    }
  pango_cairo_update_layout (cr, layout);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - xalign * width, y - yalign * height);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
  return width;
}

void
relay_chart_draw_label (RelayChart *self,
                        cairo_t    *cr,
                        const char *text,
                        double      x,
                        double      y,
                        double      max_width)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  int height;

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_layout_set_width (layout, (int) (MAX (max_width, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_cairo_update_layout (cr, layout);
  pango_layout_get_pixel_size (layout, NULL, &height);
  cairo_move_to (cr, x, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
}

void
relay_chart_changed (RelayChart *self,
                     const char *description)
{
  RelayChartPrivate *priv = relay_chart_get_instance_private (self);

  g_free (priv->description);
  priv->description = g_strdup (description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description ? description : "",
                                  -1);
  priv->hover_index = -1;
  g_clear_pointer (&priv->hover_text, g_free);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
relay_chart_get_description (RelayChart *self)
{
  RelayChartPrivate *priv = relay_chart_get_instance_private (self);

  return priv->description;
}

int
relay_chart_get_hover_index (RelayChart *self)
{
  RelayChartPrivate *priv = relay_chart_get_instance_private (self);

  return priv->hover_index;
}

void
relay_chart_set_hover_index (RelayChart *self,
                             int         index)
{
  RelayChartPrivate *priv = relay_chart_get_instance_private (self);

  if (priv->hover_index == index)
    return;
  priv->hover_index = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
relay_chart_hover (RelayChart *self,
                   double      x,
                   double      y)
{
  RelayChartPrivate *priv = relay_chart_get_instance_private (self);
  RelayChartClass *klass = RELAY_CHART_GET_CLASS (self);
  g_autofree char *text = NULL;

  if (klass->query != NULL)
    text = klass->query (self, x, y, gtk_widget_get_width (GTK_WIDGET (self)),
                         gtk_widget_get_height (GTK_WIDGET (self)));
  if (g_strcmp0 (text, priv->hover_text) != 0)
    {
      g_free (priv->hover_text);
      priv->hover_text = g_steal_pointer (&text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), priv->hover_text);
    }
  if (priv->hover_text == NULL)
    relay_chart_set_hover_index (self, -1);
  return priv->hover_text;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           RelayChart               *self)
{
  relay_chart_hover (self, x, y);
}

static void
on_leave (GtkEventControllerMotion *controller,
          RelayChart               *self)
{
  relay_chart_hover (self, -1, -1);
}

static void
relay_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  RelayChart *self = RELAY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  RELAY_CHART_GET_CLASS (self)->draw (self, cr, width, height);
  cairo_destroy (cr);
}

static void
relay_chart_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 220;
}

static void
relay_chart_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (relay_chart_parent_class)->css_changed (widget, change);
  /* Light <-> dark: the colours come from the style. */
  gtk_widget_queue_draw (widget);
}

gboolean
relay_chart_export (RelayChart        *self,
                    const char        *path,
                    RelayChartFormat   format,
                    GError           **error)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    {
      width = 800;
      height = 400;
    }
  if (format == RELAY_CHART_FORMAT_SVG)
    surface = cairo_svg_surface_create (path, width, height);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * 2, height * 2);
  cr = cairo_create (surface);
  if (format == RELAY_CHART_FORMAT_PNG)
    cairo_scale (cr, 2, 2);
  relay_chart_set_source (self, cr, RELAY_CHART_COLOR_BG, 1.0);
  cairo_paint (cr);
  RELAY_CHART_GET_CLASS (self)->draw (self, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (format == RELAY_CHART_FORMAT_PNG)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      /* TRANSLATORS: %s is a file name, then cairo's reason */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s: %s"),
                   name, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  RelayChart       *chart;
  GtkWidget        *page;
  RelayChartFormat  format;
} ExportAsk;

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    ExportAsk       *ask)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      if (path == NULL)
        text = g_strdup (_("Charts can only be saved to a local folder"));
      else if (!relay_chart_export (ask->chart, path, ask->format, &error))
        text = g_strdup (error->message);
      else
        {
          g_autofree char *name = g_filename_display_basename (path);

          /* TRANSLATORS: %s is a file name */
          text = g_strdup_printf (_("Chart saved as %s"), name);
        }
      if (g_signal_lookup ("message", G_OBJECT_TYPE (ask->page)) != 0)
        g_signal_emit_by_name (ask->page, "message", text);
    }
  g_object_unref (ask->chart);
  g_object_unref (ask->page);
  g_free (ask);
  g_object_unref (dialog);
}

void
relay_chart_export_ask (RelayChart       *self,
                        RelayChartFormat  format,
                        const char       *base_name,
                        GtkWidget        *page)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  ExportAsk *ask;

  dialog = gtk_file_chooser_native_new (_("Export Chart"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (format == RELAY_CHART_FORMAT_SVG)
    {
      gtk_file_filter_set_name (filter, _("SVG images"));
      gtk_file_filter_add_mime_type (filter, "image/svg+xml");
      name = g_strconcat (base_name, ".svg", NULL);
    }
  else
    {
      gtk_file_filter_set_name (filter, _("PNG images"));
      gtk_file_filter_add_mime_type (filter, "image/png");
      name = g_strconcat (base_name, ".png", NULL);
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  ask = g_new0 (ExportAsk, 1);
  ask->chart = g_object_ref (self);
  ask->page = g_object_ref (page);
  ask->format = format;
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), ask);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
relay_chart_finalize (GObject *object)
{
  RelayChartPrivate *priv = relay_chart_get_instance_private (RELAY_CHART (object));

  g_free (priv->hover_text);
  g_free (priv->description);
  G_OBJECT_CLASS (relay_chart_parent_class)->finalize (object);
}

static void
relay_chart_class_init (RelayChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = relay_chart_finalize;
  widget_class->snapshot = relay_chart_snapshot;
  widget_class->measure = relay_chart_measure;
  widget_class->css_changed = relay_chart_css_changed;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
relay_chart_init (RelayChart *self)
{
  RelayChartPrivate *priv = relay_chart_get_instance_private (self);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  priv->hover_index = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}
