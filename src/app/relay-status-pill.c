/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStatusPill: an order status as a small coloured label.
 *
 * The pill draws its text and its tinted background itself, in colours
 * worked out from libadwaita's named colours when it is drawn, and is as
 * wide as the longest status (in the language shown).  A new status only
 * repaints it: no CSS class changes (that restyled each pill and its text at
 * every refresh, 4-9 ms in the frame that showed a 10,000-order refresh's
 * last rows) and no new size (a GtkLabel's new text resized it, and so its
 * row, the table and the window: 43-46 ms).  Its font and padding still
 * come from the stylesheet (statuspill in style.css). */
#include "config.h"

#include "relay-status-pill.h"

struct _RelayStatusPill
{
  GtkWidget         parent_instance;

  RelayOrderStatus  status;
  PangoLayout      *layout;        /* the status's text, or NULL */
  guint             layout_serial; /* of the pango context it was made for */
};

G_DEFINE_FINAL_TYPE (RelayStatusPill, relay_status_pill, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The pill's padding, as CSS padding was (2px 10px): the pill paints its
 * background itself, over the whole of its allocation. */
#define PILL_PAD_X 10
#define PILL_PAD_Y 2

typedef enum {
  TONE_WAITING,
  TONE_ACTIVE,
  TONE_COMPLETED,
  TONE_WARNING,
  TONE_ERROR,
} Tone;

static Tone
status_tone (RelayOrderStatus status)
{
  switch (status)
    {
    case RELAY_ORDER_COMPLETED:
      return TONE_COMPLETED;
    case RELAY_ORDER_PROCESSING:
    case RELAY_ORDER_IN_PROGRESS:
      return TONE_ACTIVE;
    case RELAY_ORDER_PARTIAL:
    case RELAY_ORDER_NEEDS_REVIEW:
      return TONE_WARNING;
    case RELAY_ORDER_FAILED:
    case RELAY_ORDER_CANCELED:
      return TONE_ERROR;
    case RELAY_ORDER_SCHEDULED:
    case RELAY_ORDER_QUEUED:
    case RELAY_ORDER_SENDING:
    case RELAY_ORDER_PENDING:
    case RELAY_ORDER_N_STATUSES:
    default:
      return TONE_WAITING;
    }
}

static GdkRGBA
mix (const GdkRGBA *a,
     const GdkRGBA *b,
     float          factor)
{
  return (GdkRGBA) {
    a->red + (b->red - a->red) * factor,
    a->green + (b->green - a->green) * factor,
    a->blue + (b->blue - a->blue) * factor,
    a->alpha + (b->alpha - a->alpha) * factor,
  };
}

/* The pill's text and background colours, from libadwaita's named colours
 * (so the light, dark and high-contrast styles and the accent follow), as
 * the stylesheet's mix() and alpha() would: the text is the named colour
 * moved a third of the way towards the view's text colour (darker in the
 * light style, lighter in the dark one), at least 4.5:1 against the tinted
 * background in both styles (checked by /style/contrast).  Without those
 * names (another theme), the pill's own CSS colour. */
static void
tone_colours (GtkWidget *widget,
              Tone       tone,
              GdkRGBA   *text,
              GdkRGBA   *background)
{
  static const char * const named[] = {
    [TONE_WAITING] = NULL, [TONE_ACTIVE] = "accent_color", [TONE_COMPLETED] = "success_color",
    [TONE_WARNING] = "warning_color", [TONE_ERROR] = "error_color",
  };
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA fg;
  GdkRGBA colour;

  if (!gtk_style_context_lookup_color (context, "view_fg_color", &fg))
    gtk_style_context_get_color (context, &fg);
  if (named[tone] == NULL || !gtk_style_context_lookup_color (context, named[tone], &colour))
    {
      *text = fg;
      text->alpha *= 0.8f;
      *background = fg;
      background->alpha *= 0.08f;
      return;
    }
  *text = mix (&colour, &fg, 0.35f);
  *background = colour;
  background->alpha *= 0.14f;
}

void
relay_status_pill_set_status (RelayStatusPill  *self,
                              RelayOrderStatus  status)
{
  g_return_if_fail (RELAY_IS_STATUS_PILL (self));

  if (self->status == status)
    return;
  self->status = status;

  if (status < RELAY_ORDER_N_STATUSES)
    {
      const char *label = relay_order_status_get_label (status);

      if (self->layout != NULL)
        pango_layout_set_text (self->layout, label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), status < RELAY_ORDER_N_STATUSES);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

RelayOrderStatus
relay_status_pill_get_status (RelayStatusPill *self)
{
  g_return_val_if_fail (RELAY_IS_STATUS_PILL (self), RELAY_ORDER_N_STATUSES);
  return self->status;
}

GtkWidget *
relay_status_pill_new (void)
{
  return g_object_new (RELAY_TYPE_STATUS_PILL, NULL);
}

/* The width of the widest status label in @widget's font, in pixels: each
 * label laid out once a font (the table's pills share the font, and so the
 * answer).  Counted in average characters, as GtkInscription did, bold
 * labels such as "Needs review" came out wider than their pill. */
static int
widest_status (GtkWidget *widget)
{
  static PangoFontDescription *font;
  static int widest;
  PangoContext *context = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *now = pango_context_get_font_description (context);

  if (font == NULL || !pango_font_description_equal (font, now))
    {
      PangoLayout *layout = pango_layout_new (context);

      widest = 0;
      for (RelayOrderStatus status = 0; status < RELAY_ORDER_N_STATUSES; status++)
        {
          int width;

          pango_layout_set_text (layout, relay_order_status_get_label (status), -1);
          pango_layout_get_pixel_size (layout, &width, NULL);
          widest = MAX (widest, width);
        }
      g_object_unref (layout);
      g_clear_pointer (&font, pango_font_description_free);
      font = pango_font_description_copy (now);
    }
  return widest;
}

/* As wide as the widest status, at least an ellipsis and two characters
 * across; the font's ascent and descent down (as GtkInscription, the
 * pill's text before, measured). */
static void
relay_status_pill_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  PangoFontMetrics *metrics = pango_context_get_metrics (gtk_widget_get_pango_context (widget), NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                            pango_font_metrics_get_approximate_digit_width (metrics));

      *minimum = PANGO_PIXELS_CEIL (3 * char_width) + 2 * PILL_PAD_X;
      *natural = MAX (*minimum, widest_status (widget) + 2 * PILL_PAD_X);
    }
  else
    {
      int line = pango_font_metrics_get_ascent (metrics) + pango_font_metrics_get_descent (metrics);

      *minimum = *natural = PANGO_PIXELS_CEIL (line) + 2 * PILL_PAD_Y;
    }
  *minimum_baseline = *natural_baseline = -1;
  pango_font_metrics_unref (metrics);
}

static void
relay_status_pill_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  RelayStatusPill *self = RELAY_STATUS_PILL (widget);
  PangoContext *context = gtk_widget_get_pango_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRoundedRect shape;
  PangoRectangle logical;
  GdkRGBA text;
  GdkRGBA background;

  if (self->status >= RELAY_ORDER_N_STATUSES || width <= 0 || height <= 0)
    return;
  if (self->layout == NULL || self->layout_serial != pango_context_get_serial (context))
    {
      g_clear_object (&self->layout);
      self->layout = gtk_widget_create_pango_layout (widget, relay_order_status_get_label (self->status));
      self->layout_serial = pango_context_get_serial (context);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (self->layout, PANGO_ALIGN_CENTER);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
    }
  pango_layout_set_width (self->layout, MAX (0, width - 2 * PILL_PAD_X) * PANGO_SCALE);
  tone_colours (widget, status_tone (self->status), &text, &background);

  gsk_rounded_rect_init_from_rect (&shape, &GRAPHENE_RECT_INIT (0, 0, width, height), height / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &shape);
  gtk_snapshot_append_color (snapshot, &background, &shape.bounds);
  gtk_snapshot_pop (snapshot);

  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PILL_PAD_X, (height - logical.height) / 2));
  gtk_snapshot_append_layout (snapshot, self->layout, &text);
  gtk_snapshot_restore (snapshot);
}

static void
relay_status_pill_dispose (GObject *object)
{
  RelayStatusPill *self = RELAY_STATUS_PILL (object);

  g_clear_object (&self->layout);
  G_OBJECT_CLASS (relay_status_pill_parent_class)->dispose (object);
}

static void
relay_status_pill_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayStatusPill *self = RELAY_STATUS_PILL (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_status_pill_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RelayStatusPill *self = RELAY_STATUS_PILL (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      relay_status_pill_set_status (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_status_pill_class_init (RelayStatusPillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_status_pill_dispose;
  object_class->get_property = relay_status_pill_get_property;
  object_class->set_property = relay_status_pill_set_property;
  widget_class->measure = relay_status_pill_measure;
  widget_class->snapshot = relay_status_pill_snapshot;

  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, RELAY_ORDER_N_STATUSES, RELAY_ORDER_N_STATUSES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "statuspill");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
relay_status_pill_init (RelayStatusPill *self)
{
  self->status = RELAY_ORDER_N_STATUSES;
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
